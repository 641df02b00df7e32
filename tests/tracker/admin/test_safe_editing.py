"""Safe editing in the admin: forms posted as a browser posts them never move a span by accident.

Every test opens the page, reads the form as a browser would (every field, the inline management
forms, textareas sent back with CRLF line endings, the article's typographic quotes) and posts it.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from tests.browser_forms import form_data
from tracker.models import Attribution, Claim

pytestmark = pytest.mark.django_db

GONE = "A former Wagner Group member said it first sent Syrians to Libya in 2019."


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


@pytest.fixture
def seed(db) -> Article:
    call_command("load_seeds", stdout=StringIO())
    return Article.objects.get()


def article_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def snapshot() -> dict:
    """Every stored byte an edit could change, and the records of change."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "attributions": list(Attribution.objects.order_by("pk").values()),
        "claims": Claim.objects.count(),
        "article versions": Article.history.count(),
        "attribution versions": Attribution.history.count(),
        "log": LogEntry.objects.count(),
    }


def passages() -> dict[int, str]:
    return {a.pk: a.passage for a in Attribution.objects.select_related("article")}


def saved(response) -> None:
    if response.status_code != 302:
        form = response.context["adminform"].form
        formsets = [f.formset.errors for f in response.context["inline_admin_formsets"]]
        raise AssertionError(f"not saved: {form.errors} {formsets}")


def prefix_of(data: dict[str, list[str]], attribution: Attribution) -> str:
    for name, values in data.items():
        if name.endswith("-id") and values == [str(attribution.pk)]:
            return name.removesuffix("-id")
    raise AssertionError(f"attribution {attribution.pk} is not on the page")


# -- An untouched save -------------------------------------------------------------------------


def test_an_untouched_save_of_the_seed_article_changes_no_byte_and_no_span(editor_client, seed):
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    # As a browser sends it: CRLF line endings, the article's own typographic quotes, and
    # every inline attribution with its management form.
    assert "\r\n" in data["body"][0] and "“" in data["body"][0]
    assert data["attributions-TOTAL_FORMS"] == [str(Attribution.objects.count())]
    before = snapshot()
    saved(editor_client.post(article_url(seed), data))
    after = snapshot()
    assert after["articles"] == before["articles"]
    assert after["attributions"] == before["attributions"]
    assert after["article versions"] == before["article versions"]
    assert after["attribution versions"] == before["attribution versions"]
    changes = [entry.get_change_message() for entry in LogEntry.objects.all()]
    assert not any(message.startswith("Changed") for message in changes), changes


def test_an_attribution_page_shows_its_passage_and_an_untouched_save_changes_nothing(
    editor_client, seed
):
    attribution = Attribution.objects.get(
        source__slug="joshua-landis", claim__slug__startswith="eu"
    )
    url = reverse("admin:tracker_attribution_change", args=[attribution.pk])
    page = editor_client.get(url)
    html = page.content.decode()
    assert "<mark>&quot;Russia and Turkey are both escalating" in html  # in its sentence
    assert 'name="span_start"' not in html  # no bare numbers
    data = form_data(page, "attribution_form")
    assert data["passage"] == [crlf(attribution.passage)]
    before = snapshot()
    saved(editor_client.post(url, data))
    after = snapshot()
    assert (after["attributions"], after["attribution versions"]) == (
        before["attributions"],
        before["attribution versions"],
    )


# -- The passage in context --------------------------------------------------------------------


def test_every_attribution_shows_its_passage_in_its_sentence(editor_client, seed):
    page = editor_client.get(article_url(seed))
    data = form_data(page, "article_form")
    html = page.content.decode()
    for attribution in Attribution.objects.select_related("article"):
        prefix = prefix_of(data, attribution)
        assert data[f"{prefix}-passage"] == [crlf(attribution.passage)]
    # The sentence around, read-only, the passage marked (and escaped: the body is never safe).
    denial = Attribution.objects.get(source__slug="haftar-spokesman")
    assert f"<mark>{denial.passage.replace(chr(39), '&#x27;')}</mark>" in html
    assert "span_start" not in html


# -- Editing the text --------------------------------------------------------------------------


def test_a_body_edit_that_keeps_every_passage_moves_every_span_with_it(editor_client, seed):
    before = passages()
    starts = dict(Attribution.objects.values_list("pk", "span_start"))
    note = "Editor’s note: this story was updated on June 8 with a response from Moscow."
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    data["body"] = [crlf(note) + "\r\n\r\n" + data["body"][0]]
    saved(editor_client.post(article_url(seed), data))
    seed.refresh_from_db()
    assert seed.body.startswith(note + "\n\nA Russian drive") and "\r" not in seed.body
    assert passages() == before  # every span holds the same words
    shift = len(note) + 2
    assert dict(Attribution.objects.values_list("pk", "span_start")) == {
        pk: start + shift for pk, start in starts.items()
    }


def test_a_body_edit_that_removes_a_passage_is_refused_naming_it(editor_client, seed):
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    assert crlf(GONE) in data["body"][0]
    data["body"] = [data["body"][0].replace(crlf(GONE) + "\r\n\r\n", "")]
    before = snapshot()
    response = editor_client.post(article_url(seed), data)
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.errors["body"])
    assert message.startswith("The new text no longer has the passage an attribution rests on:")
    assert "“Wagner Group first sent Syrians to Libya in 2019.”" in message  # the claim
    assert "(Former Wagner Group member, asserts)" in message  # the source
    assert f"on “{GONE}”" in message  # the passage, in words
    assert snapshot() == before


def test_a_passage_typed_with_a_straight_apostrophe_is_found_where_the_article_has_a_curly_one(
    editor_client, seed
):
    experts = Attribution.objects.get(source__slug="some-experts")
    assert "Moscow's involvement" in experts.passage
    # An editor sets the article's apostrophe as printed: the span on it follows.
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    data["body"] = [data["body"][0].replace("Moscow's involvement", "Moscow’s involvement")]
    saved(editor_client.post(article_url(seed), data))
    experts.refresh_from_db()
    assert "Moscow’s involvement" in Attribution.objects.get(pk=experts.pk).passage
    # A new attribution typed with the straight apostrophe is found, and keeps the article's.
    url = reverse("admin:tracker_attribution_add")
    data = form_data(editor_client.get(url), "attribution_form")
    russia = Attribution.objects.filter(source__slug="russian-state").first()
    data.update(
        claim=[str(experts.claim_id)],
        source=[str(russia.source_id if russia else experts.source_id)],
        article=[str(seed.pk)],
        stance=["asserts"],
        wording=[""],
        passage=["Moscow's involvement in Libya is an extension of its ambition"],
        quote=["Moscow's involvement"],
    )
    saved(editor_client.post(url, data))
    added = Attribution.objects.latest("pk")
    assert added.passage == "Moscow’s involvement in Libya is an extension of its ambition"
    assert added.quote == "Moscow’s involvement"


def test_an_ambiguous_passage_asks_for_more_words(editor_client, seed):
    url = reverse("admin:tracker_attribution_add")
    data = form_data(editor_client.get(url), "attribution_form")
    experts = Attribution.objects.get(source__slug="some-experts")
    data.update(
        claim=[str(experts.claim_id)],
        source=[str(experts.source_id)],
        article=[str(seed.pk)],
        stance=["denies"],
        wording=[""],
        passage=["Libya"],
    )
    before = snapshot()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    message = response.context["adminform"].form.errors["passage"][0]
    assert message.startswith("This passage occurs ")
    assert "add a few words around it so that it occurs once." in message
    assert snapshot() == before


def test_a_passage_changed_under_the_article_moves_that_span(editor_client, seed):
    attribution = Attribution.objects.get(source__slug="former-wagner-group-member")
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    prefix = prefix_of(data, attribution)
    data[f"{prefix}-passage"] = ["A former Wagner Group member said it first sent Syrians"]
    saved(editor_client.post(article_url(seed), data))
    attribution.refresh_from_db()
    assert attribution.passage == "A former Wagner Group member said it first sent Syrians"


def test_a_wording_that_is_not_in_the_passage_is_refused(editor_client, seed):
    attribution = Attribution.objects.get(source__slug="former-wagner-group-member")
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    prefix = prefix_of(data, attribution)
    data[f"{prefix}-wording"] = ["a Wagner commander"]
    before = snapshot()
    response = editor_client.post(article_url(seed), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    messages = [m for form in errors for m in form.get("wording", [])]
    assert messages and messages[0].startswith("The wording “a Wagner commander” is not in")
    assert snapshot() == before
