"""Writing through the API: an article with its attributions, all or nothing, by editors only."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError
from django.test import Client

from articles.models import Article
from tests.conftest import BODY
from tracker import credibility
from tracker.api.auth import create_token
from tracker.models import Attribution, Claim, Source, TrackRecord, Verdict

pytestmark = pytest.mark.django_db

URL = "/api/articles/"

NEW_BODY = (
    "Officials in Ankara said the fighters were paid in dollars. "
    "The Russian Defence Ministry did not respond. "
    'A spokesman denied it: "Nobody was paid," he said. The fighters left in June.'
)


@pytest.fixture
def token(editor) -> str:
    return create_token(editor)[1]


@pytest.fixture
def api(token) -> Client:
    """An editors' tool: token in the header, and CSRF checks on (tokens need no CSRF token)."""
    return Client(enforce_csrf_checks=True, headers={"authorization": f"Token {token}"})


def article(newsroom, **changes) -> dict:
    data = {
        "title": "Fighters were paid in dollars",
        "outlet": "wire",
        "published_on": "2020-05-01",
        "url": "https://example.org/paid",
        "byline": "A. Reporter",
        "body": NEW_BODY,
        "attributions": [
            {
                "claim_text": "The fighters were paid in dollars.",
                "source": "spokesman",  # by slug
                "stance": "denies",
                "wording": "A spokesman",
                "passage": 'A spokesman denied it: "Nobody was paid," he said.',
                "quote": "Nobody was paid,",
            },
            {
                "claim": newsroom.claim.pk,
                "source": newsroom.ministry_source.pk,  # by id
                "stance": "no_response",
                "wording": "The Russian Defence Ministry",
                "span_start": NEW_BODY.index("The Russian"),
                "span_end": NEW_BODY.index("respond.") + len("respond."),
            },
        ],
    }
    data.update(changes)
    return data


def post(client: Client, data, status: int):
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == status, response.content[:800]
    return response.json()


def nothing_written(before: tuple[int, int, int]) -> bool:
    return (Article.objects.count(), Claim.objects.count(), Attribution.objects.count()) == before


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), Claim.objects.count(), Attribution.objects.count()


# -- Permissions -------------------------------------------------------------------------------


def test_anonymous_users_read_but_cannot_write(client, newsroom):
    before = counts()
    errors = post(client, article(newsroom), 401)
    assert errors == {
        "errors": {"not_authenticated": "Authentication credentials were not provided."}
    }
    assert nothing_written(before)


def test_a_bad_token_is_refused(client, newsroom):
    response = client.post(
        URL,
        article(newsroom),
        content_type="application/json",
        headers={"authorization": "Token x"},
    )
    assert response.status_code == 401
    assert response.json() == {"errors": {"authentication_failed": "Invalid token."}}


def test_a_user_outside_the_editors_group_may_not_write(newsroom):
    reader = User.objects.create_user("reader", password="pw-for-tests-only")
    client = Client(headers={"authorization": f"Token {create_token(reader)[1]}"})
    before = counts()
    errors = post(client, article(newsroom), 403)
    assert list(errors["errors"]) == ["permission_denied"]
    assert nothing_written(before)
    assert client.get(URL).status_code == 200  # reading is still open


def test_an_editor_without_add_claim_cannot_add_claims(api, newsroom, editor):
    from django.contrib.auth.models import Group, Permission

    limited = Group.objects.create(name="No new claims")
    limited.permissions.set(
        Permission.objects.filter(codename__in=["add_article", "add_attribution"])
    )
    editor.groups.set([limited])
    before = counts()
    errors = post(api, article(newsroom), 403)
    assert errors["errors"]["permission_denied"].startswith("Adding claims")
    assert nothing_written(before)
    only_existing = article(newsroom)
    only_existing["attributions"] = only_existing["attributions"][1:]
    post(api, only_existing, 201)


def test_an_editor_writes_with_a_session_too(editor_client, newsroom):
    post(editor_client, article(newsroom), 201)


def test_a_session_write_needs_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(URL, {"title": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"]["permission_denied"]


def test_the_token_comes_from_create_api_token(client, newsroom, editor):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", editor.username, stdout=out, stderr=err)
    key = out.getvalue().strip()  # the key alone on standard output, for scripts
    assert "valid until" in err.getvalue() and key not in err.getvalue()
    writer = Client(headers={"authorization": f"Token {key}"})
    post(writer, article(newsroom), 201)


# -- Creating ----------------------------------------------------------------------------------


def test_an_editor_adds_an_article_with_its_attributions(api, newsroom):
    data = post(api, article(newsroom), 201)
    created = Article.objects.get(title="Fighters were paid in dollars")
    assert data["id"] == created.pk
    assert data["outlet"]["slug"] == "wire"
    assert data["body"] == NEW_BODY and created.body == NEW_BODY
    assert created.published_on == datetime.date(2020, 5, 1)
    assert created.slug == "fighters-were-paid-in-dollars"
    no_response, denial = created.attributions.order_by("span_start")
    new_claim = Claim.objects.get(text="The fighters were paid in dollars.")
    assert (denial.claim, denial.source, denial.stance) == (new_claim, newsroom.spokesman, "denies")
    assert denial.passage == 'A spokesman denied it: "Nobody was paid," he said.'
    assert denial.anonymity == "anonymous"  # from the source's kind, as the seed loader does
    assert new_claim.first_reported_on == datetime.date(2020, 5, 1)
    assert no_response.claim == newsroom.claim
    assert no_response.passage == "The Russian Defence Ministry did not respond."
    assert no_response.anonymity == "named"
    # The existing claim was first reported earlier now: by this article.
    newsroom.claim.refresh_from_db()
    assert newsroom.claim.first_reported_on == datetime.date(2020, 5, 1)
    # The answer is the article as GET shows it.
    assert data == api.get(f"{URL}{created.pk}/").json()
    assert [a["id"] for a in data["attributions"]] == [no_response.pk, denial.pk]


def test_the_location_of_the_new_article(api, newsroom):
    response = api.post(URL, article(newsroom), content_type="application/json")
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver{URL}{response.json()['id']}/"


def test_an_article_without_attributions_or_outlet(api, newsroom):
    data = post(api, {"title": "Bare", "published_on": "2021-01-01", "body": "Text."}, 201)
    assert data["attributions"] == [] and data["outlet"] is None
    assert data["language"] == "en"


def test_the_same_new_claim_twice_is_one_claim(api, newsroom):
    data = article(newsroom)
    twice = dict(data["attributions"][0], source="sos", stance="asserts", quote="")
    data["attributions"].append(twice)
    post(api, data, 201)
    assert Claim.objects.filter(text="The fighters were paid in dollars.").count() == 1


def test_a_passage_that_occurs_twice_can_be_placed_by_its_span(api, newsroom):
    body = "They said no. Later they said no."
    data = {
        "title": "Twice",
        "published_on": "2021-01-01",
        "body": body,
        "attributions": [
            {
                "claim": newsroom.claim.pk,
                "source": "mod",
                "stance": "denies",
                "passage": "they said no.",
                "span_start": body.rindex("they said no."),
                "span_end": len(body),
            }
        ],
    }
    post(api, data, 201)
    assert Attribution.objects.get(article__title="Twice").span_start == body.rindex("they")


# -- Refusing, all or nothing ------------------------------------------------------------------


def with_item(newsroom, index: int, **changes) -> dict:
    data = article(newsroom)
    item = dict(data["attributions"][index], **changes)
    data["attributions"][index] = {k: v for k, v in item.items() if v is not None}
    return data


BAD_ITEMS = [
    # (which item, changes, the field named, words in the message)
    (1, {"passage": "Not in the article."}, "passage", "This passage is not in the article"),
    (0, {"passage": "paid"}, "passage", "occurs 2 times in the article"),
    (0, {"quote": "The fighters left"}, "quote", "The quote is not in the passage"),
    (0, {"quote": "Somebody"}, "quote", "The quote is not in the article"),
    (0, {"wording": "An official"}, "wording", "The wording “An official” is not in the passage"),
    (1, {"span_end": 10_000}, "span_end", "past the end of the article body"),
    (1, {"span_start": 30, "span_end": 20}, "span_end", "must end after it starts"),
    (1, {"span_end": None}, "passage", "Give the passage"),
    (0, {"claim": "EXISTING"}, "claim", "Give one of claim"),
    (1, {"claim": None}, "claim", "Give one of claim"),
    (1, {"claim": 999_999}, "claim", "There is no claim with the id 999999"),
    (1, {"claim": "drive"}, "claim", "Give a claim id"),
    (0, {"source": "nobody"}, "source", "There is no source with the slug 'nobody'"),
    (0, {"source": 999_999}, "source", "There is no source with the id 999999"),
    (0, {"source": None}, "source", "required"),
    (0, {"stance": "maybe"}, "stance", "not a valid choice"),
    (0, {"count": 0}, "count", "greater than or equal to 1"),
    (0, {"count": "5"}, "count", "valid integer"),
    (0, {"anonymity": "secret"}, "anonymity", "not a valid choice"),
    (0, {"wording": 5}, "wording", "Not a valid string"),
    (0, {"wording": "x" * 501}, "wording", "no more than 500"),
]


@pytest.mark.parametrize("index, changes, field, message", BAD_ITEMS)
def test_a_bad_attribution_is_named_and_nothing_is_written(
    api, newsroom, index, changes, field, message
):
    if changes.get("claim") == "EXISTING":
        changes = {**changes, "claim": newsroom.claim.pk}
    before = counts()
    errors = post(api, with_item(newsroom, index, **changes), 400)["errors"]
    assert list(errors) == [f"attributions.{index}.{field}"], errors
    assert message in errors[f"attributions.{index}.{field}"]
    # The other item was fine, and its new claim was not written either.
    assert nothing_written(before)


def test_every_bad_item_is_named_at_once(api, newsroom):
    data = article(newsroom)
    data["attributions"][0]["passage"] = "Not there."
    data["attributions"][1]["stance"] = "maybe"
    errors = post(api, data, 400)["errors"]
    assert set(errors) == {"attributions.0.passage", "attributions.1.stance"}


def test_the_same_claim_source_and_stance_twice_is_refused(api, newsroom):
    data = article(newsroom)
    data["attributions"].append(dict(data["attributions"][1]))
    errors = post(api, data, 400)["errors"]
    assert errors == {
        "attributions.2.stance": "The same claim, source and stance at the same place in the "
        "article as attributions.1."
    }


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"outlet": "nowhere"}, "outlet"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"body": 0}, "body"),
        ({"url": "not a url"}, "url"),
        ({"attributions": {"claim": 1}}, "attributions"),
        ({"attributions": ["x"]}, "attributions.0"),
        ({"title": "nul\u0000"}, "title"),
    ],
)
def test_a_bad_article_field_is_named(api, newsroom, changes, field):
    before = counts()
    data = {k: v for k, v in article(newsroom, **changes).items() if v is not None}
    errors = post(api, data, 400)["errors"]
    assert list(errors) == [field], errors
    assert nothing_written(before)


def test_a_body_that_is_not_json(api, newsroom):
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parse_error"]
    response = api.post(URL, "title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert list(response.json()["errors"]) == ["unsupported_media_type"]
    response = api.post(URL, '{"title": "\\ud800"}', content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["parse_error"]
    response = api.post(URL, "[]", content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_a_failure_while_writing_leaves_nothing_behind(api, newsroom, monkeypatch):
    """Atomic: the article and the new claim are rolled back when the attributions fail."""

    def fail(*args, **kwargs):
        raise IntegrityError("simulated failure after the article and claim were saved")

    monkeypatch.setattr(Attribution.objects, "bulk_create", fail)
    before = counts()
    with pytest.raises(IntegrityError):
        api.post(URL, article(newsroom), content_type="application/json")
    assert nothing_written(before)


def test_the_body_is_stored_as_every_text_is(api, newsroom):
    # Line endings and the whitespace around the whole text are normalised (articles/text.py),
    # as the admin and the import store them; the spaces inside and the quotes are kept.
    body = "  Indented.\r\n\r\n" + BODY.replace(". ", ".  ") + "  "
    data = post(api, {"title": "Spaces", "published_on": "2021-01-01", "body": body}, 201)
    assert data["body"] == "Indented.\n\n" + BODY.replace(". ", ".  ")


# -- The shared passage rules (tracker/spans.py) ---------------------------------------------

CURLY_BODY = (
    "The ministry’s spokesman said: “We did not send anyone.” "
    "Officials in Ankara – speaking privately – said the fighters were paid."
)


def curly_article(newsroom, **item) -> dict:
    base = {"claim": newsroom.claim.pk, "source": "spokesman", "stance": "denies"}
    return {
        "title": "Curly",
        "published_on": "2021-01-01",
        "body": CURLY_BODY,
        "attributions": [{**base, **item}],
    }


def test_a_passage_typed_with_straight_quotes_is_found_and_the_article_text_kept(api, newsroom):
    data = curly_article(
        newsroom,
        passage='The ministry\'s spokesman said: "We did not send anyone."',
        quote='"We did not send anyone."',
        wording="The ministry's spokesman",
    )
    post(api, data, 201)
    attribution = Attribution.objects.get(article__title="Curly")
    assert attribution.passage == "The ministry’s spokesman said: “We did not send anyone.”"
    assert attribution.quote == "“We did not send anyone.”"  # the verbatim quote, as printed
    assert attribution.wording == "The ministry's spokesman"  # as the editor wrote it


def test_dashes_and_runs_of_whitespace_count_as_equal(api, newsroom):
    data = curly_article(newsroom, passage="Officials in Ankara - speaking\n privately -  said")
    post(api, data, 201)
    attribution = Attribution.objects.get(article__title="Curly")
    assert attribution.passage == "Officials in Ankara – speaking privately – said"


def test_a_missing_passage_is_answered_with_the_closest_one_in_words(api, newsroom):
    before = counts()
    data = curly_article(newsroom, passage="Officials in Ankara, speaking privately, said")
    message = post(api, data, 400)["errors"]["attributions.0.passage"]
    assert message == (
        "This passage is not in the article. The closest passage is "
        "“Officials in Ankara – speaking privately – said”."
    )
    assert nothing_written(before)


def test_the_wording_must_be_in_the_passage(api, newsroom):
    before = counts()
    data = curly_article(newsroom, passage="the fighters were paid", wording="five sources")
    errors = post(api, data, 400)["errors"]
    assert list(errors) == ["attributions.0.wording"]
    assert "“five sources” is not in the passage" in errors["attributions.0.wording"]
    assert nothing_written(before)


def test_a_span_counted_in_the_body_as_sent_follows_its_normalisation(api, newsroom):
    body = "\r\n  First line.\r\nThe ministry did not respond.\r\n"
    start = body.index("The ministry")
    data = {
        "title": "Sent with CRLF",
        "published_on": "2021-01-01",
        "body": body,
        "attributions": [
            {
                "claim": newsroom.claim.pk,
                "source": "mod",
                "stance": "no_response",
                "span_start": start,
                "span_end": start + len("The ministry did not respond."),
            }
        ],
    }
    post(api, data, 201)
    attribution = Attribution.objects.get(article__title="Sent with CRLF")
    assert attribution.article.body == "First line.\nThe ministry did not respond."
    assert attribution.passage == "The ministry did not respond."


# -- Duplicates, anonymity and limits (issue 14) -----------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "the fighters were paid in dollars",
        "  The   fighters were\npaid in dollars .",
        "The fighters were paid in dollars.",
        "THE FIGHTERS WERE PAID IN DOLLARS",
    ],
)
def test_the_same_claim_text_written_differently_is_one_claim(api, newsroom, variant):
    data = article(newsroom)
    again = dict(data["attributions"][0], source="sos", stance="asserts", quote="")
    data["attributions"].append(dict(again, claim_text=variant))
    before = Claim.objects.count()
    post(api, data, 201)
    assert Claim.objects.count() == before + 1
    claim = Claim.objects.get(text="The fighters were paid in dollars.")
    assert claim.attributions.count() == 2


def test_typographic_quotes_and_dashes_do_not_make_another_claim(api, newsroom):
    existing = Claim.objects.create(text='Officials said "no pay" \u2013 ever.')
    data = article(newsroom)
    data["attributions"][0]["claim_text"] = "officials said \u201cno pay\u201d - ever"
    before = Claim.objects.count()
    post(api, data, 201)
    assert Claim.objects.count() == before
    assert existing.attributions.get().source.slug == "spokesman"


def test_a_claim_text_equal_to_an_existing_claim_reuses_it(api, newsroom):
    data = article(newsroom)
    data["attributions"][0]["claim_text"] = "  the recruitment DRIVE accelerated "
    before = Claim.objects.count()
    created = post(api, data, 201)
    assert Claim.objects.count() == before
    new = Attribution.objects.filter(article_id=created["id"])
    assert {row.claim_id for row in new} == {newsroom.claim.pk}


def test_a_claim_text_that_only_shares_words_is_a_new_claim(api, newsroom):
    data = article(newsroom)
    data["attributions"][0]["claim_text"] = "The recruitment drive slowed."
    before = Claim.objects.count()
    post(api, data, 201)
    assert Claim.objects.count() == before + 1


@pytest.mark.parametrize(
    "source, anonymity, expected",
    [
        ("spokesman", "named", "“Anonymous”, not “Named”"),
        ("sos", "unattributed", "“Anonymous”, not “Unattributed”"),
        ("mod", "anonymous", "“Named”, not “Anonymous”"),
    ],
)
def test_an_anonymity_that_contradicts_the_source_is_refused(
    api, newsroom, source, anonymity, expected
):
    before = counts()
    data = with_item(newsroom, 0, source=source, anonymity=anonymity)
    errors = post(api, data, 400)["errors"]
    assert list(errors) == ["attributions.0.anonymity"], errors
    assert expected in errors["attributions.0.anonymity"]
    assert nothing_written(before)


def test_an_anonymity_that_agrees_with_the_source_is_kept(api, newsroom):
    post(api, with_item(newsroom, 0, source="mod", anonymity="named"), 201)
    written = Attribution.objects.get(article__title__startswith="Fighters", stance="denies")
    assert (written.source.slug, written.anonymity) == ("mod", "named")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "https://example.org/\u0000",
    ],
)
def test_only_web_addresses_are_taken_as_the_article_url(api, newsroom, url):
    before = counts()
    errors = post(api, article(newsroom, url=url), 400)["errors"]
    assert list(errors) == ["url"], errors
    assert nothing_written(before)


@pytest.mark.parametrize("field", ["count", "span_start", "span_end"])
@pytest.mark.parametrize("value", [2**31, 2**63, -1])
def test_integers_beyond_what_the_database_holds_are_named(api, newsroom, field, value):
    before = counts()
    data = with_item(newsroom, 1, **{field: value})
    errors = post(api, data, 400)["errors"]
    assert list(errors) == [f"attributions.1.{field}"], errors
    assert nothing_written(before)


def test_nul_in_a_claim_text_or_body_is_named(api, newsroom):
    before = counts()
    errors = post(api, with_item(newsroom, 0, claim_text="Paid\u0000."), 400)["errors"]
    assert list(errors) == ["attributions.0.claim_text"], errors
    errors = post(api, article(newsroom, body=NEW_BODY + "\u0000", attributions=[]), 400)
    assert list(errors["errors"]) == ["body"]
    assert nothing_written(before)


def test_a_body_over_the_size_limit_is_refused(api, newsroom, settings):
    settings.ARTICLE_MAX_BYTES = len(NEW_BODY.encode()) - 1
    before = counts()
    errors = post(api, article(newsroom), 400)["errors"]
    assert list(errors) == ["body"], errors
    assert "ARTICLE_MAX_BYTES" in errors["body"]
    assert nothing_written(before)
    settings.ARTICLE_MAX_BYTES = len(NEW_BODY.encode())
    post(api, article(newsroom), 201)


def test_a_claim_text_that_repeats_a_claim_given_by_id_at_the_same_place_is_refused(api, newsroom):
    data = article(newsroom)
    again = dict(data["attributions"][1], claim_text="the recruitment drive accelerated")
    del again["claim"]
    data["attributions"].append(again)
    before = counts()
    errors = post(api, data, 400)["errors"]
    assert list(errors) == ["attributions.2.stance"], errors
    assert nothing_written(before)


def test_an_article_citing_a_rated_claim_moves_its_sources_records(api, newsroom):
    # The claim is refuted; in the article a source with no record yet asserts it. Its record
    # and its actors' then are what counting everything again gives.
    rater = User.objects.create_user("rater")
    Verdict.objects.create(
        claim=newsroom.claim, rating="refuted", explanation="No.", rated_by=rater
    )
    analyst = Source.objects.create(
        name="Defence analyst", slug="defence-analyst", kind="person", actor=newsroom.ministry
    )

    def records() -> set[tuple]:
        fields = [f.attname for f in TrackRecord._meta.concrete_fields]
        fields = [f for f in fields if f not in ("id", "updated_at")]
        return set(TrackRecord.objects.values_list(*fields))

    data = article(newsroom)
    data["attributions"][1].update(source=analyst.pk, stance="asserts")
    post(api, data, 201)
    kept = records()
    assert TrackRecord.objects.filter(source=analyst, against_count=1).exists()
    credibility.recompute_all()
    assert kept == records()
