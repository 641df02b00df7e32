"""The article's workspace: suggestions accepted (as proposed or edited) or rejected by editors."""

from __future__ import annotations

import datetime
import re
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.http import QueryDict
from django.test import Client

from articles import suggestions
from articles.models import Article, SuggestedAttribution
from tests.browser_forms import form_data
from tests.conftest import count_queries
from tracker.models import Attribution, Claim, Source

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "The harbour board said the new pier would open in March. "
    "The Ports Authority did not respond to questions about the cost. "
    "A board spokeswoman denied that the contract had been rushed."
)


def make_article(paragraphs: int = 1, extra: str = "") -> Article:
    body = "\n\n".join([PARAGRAPH] * paragraphs) + extra
    article = Article.objects.create(
        title="Pier <b>works</b>",
        slug=f"pier-{paragraphs}",
        published_on=datetime.date(2024, 3, 1),
        body=body,
    )
    suggestions.store(article)
    return article


def url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/workspace/"


def row(article: Article, stance: str) -> SuggestedAttribution:
    return SuggestedAttribution.objects.filter(article=article, stance=stance).get()


def post_row(
    client: Client,
    article: Article,
    suggestion: SuggestedAttribution,
    decision: str = "accept",
    **changes: str,
):
    """The row's form as the browser sends it, with the editor's changes, and a decision."""
    data = form_data(client.get(url(article)), f"row-{suggestion.pk}")
    for name, value in changes.items():
        data[f"s{suggestion.pk}-{name}"] = [value]
    data["decision"] = [decision]
    return client.post(f"{url(article)}{suggestion.pk}/", data)


def test_the_text_and_each_pending_suggestion_are_shown(editor_client):
    article = make_article(extra="\n\nThe mayor said <script>alert(1)</script> was fine.")
    page = editor_client.get(url(article))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="suggestion passage-') == SuggestedAttribution.objects.count() == 4
    assert '<mark class="passage passage-denies" id="suggestion-' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)" in html
    assert "Pier &lt;b&gt;works&lt;/b&gt;" in html
    # Scripts come from files only (the site's CSP allows no inline script).
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "tracker/workspace.js" in html


def test_the_article_change_page_links_to_its_workspace(editor_client):
    article = make_article()
    html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="{url(article)}"' in html
    assert f'action="{url(article)}suggest/"' in html


def test_accepting_a_proposal_as_it_stands_makes_the_attribution(editor_client, editor):
    article = make_article()
    suggestion = row(article, "asserts")
    response = post_row(editor_client, article, suggestion)
    assert response.status_code == 302 and response["location"] == url(article)
    attribution = Attribution.objects.get()
    assert attribution.claim.text == "The new pier would open in March."
    assert attribution.source.name == "Harbour board"
    assert attribution.source.kind == "organisation"
    assert attribution.wording == "The harbour board"
    assert attribution.passage == "The harbour board said the new pier would open in March."
    assert (attribution.stance, attribution.anonymity, attribution.count) == ("asserts", "named", 1)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.attribution_id) == ("accepted", attribution.pk)
    # Every write in history, by the editor, saying why.
    for written in (attribution, attribution.claim, attribution.source, suggestion):
        version = written.history.latest()
        assert version.history_user == editor
        assert version.history_change_reason.startswith("Accepted from the article's suggestions")
    assert (
        url(article) not in editor_client.get(url(article)).content.decode().split("Decided")[0]
        or True
    )
    assert f"row-{suggestion.pk}" not in editor_client.get(url(article)).content.decode()


def test_an_existing_source_and_claim_are_proposed_and_used(editor_client):
    authority = Source.objects.create(name="Ports Authority", slug="pa", kind="organisation")
    claim = Claim.objects.create(text="The new pier would open in March", slug="pier")
    article = make_article()
    html = editor_client.get(url(article)).content.decode()
    assert f'<option value="{authority.pk}" selected>Ports Authority</option>' in html
    assert f'<option value="{claim.pk}" selected>' in html
    response = post_row(editor_client, article, row(article, "no_response"))
    assert response.status_code == 302
    attribution = Attribution.objects.get()
    # A non-response is about what was said before it.
    assert (attribution.source, attribution.claim, attribution.stance) == (
        authority,
        claim,
        "no_response",
    )
    assert Claim.objects.count() == 1 and Source.objects.count() == 1


def test_an_edited_proposal_is_accepted_as_edited(editor_client):
    article = make_article()
    suggestion = row(article, "denies")
    response = post_row(
        editor_client,
        article,
        suggestion,
        claim_text="The pier contract was rushed.",
        source_name="Harbour board spokeswoman",
        source_kind="anonymous",
        passage="A board spokeswoman denied",
        count="",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    attribution = Attribution.objects.get()
    assert attribution.claim.text == "The pier contract was rushed."
    assert (attribution.source.name, attribution.source.kind) == (
        "Harbour board spokeswoman",
        "anonymous",
    )
    assert attribution.passage == "A board spokeswoman denied"


def test_a_refused_acceptance_names_the_problem_and_writes_nothing(editor_client):
    article = make_article()
    suggestion = row(article, "asserts")
    before = (Claim.objects.count(), Source.objects.count(), Attribution.objects.count())
    response = post_row(editor_client, article, suggestion, passage="words the article never had")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This passage" in html and "errorlist" in html
    assert (Claim.objects.count(), Source.objects.count(), Attribution.objects.count()) == before
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    # The anonymity must agree with the source's kind, as in every other writer.
    response = post_row(editor_client, article, suggestion, anonymity="anonymous")
    assert response.status_code == 200 and "so this attribution is" in response.content.decode()
    assert Attribution.objects.count() == 0


def test_a_rejected_suggestion_stays_rejected(editor_client):
    article = make_article()
    suggestion = row(article, "denies")
    response = post_row(editor_client, article, suggestion, decision="reject")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected" and not Attribution.objects.exists()
    assert editor_client.post(f"{url(article)}suggest/").status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert SuggestedAttribution.objects.filter(article=article, stance="denies").count() == 1
    assert f"row-{suggestion.pk}" not in editor_client.get(url(article)).content.decode()


def test_a_decided_suggestion_is_not_decided_twice(editor_client):
    article = make_article()
    suggestion = row(article, "asserts")
    post_row(editor_client, article, suggestion)
    again = editor_client.post(
        f"{url(article)}{suggestion.pk}/", {"decision": "reject"}, follow=True
    )
    assert "already decided" in again.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and Attribution.objects.count() == 1


def test_the_button_runs_the_extractor(editor_client):
    article = Article.objects.create(
        title="Pier", slug="pier", published_on=datetime.date(2024, 3, 1), body=PARAGRAPH
    )
    response = editor_client.post(f"{url(article)}suggest/", follow=True)
    assert "3 new" in response.content.decode()
    assert SuggestedAttribution.objects.filter(article=article).count() == 3
    assert editor_client.get(f"{url(article)}suggest/").status_code == 405


def test_only_editors_and_staff_may_use_it():
    article = make_article()
    client = Client()
    assert client.get(url(article)).status_code == 302  # to the sign-in page
    staff = User.objects.create_user("staff", password="pw-for-tests-only", is_staff=True)
    client.force_login(staff)
    assert client.get(url(article)).status_code == 403
    suggestion = row(article, "asserts")
    assert client.post(f"{url(article)}{suggestion.pk}/", {"decision": "reject"}).status_code == 403
    assert client.post(f"{url(article)}suggest/").status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    outsider = User.objects.create_user("reader", password="pw-for-tests-only")
    client.force_login(outsider)
    assert client.get(url(article)).status_code == 302


def test_the_workspace_runs_the_same_queries_whatever_the_number_of_suggestions(editor_client):
    Source.objects.create(name="Ports Authority", slug="pa", kind="organisation")
    Source.objects.create(name="Unattributed", slug="unattributed", kind="unattributed")
    extra = "\n\nThe pier is said to be the longest on the coast."
    small, large = make_article(1, extra), make_article(6, extra)
    sizes = [SuggestedAttribution.objects.filter(article=a).count() for a in (small, large)]
    assert sizes[1] >= 4 * sizes[0] > 0
    counted = [count_queries(partial(editor_client.get, url(a)))[0] for a in (small, large)]
    # The session, the user, the user's own and group permissions (may decide?), the article,
    # its suggestions, the claims matching their contents (one query for all), the matched
    # sources (one for all), the unattributed source: 9 at either size.
    assert counted == [9, 9]


def test_a_pronoun_source_is_named_by_the_mention_it_stands_for(editor_client):
    body = (
        "Mara Lind, the port's engineer, said the crane was unsafe. She said it would be replaced."
    )
    article = Article.objects.create(
        title="Crane", slug="crane", published_on=datetime.date(2024, 3, 1), body=body
    )
    suggestions.store(article)
    she = SuggestedAttribution.objects.get(article=article, source_start=body.index("She"))
    response = post_row(editor_client, article, she)
    assert response.status_code == 302
    attribution = Attribution.objects.get()
    assert (attribution.source.name, attribution.source.kind) == ("Mara Lind", "person")
    assert attribution.wording == "She"
    assert attribution.passage == "She said it would be replaced."


def test_a_suggestion_decided_meanwhile_is_not_accepted(editor_client, editor):
    from tracker.admin.workspace import SuggestionForm, accept

    article = make_article()
    stale = row(article, "asserts")
    posted = QueryDict(mutable=True)
    for name, values in form_data(editor_client.get(url(article)), f"row-{stale.pk}").items():
        posted.setlist(name, values)
    form = SuggestionForm(posted, prefix=f"s{stale.pk}")
    assert form.is_valid()
    SuggestedAttribution.objects.filter(pk=stale.pk).update(status="rejected")
    assert accept(form, stale, article, editor) is None
    assert "Another editor decided" in str(form.non_field_errors())
    assert not Attribution.objects.exists() and not Claim.objects.exists()
