"""The one span locator's rules: how a passage, quote and wording are found, and what is said."""

from __future__ import annotations

import re

import pytest

from articles.text import normalise_text, normalised_offset
from tracker import spans

BODY = (
    "Five Syrian opposition sources said the drive accelerated.\n\n"
    "The ministry’s spokesman – speaking on Tuesday – said: “We sent nobody.”\n\n"
    "They said no. Later they said no.\n\n"
    '"Russia and Turkey are escalating," said Joshua Landis, an expert.\n\n'
    '"Russia has tried to match Turkey\'s effort."'
)


def locate(**given) -> spans.Placed:
    return spans.locate(BODY, **given)


def errors(**given) -> dict[str, str]:
    with pytest.raises(spans.SpanError) as error:
        spans.locate(BODY, **given)
    return error.value.errors


def text(placed: spans.Placed) -> str:
    return BODY[placed.start : placed.end]


# -- Finding a passage -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "The ministry's spokesman",  # a straight apostrophe
        "The ministry\u2018s spokesman",  # the wrong typographic one
        "The ministry\u2019s spokesman",  # exactly as printed
        "The ministry`s spokesman",
    ],
)
def test_apostrophes_count_as_equal(typed):
    assert text(locate(passage=typed)) == "The ministry’s spokesman"


def test_double_quotes_dashes_and_whitespace_count_as_equal():
    typed = 'spokesman - speaking on\r\n  Tuesday — said: "We sent nobody."'
    assert text(locate(passage=typed)) == (
        "spokesman – speaking on Tuesday – said: “We sent nobody.”"
    )


def test_a_passage_across_a_paragraph_break_is_found():
    typed = "accelerated. The ministry's"
    assert text(locate(passage=typed)) == "accelerated.\n\nThe ministry’s"


def test_invisible_characters_and_surrounding_space_are_ignored():
    assert text(locate(passage="  Five Syr\u00adian opposition\u200b sources ")) == (
        "Five Syrian opposition sources"
    )


def test_case_and_letters_still_count():
    assert "passage" in errors(passage="five syrian opposition sources")


def test_a_passage_that_is_not_there_is_answered_with_the_closest_one_in_words():
    message = errors(passage="The ministrys spokesman, speaking on Tuesday")["passage"]
    assert message == (
        "This passage is not in the article. The closest passage is "
        "“The ministry’s spokesman – speaking on Tuesday”."
    )


def test_nothing_close_is_said_plainly():
    assert errors(passage="Zebra quagga okapi")["passage"] == (
        "This passage is not in the article, and nothing in it comes close."
    )


def test_an_empty_passage_asks_for_one():
    assert errors(passage="   ")["passage"] == spans.MISSING_PASSAGE
    assert errors()["passage"] == spans.MISSING_PASSAGE


# -- A passage that occurs more than once --------------------------------------------------------


def test_a_passage_that_occurs_twice_asks_for_more_words():
    message = errors(passage="said no.", choose_hint=" (or give occurrence = 1..{n})")
    assert message["passage"] == (
        "This passage occurs 2 times in the article; add a few words around it so that it "
        "occurs once (or give occurrence = 1..2)."
    )


def test_an_occurrence_picks_one():
    second = locate(passage="said no.", occurrence=2)
    assert BODY[second.start - 11 : second.end] == "Later they said no."
    assert errors(passage="said no.", occurrence=3) == {
        "occurrence": "The passage occurs 2 times in the article; there is no occurrence 3."
    }


def test_an_explicit_span_picks_one_or_says_what_it_holds():
    second = BODY.rindex("said no.")
    assert locate(passage="said no.", start=second, end=second + 8).start == second
    message = errors(passage="said no.", start=0, end=11)["span_start"]
    assert message == (
        "The span given holds “Five Syrian”, not this passage; leave the span out or correct it."
    )


def test_near_picks_the_nearest_place():
    second = BODY.rindex("said no.")
    assert locate(passage="said no.", near=second - 3).start == second
    assert locate(passage="said no.", near=0).start == BODY.index("said no.")


# -- Explicit spans --------------------------------------------------------------------------


def test_an_explicit_span_is_checked():
    assert errors(start=10, end=10) == {"span_end": "The span must end after it starts."}
    assert errors(start=0, end=len(BODY) + 1) == {
        "span_end": f"The span runs past the end of the article body ({len(BODY)} characters)."
    }
    assert text(locate(start=0, end=4)) == "Five"


# -- Quotes ----------------------------------------------------------------------------------------


def test_a_quote_is_found_like_a_passage_and_kept_as_printed():
    placed = locate(passage="The ministry's spokesman", quote="ministry's")
    assert placed.quote == "ministry’s"
    placed = locate(passage='said: "We sent nobody."', quote='"We sent nobody."')
    assert placed.quote == "“We sent nobody.”"


def test_a_quote_outside_its_passage_names_the_sentence_it_is_in():
    message = errors(passage="Five Syrian opposition sources", quote="We sent nobody.")["quote"]
    assert message == (
        "The quote is not in the passage; the article has it in "
        "“The ministry’s spokesman – speaking on Tuesday – said: “We sent nobody.””."
    )


def test_a_quote_not_in_the_article_shows_the_closest_words_of_the_passage():
    message = errors(passage="said: “We sent nobody.”", quote="We sent no one")["quote"]
    assert message == (
        "The quote is not in the article. The closest words in the passage are “We sent nobody.”."
    )


# -- Wording ---------------------------------------------------------------------------------------


def test_the_wording_must_be_in_the_passage():
    assert locate(passage="Five Syrian opposition sources said", wording="Syrian opposition")
    message = errors(passage="the drive accelerated", wording="five sources")["wording"]
    assert message.startswith("The wording “five sources” is not in the passage")


def test_a_wording_may_start_a_sentence():
    assert locate(passage="Five Syrian opposition sources said", wording="five Syrian opposition")
    assert "wording" in errors(passage="Five Syrian opposition sources", wording="five syrian")


def test_a_continued_quote_may_take_its_wording_from_the_paragraph_before():
    # The article names the speaker once, then continues his quote in the next paragraph.
    placed = locate(
        passage="Russia has tried to match Turkey's effort.", wording="Joshua Landis, an expert"
    )
    assert text(placed) == "Russia has tried to match Turkey's effort."
    assert "wording" in errors(passage="They said no.", wording="Joshua Landis")


# -- Errors are words, never offsets ---------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        {"passage": "The ministrys spokesman"},
        {"passage": "said no."},
        {"passage": "Five Syrian", "quote": "We sent nobody."},
        {"passage": "Five Syrian", "quote": "Nothing like it"},
        {"passage": "Five Syrian", "wording": "Landis"},
    ],
)
def test_no_error_speaks_in_character_offsets(given):
    # A count ("occurs 2 times") may appear; a place in the text (every one is 10 or more) not.
    for message in errors(**given).values():
        assert not re.search(r"[0-9]{2}", message), message


# -- Re-anchoring ------------------------------------------------------------------------------


def test_a_passage_follows_its_words_into_a_new_text():
    start = BODY.index("The ministry’s")
    end = start + len("The ministry’s spokesman")
    new = "Editor's note: corrected.\n\n" + BODY
    moved = spans.reanchor(BODY, new, start, end)
    assert moved is not None and new[moved[0] : moved[1]] == "The ministry’s spokesman"


def test_a_passage_that_occurs_twice_stays_at_the_nearer_place():
    second = BODY.rindex("said no.")
    new = BODY.replace("Later", "Much later")
    moved = spans.reanchor(BODY, new, second, second + 8)
    assert moved == (new.rindex("said no."), new.rindex("said no.") + 8)


def test_a_passage_gone_from_the_new_text_cannot_be_placed():
    start = BODY.index("They said no.")
    new = BODY.replace("They said no. Later they said no.", "Nobody answered.")
    assert spans.reanchor(BODY, new, start, start + 13) is None


def test_an_unchanged_text_keeps_every_span():
    for start, end in ((0, 4), (BODY.rindex("they"), len(BODY) - 5)):
        assert spans.reanchor(BODY, BODY, start, end) == (start, end)


# -- The passage in its sentence (the admin's view) ---------------------------------------------


def test_a_passage_is_shown_in_its_sentence():
    start = BODY.index("speaking on Tuesday")
    before, passage, after = spans.in_context(BODY, start, start + len("speaking on Tuesday"))
    assert before == "The ministry’s spokesman – "
    assert passage == "speaking on Tuesday"
    assert after == " – said: “We sent nobody.”"


# -- Normalising text as it enters (articles/text.py) --------------------------------------------


def test_text_is_normalised_once_for_every_way_in():
    assert normalise_text("\ufeff  One.\r\nTwo.\rThree.  \n") == "One.\nTwo.\nThree."
    assert normalise_text("Cafe\u0301") == "Café"  # composed
    # Typographic quotes, no-break spaces and inner spacing are the outlet's: kept.
    assert normalise_text("“Quoted”\u00a0–  ’") == "“Quoted”\u00a0–  ’"
    assert normalise_text(normalise_text("a\r\nb")) == "a\nb"


def test_an_offset_in_text_as_sent_follows_its_normalisation():
    raw = "\r\n  First.\r\nSecond."
    clean = normalise_text(raw)
    assert clean[normalised_offset(raw, raw.index("Second")) :] == "Second."
    assert normalised_offset(raw, 0) == 0
    assert normalised_offset(raw, len(raw)) == len(clean)
