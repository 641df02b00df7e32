"""Shared test data: a small newsroom, the project's seeds, editors, and a way to grow the data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Outlet
from tracker.api.auth import reset_failures
from tracker.models import Actor, ActorAlias, Attribution, Claim, Source
from tracker.seeding import load_seed_folder

SEEDS = Path(settings.BASE_DIR) / "seeds"

BODY = (
    "Five Syrian opposition sources said the drive accelerated. "
    "The Russian Defence Ministry did not respond to questions. "
    'A spokesman denied it. "We never did that," he said.'
)


@dataclass
class Newsroom:
    outlet: Outlet
    article: Article
    russia: Actor
    government: Actor
    ministry: Actor
    opposition: Actor
    ministry_source: Source
    opposition_sources: Source
    spokesman: Source
    claim: Claim
    anonymous_five: Attribution
    no_response: Attribution
    denial: Attribution


def span_of(body: str, passage: str) -> dict[str, int]:
    start = body.index(passage)
    return {"span_start": start, "span_end": start + len(passage)}


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Each account with a password, and each sign-in, hashes one: the production hasher's
    deliberate slowness (most of a second each) is not what any test measures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_token_failures_carried_over():
    """Wrong API tokens are counted per address in the cache, which outlives a test: each test
    starts with none, so a few bad tokens in earlier tests never lock a later one out."""
    for address in ("127.0.0.1", "unknown"):
        reset_failures(address)


@pytest.fixture
def newsroom(db) -> Newsroom:
    """A few actors, sources and one claim: an anonymous group of five, a non-response, a denial."""
    outlet = Outlet.objects.create(name="Wire", slug="wire")
    article = Article.objects.create(
        title="Drive accelerated",
        slug="drive-accelerated",
        outlet=outlet,
        published_on=datetime.date(2020, 6, 7),
        body=BODY,
    )
    russia = Actor.objects.create(name="Russia", slug="russia", kind="state", country="RU")
    government = Actor.objects.create(
        name="Russian government", slug="russian-government", kind="government_body", parent=russia
    )
    ministry = Actor.objects.create(
        name="Russian Defence Ministry",
        slug="russian-defence-ministry",
        kind="government_body",
        parent=government,
    )
    ActorAlias.objects.create(actor=ministry, name="Russian MoD")
    opposition = Actor.objects.create(
        name="Syrian opposition", slug="syrian-opposition", kind="movement", country="SY"
    )
    ministry_source = Source.objects.create(
        name="Russian Defence Ministry", slug="mod", kind="organisation", actor=ministry
    )
    opposition_sources = Source.objects.create(
        name="Syrian opposition sources", slug="sos", kind="anonymous", actor=opposition
    )
    spokesman = Source.objects.create(
        name="Ministry spokesman",
        slug="spokesman",
        kind="anonymous",
        role="spokesman",
        actor=government,
    )
    claim = Claim.objects.create(
        text="The recruitment drive accelerated.",
        slug="drive",
        first_reported_on=datetime.date(2020, 6, 7),
    )
    claim.about.add(russia)
    anonymous_five = Attribution.objects.create(
        claim=claim,
        source=opposition_sources,
        article=article,
        stance="asserts",
        wording="Five Syrian opposition sources",
        count=5,
        anonymity="anonymous",
        **span_of(BODY, "Five Syrian opposition sources said the drive accelerated."),
    )
    no_response = Attribution.objects.create(
        claim=claim,
        source=ministry_source,
        article=article,
        stance="no_response",
        wording="The Russian Defence Ministry",
        **span_of(BODY, "The Russian Defence Ministry did not respond to questions."),
    )
    denial = Attribution.objects.create(
        claim=claim,
        source=spokesman,
        article=article,
        stance="denies",
        wording="A spokesman",
        anonymity="anonymous",
        quote="We never did that,",
        **span_of(BODY, 'A spokesman denied it. "We never did that," he said.'),
    )
    return Newsroom(
        outlet, article, russia, government, ministry, opposition, ministry_source,
        opposition_sources, spokesman, claim, anonymous_five, no_response, denial,
    )  # fmt: skip


@pytest.fixture
def seeded(db):
    """The project's own seeds/, loaded as `make run` loads them."""
    return load_seed_folder(SEEDS)


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user("ed", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def grow(newsroom: Newsroom, n: int) -> None:
    """Add n more of everything the lists show, so query counts can be compared at two sizes."""
    outlet = Outlet.objects.create(name=f"Outlet {n}", slug=f"outlet-{n}")
    for i in range(n):
        actor = Actor.objects.create(
            name=f"Actor {n}-{i}",
            slug=f"actor-{n}-{i}",
            kind="armed_group",
            parent=newsroom.russia if i % 2 else None,
        )
        ActorAlias.objects.create(actor=actor, name=f"Alias {n}-{i}")
        source = Source.objects.create(
            name=f"Source {n}-{i}", slug=f"source-{n}-{i}", kind="person", actor=actor
        )
        article = Article.objects.create(
            title=f"Article {n}-{i}",
            slug=f"article-{n}-{i}",
            outlet=outlet,
            published_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=i),
            body=BODY,
        )
        claim = Claim.objects.create(text=f"Claim {n}-{i}", slug=f"claim-{n}-{i}")
        claim.about.add(actor)
        for stance, passage in (
            ("asserts", "Five Syrian opposition sources said the drive accelerated."),
            ("denies", 'A spokesman denied it. "We never did that," he said.'),
        ):
            Attribution.objects.create(
                claim=claim,
                source=source,
                article=article,
                stance=stance,
                **span_of(BODY, passage),
            )
            Attribution.objects.create(
                claim=newsroom.claim, source=source, article=newsroom.article, stance=stance,
                **span_of(BODY, passage),
            )  # fmt: skip


def count_queries(action: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]
