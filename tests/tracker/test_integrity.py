"""Nothing that evidence, verdicts or attributions rest on is deleted behind an editor's back,
and a claim's first-reported date follows the earliest article carrying it."""

from __future__ import annotations

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from articles.models import Article, Outlet
from tests.conftest import BODY, SEEDS, span_of
from tests.tracker.admin.test_history import form_data
from tracker.api.auth import create_token
from tracker.integrity import blockers, refusal
from tracker.models import Actor, Attribution, Claim, Evidence, Source, Verdict

pytestmark = pytest.mark.django_db

COUNTED = (Outlet, Article, Actor, Source, Claim, Attribution, Verdict, Evidence)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def evidence_standing() -> set[tuple[int, int | None, int | None, str]]:
    return set(Evidence.objects.values_list("verdict_id", "article_id", "attribution_id", "url"))


@pytest.fixture
def rated(newsroom):
    """Another claim, refuted on the strength of the newsroom's article and its denial."""
    other = Claim.objects.create(text="Nobody was recruited.", slug="nobody")
    verdict = Verdict.objects.create(
        claim=other, rating="refuted", explanation="The spokesman's own denial says otherwise."
    )
    Evidence.objects.create(verdict=verdict, article=newsroom.article)
    Evidence.objects.create(verdict=verdict, attribution=newsroom.denial)
    return verdict


def delete_page(client: Client, obj) -> tuple[str, int]:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    page = client.get(url).content.decode()
    return page, client.post(url, {"post": "yes"}).status_code


# -- Deletions refused, in editors' words ----------------------------------------------------


@pytest.mark.parametrize(
    "target, words",
    [
        ("article", "cites it as evidence"),
        ("denial", "cites it as evidence"),
        ("claim", "cites it as evidence"),
        ("spokesman", "the attribution “Ministry spokesman denies"),
        ("government", "the actor “Russian Defence Ministry” is filed under it"),
        ("ministry", "the source “Russian Defence Ministry” is tied to it"),
        ("outlet", "the article “Drive accelerated” is filed under it"),
    ],
)
def test_a_delete_that_something_rests_on_is_refused_naming_it(
    editor_client, newsroom, rated, target, words
):
    obj = getattr(newsroom, target)
    before, standing = counts(), evidence_standing()
    page, status = delete_page(editor_client, obj)
    assert "cannot be deleted: other records rest on it. Nothing has been deleted." in page
    assert words in page
    if "evidence" in words:
        assert "the verdict “Refuted" in page and "on the claim “Nobody was recruited.”" in page
    assert status == 200  # the confirmation is refused, not carried out
    assert counts() == before
    assert evidence_standing() == standing


def test_deleting_selected_rows_that_evidence_rests_on_is_refused(editor_client, newsroom, rated):
    before = counts()
    response = editor_client.post(
        reverse("admin:tracker_attribution_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [newsroom.denial.pk, newsroom.no_response.pk],
            "post": "yes",
        },
    )
    page = response.content.decode()
    assert "cannot be deleted: other records rest on them. Nothing has been deleted." in page
    assert "cites it as evidence" in page
    assert counts() == before


def test_a_script_delete_is_refused_and_explained_in_the_same_words(newsroom, rated):
    before = counts()
    with pytest.raises(ProtectedError) as refused:
        Article.objects.get(pk=newsroom.article.pk).delete()
    assert counts() == before
    message = refusal(newsroom.article, refused.value.protected_objects)
    assert message.startswith("“Drive accelerated” was not deleted, because other records rest")
    assert "the verdict “Refuted" in message


def test_after_any_allowed_deletion_no_verdict_stands_on_evidence_that_is_gone(
    editor_client, newsroom, rated
):
    # The verdict's own claim and the other rows go; the verdict keeps every piece of evidence.
    standing = evidence_standing()
    for row in (newsroom.anonymous_five, newsroom.no_response):
        page, status = delete_page(editor_client, row)
        assert status == 302
    assert blockers([newsroom.article]) != []
    assert evidence_standing() == standing
    # Deleting the rated claim takes its verdict and that verdict's evidence with it, together.
    page, status = delete_page(editor_client, rated.claim)
    assert "Evidence: " in page  # listed on the confirmation
    assert status == 302
    assert not Verdict.objects.exists() and not Evidence.objects.exists()
    assert Evidence.history.filter(history_type="-").count() == 2
    # Now nothing rests on the article: it goes, with its last attribution.
    page, status = delete_page(editor_client, Article.objects.get())
    assert status == 302
    assert not Attribution.objects.exists()


# -- The same source twice in one article: the lede and the body -----------------------------


def api_client(editor) -> Client:
    _, token = create_token(editor)
    return Client(enforce_csrf_checks=True, headers={"authorization": f"Token {token}"})


LEDE_AND_BODY = (
    "Sources say the drive accelerated in May. Officials declined to comment. "
    "Two people familiar with the matter said hundreds had signed up."
)


def api_article(newsroom, second_passage: str, second_wording: str) -> dict:
    common = {"claim": newsroom.claim.pk, "source": "sos", "stance": "asserts"}
    return {
        "title": "Lede and body",
        "published_on": "2020-06-08",
        "body": LEDE_AND_BODY,
        "attributions": [
            {**common, "wording": "Sources", "passage": "Sources say the drive accelerated"},
            {**common, "wording": second_wording, "passage": second_passage},
        ],
    }


def test_the_api_takes_the_same_source_at_two_places_and_refuses_one_place_twice(editor, newsroom):
    api = api_client(editor)
    before = counts()
    twice = api_article(newsroom, "Sources say the drive accelerated", "Sources")
    refused = api.post("/api/articles/", twice, content_type="application/json")
    assert refused.status_code == 400
    assert "at the same place in the article as attributions.0" in refused.content.decode()
    assert counts() == before

    places = api_article(
        newsroom, "Two people familiar with the matter said hundreds", "Two people familiar"
    )
    response = api.post("/api/articles/", places, content_type="application/json")
    assert response.status_code == 201, response.content
    rows = Attribution.objects.filter(article__title="Lede and body", source__slug="sos")
    assert sorted(rows.values_list("wording", flat=True)) == ["Sources", "Two people familiar"]


def seed_folder(tmp_path: Path, second_passage: str, second_wording: str) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEEDS / "catalog.toml", folder / "catalog.toml")
    (folder / "lede.txt").write_text(f"date 2020-06-08\n\n{LEDE_AND_BODY}\n")
    (folder / "lede.toml").write_text(
        '[article]\ntitle = "Lede and body"\noutlet = "reuters"\n\n'
        '[[claims]]\nslug = "drive-in-may"\ntext = "The drive accelerated in May."\n\n'
        '[[attributions]]\nclaim = "drive-in-may"\nsource = "syrian-opposition-sources"\n'
        'stance = "asserts"\nwording = "Sources"\npassage = "Sources say the drive accelerated"\n\n'
        '[[attributions]]\nclaim = "drive-in-may"\nsource = "syrian-opposition-sources"\n'
        f'stance = "asserts"\nwording = "{second_wording}"\npassage = "{second_passage}"\n'
    )
    return folder


def test_the_seed_loader_takes_the_same_source_at_two_places_and_reloads_unchanged(tmp_path):
    folder = seed_folder(
        tmp_path, "Two people familiar with the matter said hundreds", "Two people familiar"
    )
    call_command("load_seeds", str(folder), stdout=StringIO())
    rows = Attribution.objects.filter(claim__slug="drive-in-may")
    assert sorted(rows.values_list("wording", flat=True)) == ["Sources", "Two people familiar"]
    before = sorted(rows.values_list())
    call_command("load_seeds", str(folder), stdout=StringIO())
    assert sorted(rows.values_list()) == before


def test_the_seed_loader_refuses_one_place_twice_and_writes_nothing(tmp_path):
    folder = seed_folder(tmp_path, "Sources say the drive accelerated", "Sources")
    with pytest.raises(CommandError, match="at the same place in the article as attributions"):
        call_command("load_seeds", str(folder), stdout=StringIO())
    assert counts() == dict.fromkeys(counts(), 0)


# -- First-reported dates --------------------------------------------------------------------


def first_reported(claim: Claim) -> datetime.date:
    return Claim.objects.get(pk=claim.pk).first_reported_on


def an_article(day: str, slug: str) -> Article:
    return Article.objects.create(
        title=slug, slug=slug, published_on=datetime.date.fromisoformat(day), body=BODY
    )


def attach(claim: Claim, article: Article, source: Source, passage: str) -> Attribution:
    return Attribution.objects.create(
        claim=claim, source=source, article=article, stance="asserts", **span_of(BODY, passage)
    )


FIRST = "Five Syrian opposition sources said the drive accelerated."


def test_the_date_follows_the_earliest_article_as_attributions_come_move_and_go(newsroom):
    claim, source = newsroom.claim, newsroom.ministry_source
    assert first_reported(claim) == datetime.date(2020, 6, 7)
    earlier = attach(claim, an_article("2018-03-01", "earlier"), source, FIRST)
    assert first_reported(claim) == datetime.date(2018, 3, 1)
    # Moved to another claim: both claims follow.
    other = Claim.objects.create(text="Another claim.", slug="another")
    earlier.claim = other
    earlier.save()
    assert first_reported(claim) == datetime.date(2020, 6, 7)
    assert first_reported(other) == datetime.date(2018, 3, 1)
    # The article's date corrected: the claim follows.
    article = Article.objects.get(slug="earlier")
    article.published_on = datetime.date(2018, 4, 2)
    article.save()
    assert first_reported(other) == datetime.date(2018, 4, 2)
    # Its only attribution deleted: the claim keeps its last date.
    earlier.delete()
    assert first_reported(other) == datetime.date(2018, 4, 2)


def test_a_date_an_editor_set_stays_put(newsroom):
    Claim.objects.filter(pk=newsroom.claim.pk).update(
        first_reported_on=datetime.date(2020, 1, 1), first_reported_by_editor=True
    )
    attach(newsroom.claim, an_article("2018-03-01", "earlier"), newsroom.spokesman, FIRST)
    assert first_reported(newsroom.claim) == datetime.date(2020, 1, 1)
    claim = Claim.objects.get(pk=newsroom.claim.pk)
    claim.first_reported_by_editor = False
    claim.save()
    assert first_reported(newsroom.claim) == datetime.date(2018, 3, 1)


def claim_form(**changes: str) -> dict[str, str]:
    data = {
        "text": "Hundreds of Syrians were signed up.", "slug": "", "first_reported_on": "",
        "attributions-TOTAL_FORMS": "0", "attributions-INITIAL_FORMS": "0",
        "attributions-MIN_NUM_FORMS": "0", "attributions-MAX_NUM_FORMS": "1000",
        "verdicts-TOTAL_FORMS": "0", "verdicts-INITIAL_FORMS": "0",
        "verdicts-MIN_NUM_FORMS": "0", "verdicts-MAX_NUM_FORMS": "1000",
        "links_from-TOTAL_FORMS": "0", "links_from-INITIAL_FORMS": "0",
        "links_from-MIN_NUM_FORMS": "0", "links_from-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(changes)
    return data


def test_a_claim_added_without_articles_takes_the_date_of_the_first_one_attached(
    editor_client, newsroom
):
    page = editor_client.get(reverse("admin:tracker_claim_add")).content.decode()
    assert 'name="first_reported_by_editor"' in page
    assert 'name="first_reported_on" value=' not in page  # no date offered: not today's
    response = editor_client.post(reverse("admin:tracker_claim_add"), claim_form())
    assert response.status_code == 302
    claim = Claim.objects.get(text__startswith="Hundreds")
    assert not claim.first_reported_by_editor
    attach(claim, an_article("2018-03-01", "old"), newsroom.spokesman, FIRST)
    assert first_reported(claim) == datetime.date(2018, 3, 1)


def test_a_date_typed_without_ticking_the_box_is_refused_in_words(editor_client, newsroom):
    before = counts()
    response = editor_client.post(
        reverse("admin:tracker_claim_add"), claim_form(first_reported_on="2017-05-05")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["first_reported_on"]
    assert "tick it to keep this date" in errors[0]
    assert counts() == before
    response = editor_client.post(
        reverse("admin:tracker_claim_add"),
        claim_form(first_reported_on="2017-05-05", first_reported_by_editor="on"),
    )
    assert response.status_code == 302
    claim = Claim.objects.get(text__startswith="Hundreds")
    attach(claim, an_article("2016-01-01", "older"), newsroom.spokesman, FIRST)
    assert first_reported(claim) == datetime.date(2017, 5, 5)


def test_an_article_redated_in_the_admin_moves_the_claims_it_carries(editor_client, newsroom):
    url = reverse("admin:articles_article_change", args=[newsroom.article.pk])
    data = form_data(editor_client.get(url), "article_form")
    data["published_on"] = ["2019-12-31"]
    assert editor_client.post(url, data).status_code == 302
    assert first_reported(newsroom.claim) == datetime.date(2019, 12, 31)
    moved = Claim.history.filter(id=newsroom.claim.pk).latest()
    assert moved.history_change_reason == "first-reported date follows the earliest article"
    assert moved.history_user.username == "ed"
