"""The extractor, pattern by pattern: source, cue, content, stance, anonymity and count."""

from __future__ import annotations

import pytest

from articles.suggest import KnownName, Suggestion, suggest


def words(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def found(text: str, **kwargs) -> list[tuple]:
    return [
        (words(text, s.source), words(text, s.cue), s.stance, s.anonymity, s.count)
        for s in suggest(text, **kwargs)
    ]


CASES = {
    "said after the subject": (
        "Finance Minister Karl Obst said the deficit would narrow next year.",
        [("Finance Minister Karl Obst", "said", "asserts", "named", 1)],
    ),
    "fronted content, anonymous plural with a number word": (
        "The drive accelerated in May, five opposition sources said.",
        [("five opposition sources", "said", "asserts", "anonymous", 5)],
    ),
    "quote then said and the source, with an appositive": (
        '"Prices will fall," said Ana Ruiz, head of research at Norte Bank.',
        [("Ana Ruiz, head of research at Norte Bank", "said", "asserts", "named", 1)],
    ),
    "quote then the source and said": (
        "“The bridge is closed,” a police officer said.",
        [("a police officer", "said", "asserts", "anonymous", 1)],
    ),
    "told a recipient": (
        "Two diplomats told Reuters the talks had collapsed.",
        [("Two diplomats", "told Reuters", "asserts", "anonymous", 2)],
    ),
    "according to, with coordinated sources": (
        "The plant was shut, according to three engineers and a union official.",
        [
            ("three engineers", "according to", "asserts", "anonymous", 3),
            ("a union official", "according to", "asserts", "anonymous", 1),
        ],
    ),
    "a spokesman for a body is anonymous": (
        "A spokesman for the militia denied it had recruited fighters.",
        [("A spokesman for the militia", "denied", "denies", "anonymous", 1)],
    ),
    "unspecified plural has no count": (
        "Officials said the road would reopen. Some experts say it will not.",
        [
            ("Officials", "said", "asserts", "anonymous", None),
            ("Some experts", "say", "asserts", "anonymous", None),
        ],
    ),
    "dismissed as": (
        "The ministry dismissed the report as propaganda.",
        [("The ministry", "dismissed", "denies", "named", 1)],
    ),
    "rejected allegations": (
        "The club rejected the allegations.",
        [("The club", "rejected", "denies", "named", 1)],
    ),
    "declined to comment": (
        "The embassy declined to comment.",
        [("The embassy", "declined to comment", "declined", "named", 1)],
    ),
    "would neither confirm nor deny": (
        "The army would neither confirm nor deny the strike.",
        [("The army", "would neither confirm nor deny", "declined", "named", 1)],
    ),
    "did not immediately respond to a request for comment": (
        "The company did not immediately respond to a request for comment.",
        [
            (
                "The company",
                "did not immediately respond to a request for comment",
                "no_response",
                "named",
                1,
            )
        ],
    ),
    "could not be reached": (
        "Her lawyer could not be reached for comment.",
        [("Her lawyer", "could not be reached for comment", "no_response", "named", 1)],
    ),
    "coordinated non-response": (
        "The ministry and the army did not respond to questions.",
        [
            ("The ministry", "did not respond to questions", "no_response", "named", 1),
            ("the army", "did not respond to questions", "no_response", "named", 1),
        ],
    ),
    "coordinated verbs share a subject": (
        "The governor denied the claims and said the vote was fair.",
        [
            ("The governor", "denied", "denies", "named", 1),
            ("The governor", "said", "asserts", "named", 1),
        ],
    ),
    "nested attribution": (
        "Leyla Aksoy said a guard told her the prison was full.",
        [
            ("Leyla Aksoy", "said", "asserts", "named", 1),
            ("a guard", "told her", "asserts", "anonymous", 1),
        ],
    ),
    "hedged denial": (
        "The president said that if there are soldiers abroad, they are not acting for the state.",
        [("The president", "said", "denies", "named", 1)],
    ),
    "a statement that calls a claim false is a denial": (
        "The minister said the reports were false.",
        [("The minister", "said", "denies", "named", 1)],
    ),
    "passive without a source": (
        "The envoy is said to have left the capital.",
        [(None, "is said to", "asserts", "unattributed", None)],
    ),
    "a silence told by its negated subject": (
        "Nobody at the rail operator could be reached for comment on Sunday.",
        [
            (
                "Nobody at the rail operator",
                "could be reached for comment",
                "no_response",
                "named",
                1,
            )
        ],
    ),
    "a negated subject that answered nothing": (
        "No one from the festival replied to written questions.",
        [("No one from the festival", "replied to written questions", "no_response", "named", 1)],
    ),
    "told someone, then the content's own subject": (
        "The auditor told the museum it had lost track of forty paintings.",
        [("The auditor", "told the museum", "asserts", "anonymous", 1)],
    ),
    "a denial of wrongdoing without a denial verb": (
        "The farmer said his family had done nothing illegal.",
        [("The farmer", "said", "denies", "anonymous", 1)],
    ),
    "a denial by calling it an invention": (
        "Asked about the photographs, the agency's director said: “This is pure fiction.”",
        [("the agency's director", "said", "denies", "named", 1)],
    ),
    "said that was untrue": (
        "The landlord said that was untrue.",
        [("The landlord", "said", "denies", "anonymous", 1)],
    ),
    "a denial in a later clause is that clause's": (
        "Two porters said the lift was broken, but the company said that was a smear.",
        [
            ("Two porters", "said", "asserts", "anonymous", 2),
            ("the company", "said", "denies", "named", 1),
        ],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_it_finds_the_pattern(name: str) -> None:
    text, expected = CASES[name]
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The parliament rejected the bill by 210 votes to 95.",
        "The judge dismissed the case on procedural grounds.",
        "The move added to pressure on the government.",
        "She was denied entry at the border.",
        "The number of reported cases rose sharply.",
        "Rebels claimed responsibility for the attack.",
        "Russia has been a staunch ally of the government for years.",
        "The guide told the story that every child in the valley knows.",
        "He told the truth at last.",
    ],
)
def test_it_suggests_nothing_where_nothing_is_reported(text: str) -> None:
    assert suggest(text) == []


def test_lies_in_what_is_said_are_no_denial() -> None:
    text = "The mayor said the lies about the budget had to stop."
    assert found(text) == [("The mayor", "said", "asserts", "named", 1)]


def test_a_quote_over_several_sentences_is_one_content() -> None:
    text = "“The water rose at night. We lost everything,” said Mia Berg, a farmer."
    (s,) = suggest(text)
    assert words(text, s.content) == "The water rose at night. We lost everything"
    assert words(text, s.source) == "Mia Berg, a farmer"


def test_words_inside_a_quote_are_no_cue() -> None:
    text = "“Whatever the critics say, we denied nothing,” the mayor told reporters."
    assert found(text) == [("the mayor", "told reporters", "asserts", "named", 1)]


def test_a_pronoun_takes_the_nearest_earlier_person() -> None:
    text = "A spokesman for the rebels said the town had fallen. He said 40 fighters died."
    first, second = suggest(text)
    assert words(text, second.source) == "He"
    assert second.antecedent == first.source
    assert (second.anonymity, second.count) == ("anonymous", 1)


def test_content_spans_stop_at_a_coordinated_statement() -> None:
    text = "Olsen said profits would fall, but she denied that jobs would go."
    said, denied = suggest(text)
    assert words(text, said.content) == "profits would fall"
    assert words(text, denied.source) == "she"
    assert words(text, denied.content) == "jobs would go"


def test_known_names_match_without_case_or_accents() -> None:
    known = [
        KnownName("actor:erdogan", ("Recep Tayyip Erdoğan", "Erdogan")),
        KnownName("source:ministry", ("Russian Defence Ministry", "Russian MoD")),
    ]
    text = "President ERDOĞAN said the talks went well. The russian defence ministry said so too."
    erdogan, ministry = suggest(text, known=known)
    assert (erdogan.known, ministry.known) == ("actor:erdogan", "source:ministry")


def test_a_pronoun_carries_its_antecedents_known_name() -> None:
    text = "Joshua Meir said the talks failed. He said they would resume."
    known = [KnownName("person:meir", ("Joshua Meir",))]
    assert [s.known for s in suggest(text, known=known)] == ["person:meir", "person:meir"]


def test_every_span_lies_inside_the_text_and_starts_before_it_ends() -> None:
    text = "“It is over,” said Ida Holm. Police said two people died, adding that one was a child."
    for s in suggest(text):
        for span in (s.source, s.cue, s.content):
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(text)
                assert text[span[0] : span[1]] == text[span[0] : span[1]].strip()


def test_a_suggestion_is_frozen() -> None:
    (s,) = suggest("Officials said it rained.")
    assert isinstance(s, Suggestion)
    with pytest.raises(AttributeError):
        s.stance = "denies"  # type: ignore[misc]
