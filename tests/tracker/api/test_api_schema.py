"""The OpenAPI schema is a contract: schemathesis's default checks on every operation, in-process.

The app is called over WSGI inside the test's transaction, with the project's seeds loaded, on
whichever database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.db.models import Model
from django.test import override_settings
from django.urls import resolve
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Article, Outlet
from config.wsgi import application
from tracker.api.auth import create_token
from tracker.api.pagination import CURSOR_PATTERN
from tracker.models import Actor, Attribution, Claim, Evidence, Source, Verdict
from tracker.pagination import encode, key_of

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/schema/?format=json"
# Few enough examples that the whole file runs in well under two minutes on either database.
EXAMPLES = 50
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
CURSOR = re.compile(CURSOR_PATTERN)

# Django and DRF refuse a NUL character in any text (PostgreSQL cannot store one) with a 400
# naming the field; the schema does not repeat that on every string, so none are generated.
CONFIG = {"generation": {"max-examples": EXAMPLES, "allow-x00": False}}


@pytest.fixture
def wsgi_in_test_transaction(settings):
    """Let the WSGI app share the test's connection, as Django's test client does."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _load():
    # Loaded while the tests are collected (no database needed: the schema is made from code);
    # the app answers to "localhost", the host schemathesis's WSGI client sends.
    with override_settings(ALLOWED_HOSTS=["localhost"]):
        return schemathesis.openapi.from_wsgi(
            SCHEMA_URL, application, config=schemathesis.Config.from_dict(CONFIG)
        )


schema = _load()


def aim_at_rows(case) -> None:
    """Ask for rows that exist, so that the 200s are tested as much as the 400s and 404s.

    Filters: "no actor with the slug, name or alias x" is a 400 the schema cannot foresee, so
    generated actor and outlet texts are swapped for the seed's slugs (unknown ones are tested
    in test_api.py). Details: half of the generated ids and slugs are swapped for existing ones
    (the other half test the 404).
    Cursors: "not a cursor from this list" is a 400 too, so a generated cursor of the right
    shape is swapped for a real one of the list (after, or before, one of its rows). Values that
    do not look like a slug, an id or a cursor at all are left alone, so that the negative
    cases still get their 400 or 404.
    """
    for name, model in (("actor", Actor), ("outlet", Outlet)):
        value = (case.query or {}).get(name)
        if isinstance(value, str) and value:  # any text is a slug, a name or an alias
            slugs = sorted(model.objects.values_list("slug", flat=True))
            if value not in slugs:
                case.query[name] = slugs[_pick(value, len(slugs))]
    cursor = (case.query or {}).get("cursor")
    if isinstance(cursor, str) and CURSOR.match(cursor):
        real = _real_cursor(case.path, backwards=bool(_pick(cursor, 2)))
        if real is None:
            del case.query["cursor"]
        else:
            case.query["cursor"] = real
    detail = DETAILS.get(case.path)
    for name, value in (case.path_parameters or {}).items():
        looks_right = isinstance(value, int) or (isinstance(value, str) and SLUG.match(value))
        if detail is not None and looks_right and _pick(value, 2):
            column = "pk" if name == "id" else name
            keys = sorted(detail._default_manager.values_list(column, flat=True))
            if keys:
                case.path_parameters[name] = keys[_pick(value, len(keys))]


def _real_cursor(path: str, *, backwards: bool) -> str | None:
    """A cursor the list at `path` gives out: next to its first row in its order (if any)."""
    view = cast(Any, resolve(path).func).cls  # DRF's as_view() hangs the view class on it
    row = view.queryset.model.objects.order_by(*view.ordering).first()
    return None if row is None else encode(key_of(row, view.ordering), backwards=backwards)


def _pick(value, n: int) -> int:
    return sum(map(ord, str(value))) % n


DETAILS: dict[str, type[Model]] = {
    "/api/claims/{id}/": Claim,
    "/api/attributions/{id}/": Attribution,
    "/api/sources/{id}/": Source,
    "/api/actors/{slug}/": Actor,
    "/api/articles/{id}/": Article,
    "/api/outlets/{slug}/": Outlet,
    "/api/verdicts/{id}/": Verdict,
}


@pytest.fixture
def rated(seeded, editor):
    """The seeds with verdicts (one with each kind of evidence), so track records exist too."""
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    verdict = Verdict.objects.create(
        claim=claim, rating="confirmed", explanation="Checked.", rated_by=editor
    )
    Evidence.objects.create(verdict=verdict, article=Article.objects.get())
    Evidence.objects.create(verdict=verdict, attribution=claim.attributions.get())
    Evidence.objects.create(verdict=verdict, url="https://example.org/report", title="A report")
    for slug, rating in [
        ("russians-in-libya-represent-russian-state-or-are-paid-by-it", "confirmed"),
        ("haftar-forces-recruited-syrian-fighters", "mostly_true"),
        ("wagner-conducting-syrian-hiring-with-russian-army-supervision", "confirmed"),
    ]:
        Verdict.objects.create(claim=Claim.objects.get(slug=slug), rating=rating, explanation="-")
    return seeded


@pytest.fixture
def editor_token(editor) -> str:
    return create_token(editor)[1]


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no saved examples: a failure prints its case (a curl command)
    # The seeds are loaded once per operation (a function-scoped fixture), on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_keeps_the_contract_for_anyone(case, rated, wsgi_in_test_transaction):
    # Every default check: no 5xx, documented statuses and content types, responses that match
    # their schemas, valid input accepted, invalid input refused, auth enforced on writes,
    # unsupported methods answered with 405.
    aim_at_rows(case)
    case.call_and_validate()


@schema.include(method="POST").parametrize()
@HYPOTHESIS
def test_writing_keeps_the_contract_for_an_editor(
    case, seeded, wsgi_in_test_transaction, editor_token
):
    # All the default checks but one. positive_data_acceptance wants every body the schema
    # allows to be accepted, but a well-formed article can still name a source or claim that
    # does not exist, or a passage its body does not contain: a 400 naming the field, which no
    # JSON schema can foresee. Everything else holds, including "no 5xx" on every body.
    case.call_and_validate(
        headers={"Authorization": f"Token {editor_token}"},
        excluded_checks=[positive_data_acceptance],
    )


def test_the_seed_responses_match_the_schema(rated, wsgi_in_test_transaction):
    """Every read operation, on real rows (generated ids and slugs mostly miss), validates."""
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    source = Source.objects.get(slug="russian-state")
    article = Article.objects.get()
    calls: dict[str, list[dict[str, Any]]] = {
        "/api/claims/": [
            {},
            {"actor": "russia", "stance": "responses"},
            {"page_size": 2},
            {"q": "Wagner", "anonymity": "named"},
        ],
        "/api/claims/{id}/": [{"id": claim.pk}],
        "/api/attributions/": [{}, {"actor": "russia", "stance": ["denies", "no_response"]}],
        "/api/attributions/{id}/": [{"id": claim.attributions.get().pk}],
        "/api/sources/": [{}],
        "/api/sources/{id}/": [{"id": source.pk}],
        "/api/actors/": [{}],
        "/api/actors/{slug}/": [{"slug": "russian-government"}, {"slug": "russian-army"}],
        "/api/articles/": [{}],
        "/api/articles/{id}/": [{"id": article.pk}],
        "/api/outlets/": [{}],
        "/api/outlets/{slug}/": [{"slug": "reuters"}],
        "/api/verdicts/": [{}, {"claim": claim.pk, "rating": "confirmed"}],
        "/api/verdicts/{id}/": [{"id": claim.verdicts.get().pk}],
        "/api/track-records/": [{}, {"all": 1}, {"kind": "anonymous", "all": "true"}],
    }
    checked = set()
    for path, variants in calls.items():
        operation = schema[path]["GET"]
        for values in variants:
            names = {p.name for p in operation.iter_parameters() if p.location == "path"}
            case = operation.Case(
                path_parameters={k: v for k, v in values.items() if k in names} or None,
                query={k: v for k, v in values.items() if k not in names} or None,
            )
            response = case.call()
            assert response.status_code == 200, (path, values, response.text[:300])
            case.validate_response(response)
        checked.add(path)
    every_read = {path for path, methods in schema.raw_schema["paths"].items() if "get" in methods}
    assert checked == every_read
