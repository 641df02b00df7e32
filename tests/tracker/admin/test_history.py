"""Every editorial write leaves a version with who, when, why and old and new values; editors
see the differences in the admin and revert to a version through the same checks as a save."""

from __future__ import annotations

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Outlet
from tests.browser_forms import form_data
from tests.conftest import BODY, SEEDS, span_of
from tracker.api.auth import create_token
from tracker.models import Actor, ActorAlias, Attribution, Claim, Evidence, Source, Verdict

pytestmark = pytest.mark.django_db

TRACKED = (Outlet, Article, Actor, ActorAlias, Source, Claim, Attribution, Verdict, Evidence)


# -- Posting a form as a browser does --------------------------------------------------------


def versions() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in TRACKED}


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def revert_url(obj, version) -> str:
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    return reverse(name, args=[obj.pk, version.history_id])


def posted(client: Client, url: str, form_id: str, **changes: str):
    """Open a change page, change some fields as an editor types them, and press Save."""
    data = form_data(client.get(url), form_id)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, data)


def saved(response) -> None:
    if response.status_code != 302:
        context = response.context
        form = context.get("adminform").form if context and context.get("adminform") else None
        formsets = context.get("inline_admin_formsets", []) if context else []
        problems = [form.errors if form else None] + [f.formset.errors for f in formsets]
        raise AssertionError(f"not saved ({response.status_code}): {problems}")


def inline_prefix(data: dict[str, list[str]], attribution: Attribution) -> str:
    """The inline form's prefix ("attributions-2") that holds this attribution."""
    for name, values in data.items():
        if name.endswith("-id") and values == [str(attribution.pk)]:
            return name.removesuffix("-id")
    raise AssertionError(f"attribution {attribution.pk} is not on the page")


# -- The History page: old and new values, and revert ----------------------------------------


def test_a_stance_changed_under_its_claim_shows_old_and_new_value_and_reverts(
    editor_client, editor, newsroom
):
    url = change_url(newsroom.claim)
    data = form_data(editor_client.get(url), "claim_form")
    prefix = inline_prefix(data, newsroom.anonymous_five)
    data[f"{prefix}-stance"] = ["denies"]
    data[f"{prefix}-wording"] = ["Syrian opposition sources"]
    saved(editor_client.post(url, data))

    changed = Attribution.objects.get(pk=newsroom.anonymous_five.pk)
    assert changed.stance == "denies"
    latest = changed.history.latest()
    assert latest.history_user == editor
    page = editor_client.get(history_url(changed)).content.decode()
    assert "Stance:</strong> Asserts &rarr; Denies" in page
    assert "Wording:</strong> Five Syrian opposition sources &rarr; Syrian opposition" in page

    # Revert to the version before the change, from its own page, as a browser posts it.
    before = latest.prev_record
    revert = revert_url(changed, before)
    counts = versions()
    saved(
        editor_client.post(
            revert, form_data(editor_client.get(revert), "historicalattribution_form")
        )
    )
    reverted = Attribution.objects.get(pk=changed.pk)
    assert (reverted.stance, reverted.wording) == ("asserts", "Five Syrian opposition sources")
    assert versions()["Attribution"] == counts["Attribution"] + 1
    last = reverted.history.latest()
    assert last.history_user == editor
    assert last.history_change_reason.startswith("reverted to the version of ")
    page = editor_client.get(history_url(reverted)).content.decode()
    assert "Stance:</strong> Denies &rarr; Asserts" in page


def test_a_verdict_rated_under_its_claim_can_be_reverted_and_the_status_follows(
    editor_client, newsroom
):
    verdict = Verdict.objects.create(
        claim=newsroom.claim, rating="confirmed", explanation="Confirmed by two outlets."
    )
    url = change_url(newsroom.claim)
    data = form_data(editor_client.get(url), "claim_form")
    data["verdicts-0-rating"] = ["refuted"]
    data["verdicts-0-explanation"] = ["Refuted:\r\nthe “ministry” records show otherwise."]
    saved(editor_client.post(url, data))
    assert Claim.objects.get(pk=newsroom.claim.pk).status == "refuted"

    first = verdict.history.earliest()
    page = editor_client.get(history_url(verdict)).content.decode()
    assert "Rating:</strong> Confirmed &rarr; Refuted" in page
    revert = revert_url(verdict, first)
    saved(
        editor_client.post(revert, form_data(editor_client.get(revert), "historicalverdict_form"))
    )
    verdict.refresh_from_db()
    assert (verdict.rating, verdict.explanation) == ("confirmed", "Confirmed by two outlets.")
    assert Claim.objects.get(pk=newsroom.claim.pk).status == "confirmed"


def test_a_revert_that_would_put_a_span_outside_the_body_is_refused(editor_client, newsroom):
    # The denial sat at the end of the body; an editor moved it to the first sentence, then the
    # last sentences were cut. Its old version points past the end of the body now.
    denial = Attribution.objects.get(pk=newsroom.denial.pk)
    at_the_end = denial.history.latest()
    denial.quote = ""
    denial.span_start, denial.span_end = span_of(BODY, "Five Syrian opposition sources").values()
    denial.save()
    article = Article.objects.get(pk=newsroom.article.pk)
    article.body = BODY[: BODY.index("A spokesman")].rstrip()
    article.save()
    assert at_the_end.span_start > len(article.body)

    revert = revert_url(denial, at_the_end)
    counts = versions()
    response = editor_client.post(
        revert, form_data(editor_client.get(revert), "historicalattribution_form")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors, "the revert was accepted"
    assert "errornote" in response.content.decode()
    assert versions() == counts
    stored = Attribution.objects.get(pk=denial.pk)
    assert (stored.span_start, stored.span_end) == (denial.span_start, denial.span_end)


def test_a_response_edited_on_the_responses_page_is_in_its_history(editor_client, newsroom):
    url = reverse("admin:tracker_response_change", args=[newsroom.no_response.pk])
    saved(posted(editor_client, url, "response_form", stance="declined"))
    record = Attribution.history.filter(id=newsroom.no_response.pk).latest()
    assert record.stance == "declined"
    history = editor_client.get(reverse("admin:tracker_response_history", args=[record.id]))
    assert history.status_code == 302
    assert history["Location"] == history_url(newsroom.no_response)


# -- A save that changes nothing changes nothing ---------------------------------------------


def untouched_pages(newsroom) -> list[tuple[Model, str]]:
    verdict = Verdict.objects.create(
        claim=newsroom.claim, rating="mixed", explanation="Half of it:\nthe rest is “spin”."
    )
    Evidence.objects.create(verdict=verdict, article=newsroom.article)
    return [
        (newsroom.outlet, "outlet_form"),
        (newsroom.article, "article_form"),
        (newsroom.ministry, "actor_form"),
        (newsroom.spokesman, "source_form"),
        (newsroom.claim, "claim_form"),
        (newsroom.denial, "attribution_form"),
        (verdict, "verdict_form"),
    ]


def test_an_untouched_save_writes_no_version_and_no_byte(editor_client, newsroom):
    for obj, form_id in untouched_pages(newsroom):
        model = type(obj)
        before = list(model._default_manager.filter(pk=obj.pk).values())
        counts = versions()
        saved(posted(editor_client, change_url(obj), form_id))
        assert versions() == counts, f"an untouched save of {model.__name__} made a version"
        assert list(model._default_manager.filter(pk=obj.pk).values()) == before


def test_an_untouched_save_of_the_seed_article_writes_no_version(editor_client, seeded):
    article = Article.objects.get()
    counts = versions()
    saved(posted(editor_client, change_url(article), "article_form"))
    assert versions() == counts


def test_a_script_save_that_changes_nothing_writes_no_version(newsroom):
    counts = versions()
    Claim.objects.get(pk=newsroom.claim.pk).save()
    Attribution.objects.get(pk=newsroom.denial.pk).save()
    assert versions() == counts
    denial = Attribution.objects.get(pk=newsroom.denial.pk)
    denial.count = 2
    denial.save()
    assert versions()["Attribution"] == counts["Attribution"] + 1


# -- Who wrote it: admin, API, loaders -------------------------------------------------------


def test_the_change_page_says_who_created_the_row(editor_client, editor, newsroom):
    data = {
        "name": "Wagner Group", "slug": "wagner-group", "kind": "armed_group", "parent": "",
        "country": "RU", "wikidata_id": "", "description": "",
        "aliases-TOTAL_FORMS": "1", "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-name": "Wagner", "aliases-0-id": "", "aliases-0-actor": "",
    }  # fmt: skip
    saved(editor_client.post(reverse("admin:tracker_actor_add"), data))
    actor = Actor.objects.get(slug="wagner-group")
    first = actor.history.earliest()
    assert (first.history_type, first.history_user) == ("+", editor)
    assert ActorAlias.history.get(name="Wagner").history_user == editor
    page = editor_client.get(change_url(actor)).content.decode()
    assert "Created by" in page
    assert f"ed, {timezone.localtime(first.history_date):%Y-%m-%d %H:%M}" in page


def test_an_api_write_is_in_the_history_with_its_editor(editor, newsroom):
    _, token = create_token(editor)
    api = Client(enforce_csrf_checks=True, headers={"authorization": f"Token {token}"})
    body = "The minister said the fighters were paid. Nobody else would comment."
    response = api.post(
        "/api/articles/",
        {
            "title": "Paid",
            "published_on": "2019-01-02",
            "body": body,
            "attributions": [
                {
                    "claim": newsroom.claim.pk,
                    "source": "spokesman",
                    "stance": "asserts",
                    "passage": "The minister said the fighters were paid.",
                },
                {
                    "claim_text": "Nobody else would comment.",
                    "source": "mod",
                    "stance": "declined",
                    "passage": "Nobody else would comment.",
                },
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(title="Paid")
    rows = [
        article.history.get(),
        *Attribution.history.filter(article_id=article.pk),
        Claim.history.filter(text="Nobody else would comment.").get(),
    ]
    assert len(rows) == 4
    assert {(r.history_type, r.history_user, r.history_change_reason) for r in rows} == {
        ("+", editor, "API")
    }
    # The existing claim is now first reported by the earlier article, and says why.
    moved = Claim.history.filter(id=newsroom.claim.pk).latest()
    assert moved.first_reported_on == datetime.date(2019, 1, 2)
    assert moved.history_user == editor
    assert moved.history_change_reason == "API: first-reported date follows the earliest article"


def test_load_seeds_is_in_the_history_by_name_and_a_reload_adds_nothing(db):
    call_command("load_seeds", str(SEEDS), stdout=StringIO())
    for model in TRACKED[:7]:
        reasons = set(model.history.values_list("history_change_reason", "history_user"))
        assert reasons == {("load_seeds", None)}, model
    counts = versions()
    call_command("load_seeds", str(SEEDS), stdout=StringIO())
    assert versions() == counts


def test_the_seed_article_was_created_by_load_seeds(editor_client, seeded):
    page = editor_client.get(change_url(Article.objects.get())).content.decode()
    assert "load_seeds, " in page


def test_import_article_is_in_the_history_by_name(tmp_path: Path):
    shutil.copy(SEEDS / "000_4aef31c3c322cd7d.txt", tmp_path / "x.txt")
    call_command("import_article", str(tmp_path / "x.txt"), stdout=StringIO())
    record = Article.history.get()
    assert (record.history_type, record.history_change_reason) == ("+", "import_article")


def test_an_article_deleted_in_the_admin_takes_its_attributions_with_a_recorded_cascade(
    editor_client, editor, newsroom
):
    url = reverse("admin:articles_article_delete", args=[newsroom.article.pk])
    page = editor_client.get(url).content.decode()
    # The confirmation lists what goes with it.
    assert page.count("Attribution: ") == 3
    assert "kept in the history" in page
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Attribution.objects.exists()
    gone = Attribution.history.filter(history_type="-")
    assert gone.count() == 3
    reason = "article “Drive accelerated” deleted in the admin"
    assert {(r.history_user, r.history_change_reason) for r in gone} == {(editor, reason)}
    history = editor_client.get(history_url(newsroom.article))
    assert history.status_code == 200
    assert "Deleted" in history.content.decode()
