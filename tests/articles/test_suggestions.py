"""Stored suggestions: `suggest_attributions ARTICLE`, decisions kept on a new run, spans that
follow the text."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ArticleText, update_article
from articles.models import Article, SuggestedAttribution
from tests.browser_forms import form_data
from tracker.models import Source

pytestmark = pytest.mark.django_db

TEXT = (
    "The harbour board said the new pier would open in March.\n\n"
    "Some fishermen say the dredging drove the fish away.\n\n"
    "The Ports Authority did not respond to questions about the cost.\n\n"
    "A board spokeswoman denied that the contract had been rushed."
)


@pytest.fixture
def article() -> Article:
    return Article.objects.create(
        title="Pier", slug="pier", published_on=datetime.date(2024, 3, 1), body=TEXT
    )


def store(article: Article) -> str:
    out = StringIO()
    call_command("suggest_attributions", str(article.pk), stdout=out, stderr=StringIO())
    return out.getvalue()


def words(row: SuggestedAttribution, part: str) -> str:
    return row.text_of(Article.objects.get(pk=row.article_id).body, part)


def test_it_stores_each_suggestion_with_its_spans_stance_and_count(article: Article) -> None:
    said = store(article)
    rows = list(SuggestedAttribution.objects.filter(article=article))
    assert f"Article {article.pk}" in said and "4 new" in said
    assert [(words(r, "source"), r.stance) for r in rows] == [
        ("The harbour board", "asserts"),
        ("Some fishermen", "asserts"),
        ("The Ports Authority", "no_response"),
        ("A board spokeswoman", "denies"),
    ]
    assert words(rows[0], "content") == "the new pier would open in March"
    assert words(rows[0], "cue") == "said"
    assert rows[1].count is None  # a plural the text does not count
    assert rows[1].anonymity == "anonymous"
    assert rows[2].content_start is None
    assert {r.status for r in rows} == {"pending"}


def test_a_source_already_known_is_matched_by_its_name(article: Article) -> None:
    authority = Source.objects.create(name="Ports Authority", slug="pa", kind="organisation")
    store(article)
    row = SuggestedAttribution.objects.get(article=article, stance="no_response")
    assert row.known == f"source:{authority.pk}"


def test_running_again_adds_nothing_and_rejected_stay_rejected(article: Article) -> None:
    store(article)
    first = list(SuggestedAttribution.objects.filter(article=article).values_list("pk", flat=True))
    SuggestedAttribution.objects.filter(pk=first[1]).update(status="rejected")
    said = store(article)
    again = list(SuggestedAttribution.objects.filter(article=article).values_list("pk", "status"))
    assert [pk for pk, _ in again] == first
    assert dict(again)[first[1]] == "rejected"
    assert "0 new" in said and "1 stay rejected" in said


def test_a_rejected_suggestion_stays_rejected_when_the_text_moves(article: Article) -> None:
    store(article)
    rejected = SuggestedAttribution.objects.get(article=article, stance="denies")
    rejected.status = "rejected"
    rejected.save()
    moved = "A new opening paragraph.\n\n" + TEXT.replace("harbour", "Harbour")
    update_article(article, ArticleText(Path("pier.txt"), datetime.date(2024, 3, 1), moved))
    article.refresh_from_db()
    rejected.refresh_from_db()
    assert words(rejected, "source") == "A board spokeswoman"  # followed its words
    store(article)
    statuses = SuggestedAttribution.objects.filter(article=article, stance="denies")
    assert [(r.pk, r.status) for r in statuses] == [(rejected.pk, "rejected")]
    # The first statement's words changed ("Harbour"): as normalised words, the same suggestion.
    assert SuggestedAttribution.objects.filter(article=article).count() == 4


def test_suggestions_whose_words_are_gone_are_dropped_or_detached(article: Article) -> None:
    store(article)
    pending = SuggestedAttribution.objects.get(article=article, stance="no_response")
    decided = SuggestedAttribution.objects.get(article=article, stance="denies")
    decided.status = "rejected"
    decided.save()
    shorter = TEXT.split("\n\n")
    update_article(
        article, ArticleText(Path("pier.txt"), datetime.date(2024, 3, 1), "\n\n".join(shorter[:2]))
    )
    assert not SuggestedAttribution.objects.filter(pk=pending.pk).exists()
    decided.refresh_from_db()
    assert decided.detached and decided.status == "rejected"


def test_the_admin_moves_suggestions_with_the_text(article: Article, editor_client) -> None:
    store(article)
    row = SuggestedAttribution.objects.get(article=article, stance="denies")
    old_start = row.cue_start
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor_client.get(url), "article_form")
    data["body"] = ["New first line.\r\n\r\n" + data["body"][0]]
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    row.refresh_from_db()
    assert row.cue_start == old_start + len("New first line.\n\n")


def test_bad_article_ids_are_named() -> None:
    with pytest.raises(CommandError, match="'x1': give the article's id"):
        store_raw("x1")
    with pytest.raises(CommandError, match="ARTICLE 999: there is no article"):
        store_raw("999")
    with pytest.raises(CommandError, match="not both"):
        call_command("suggest_attributions", "1", "--jsonl", "-")


def store_raw(key: str) -> None:
    call_command("suggest_attributions", key, stdout=StringIO(), stderr=StringIO())
