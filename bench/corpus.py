"""A realistic synthetic newsroom archive, reproducible from a seed, for scale tests and benchmarks.

Popularity is skewed (a few actors are in most claims, a long tail is in few), stances are
mostly assertions with denials, refusals and non-responses common from the actors a claim is
about, and every attribution's span points at its own sentence in its article's body. Rows are
generated article by article and written in chunks (COPY on PostgreSQL, executemany on SQLite),
so memory stays flat whatever the size.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from articles.namekeys import fold, word_keys
from tracker.caching import bump
from tracker.counters import recount

COUNTRIES = [
    ("Russia", "RU"), ("Turkey", "TR"), ("Syria", "SY"), ("Libya", "LY"), ("Egypt", "EG"),
    ("Iran", "IR"), ("Israel", "IL"), ("Ukraine", "UA"), ("China", "CN"), ("India", "IN"),
    ("Brazil", "BR"), ("Nigeria", "NG"), ("France", "FR"), ("Germany", "DE"), ("Mexico", "MX"),
    ("Sudan", "SD"), ("Ethiopia", "ET"), ("Pakistan", "PK"), ("Iraq", "IQ"), ("Yemen", "YE"),
]  # fmt: skip
BODIES = [
    "government", "foreign ministry", "defence ministry", "interior ministry", "army",
    "navy", "air force", "intelligence service", "finance ministry", "presidency",
    "parliament", "central bank", "energy ministry", "health ministry", "police",
]  # fmt: skip
GROUPS = ["brigade", "front", "movement", "militia", "alliance", "council", "party", "company"]
FIRST = ["Amir", "Elena", "Omar", "Lina", "Ivan", "Sara", "Kemal", "Mona", "Yusuf", "Ana"]
LAST = ["Haddad", "Petrov", "Yilmaz", "Saleh", "Ortiz", "Kovacs", "Rahimi", "Mensah", "Li"]
ROLES = ["spokesman", "minister", "commander", "analyst", "official", "adviser", "envoy"]
ANON = [
    "officials", "diplomats", "security sources", "opposition sources", "people familiar with "
    "the matter", "witnesses", "military sources", "industry sources", "aid workers",
]  # fmt: skip
DOCS = ["confidential report", "leaked memo", "court filing", "internal assessment", "audit"]
PREDICATES = [
    "is recruiting fighters for", "has sent weapons to", "paid militias in", "is negotiating with",
    "deployed advisers to", "shelled positions near", "is financing", "detained activists in",
    "opened talks with", "blocked aid convoys to", "is training forces in", "sanctioned firms in",
    "smuggled oil through", "signed a secret deal with", "withdrew troops from",
]  # fmt: skip
PLACES = ["Tripoli", "Idlib", "Aleppo", "Benghazi", "Sirte", "Mosul", "Aden", "Kharkiv", "Darfur"]
NUMBERS = ["Two", "Three", "Four", "Five", "Six"]
ACTOR_KINDS_BY_DEPTH = {
    0: "state",
    1: "government_body",
    2: "government_body",
    3: "military",
}


@dataclass
class Sizes:
    claims: int
    actors: int
    sources: int
    articles: int
    outlets: int

    @classmethod
    def for_claims(cls, claims: int, **given: int | None) -> Sizes:
        """Sizes in the proportions of a real archive (20k actors, 50k sources at 1M claims)."""
        scale = claims / 1_000_000
        defaults = {
            "actors": max(40, round(20_000 * scale**0.5 if scale < 1 else 20_000 * scale)),
            "sources": max(80, round(50_000 * scale**0.5 if scale < 1 else 50_000 * scale)),
            "articles": max(20, round(300_000 * scale)),
            "outlets": max(5, min(300, round(300 * scale**0.5))),
        }
        for name, value in given.items():
            if value:
                defaults[name] = value
        return cls(claims=claims, **defaults)


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return ", ".join(f"{n:,} {name}" for name, n in self.counts.items())


class Zipf:
    """Draws indexes 0..n-1 with probability falling as 1/(rank+1)^s: a few popular, a long tail."""

    def __init__(self, n: int, rng: random.Random, s: float = 1.1) -> None:
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(n)))

    def draw(self) -> int:
        return bisect.bisect_left(self.cumulative, self.rng.random() * self.cumulative[-1])


class _Writer:
    """Writes rows fast: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def write(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("%s" for _ in columns)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )


def _search_triggers(*, enabled: bool) -> None:
    if connection.vendor != "postgresql":
        return
    # The triggers read this session setting (migration 0003) and step aside while it is on.
    with connection.cursor() as cursor:
        value = "off" if enabled else "on"
        cursor.execute("SELECT set_config('tracker.bulk_load', %s, false)", [value])


def _rebuild_search(first_claim: int) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_claim SET search_vector = tracker_claim_vector(id, text)"
            " WHERE id >= %s",
            [first_claim],
        )


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


def _reset_sequences(tables: Sequence[str]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def generate(*, sizes: Sizes, seed: int = 1, chunk: int = 2000, progress=None) -> Summary:
    """Add a synthetic archive of the given sizes to the database, reproducibly from seed."""
    rng = random.Random(seed)
    writer = _Writer()
    now: Any = timezone.now()
    if connection.vendor != "postgresql":
        now = now.replace(tzinfo=None).isoformat(" ")  # SQLite stores UTC as text
    summary = Summary()
    tag = f"g{seed}"  # keeps slugs apart from other runs and from curated data

    # -- Actors: states at the top, bodies and groups below, down to four levels -------------
    actor_id0 = _next_id("tracker_actor")
    actors: list[tuple] = []
    paths: list[str] = []
    depths: list[int] = []
    countries: list[str] = []
    states = max(4, sizes.actors // 100)
    for index in range(sizes.actors):
        pk = actor_id0 + index
        if index < states:
            country, code = COUNTRIES[index % len(COUNTRIES)]
            name = country if index < len(COUNTRIES) else f"{country} region {index}"
            parent, depth, path, kind = None, 0, f"/{pk}/", "state"
        else:
            parent_index = rng.randrange(index) if rng.random() < 0.5 else rng.randrange(states)
            if depths[parent_index] >= 3:
                parent_index = rng.randrange(states)
            parent = actor_id0 + parent_index
            depth = depths[parent_index] + 1
            path = f"{paths[parent_index]}{pk}/"
            code = countries[parent_index]
            roll = rng.random()
            if roll < 0.12:
                kind, name = "person", f"{rng.choice(FIRST)} {rng.choice(LAST)} ({pk})"
            elif roll < 0.3:
                group = rng.choice(GROUPS)
                kind = "company" if group == "company" else "armed_group"
                name = f"{rng.choice(PLACES)} {group} {pk}"
            else:
                kind = ACTOR_KINDS_BY_DEPTH.get(depth, "government_body")
                name = f"{code} {rng.choice(BODIES)} {pk}"
        actors.append(
            (pk, name, f"{tag}-actor-{pk}", kind, code, parent, "", "", path, fold(name))
        )  # fmt: skip
        paths.append(path)
        depths.append(depth)
        countries.append(code)
    with transaction.atomic():
        for start in range(0, len(actors), chunk):
            writer.write(
                "tracker_actor",
                ("id", "name", "slug", "kind", "country", "parent_id", "wikidata_id",
                 "description", "path", "name_key"),
                actors[start : start + chunk],
            )  # fmt: skip
            # The words suggestions match (articles/namekeys.py), as Actor.save() keeps them.
            words = [
                (row[0], None, key)
                for row in actors[start : start + chunk]
                for key in sorted(word_keys(row[1], row[2]))
            ]
            writer.write("tracker_actorword", ("actor_id", "alias_id", "key"), words)
    summary.counts["actors"] = len(actors)
    actor_pick = Zipf(len(actors), rng)

    # -- Outlets and sources -------------------------------------------------------------------
    outlet_id0 = _next_id("articles_outlet")
    outlets = [
        (outlet_id0 + i, f"Outlet {tag} {i}", f"{tag}-outlet-{i}", "", fold(f"Outlet {tag} {i}"))
        for i in range(sizes.outlets)
    ]
    writer.write("articles_outlet", ("id", "name", "slug", "url", "name_key"), outlets)
    writer.write(
        "articles_outletword",
        ("outlet_id", "key"),
        [(row[0], key) for row in outlets for key in sorted(word_keys(row[1], row[2]))],
    )
    summary.counts["outlets"] = len(outlets)
    outlet_pick = Zipf(len(outlets), rng, s=0.8)

    source_id0 = _next_id("tracker_source")
    sources: list[tuple] = []
    source_meta: list[tuple[str, str, int | None]] = []  # kind, name, actor id
    by_actor: dict[int, list[int]] = {}
    for index in range(sizes.sources):
        pk = source_id0 + index
        picked = actor_id0 + actor_pick.draw()
        actor: int | None = picked  # None: a source of no actor
        roll = rng.random()
        if index == 0:
            kind, name, actor, role = "unattributed", f"Unattributed ({tag})", None, ""
        elif roll < 0.35:
            kind, name, role = "person", f"{rng.choice(FIRST)} {rng.choice(LAST)} {pk}", ""
            role = rng.choice(ROLES)
        elif roll < 0.65:
            kind, name, role = "organisation", f"{actors[picked - actor_id0][1]} press office", ""
        elif roll < 0.92:
            kind, name, role = "anonymous", rng.choice(ANON), ""
            if rng.random() < 0.3:
                actor = None
        else:
            kind, name, role = "document", f"{rng.choice(DOCS)} {pk}", ""
        sources.append((pk, f"{name}" if kind != "anonymous" else f"{name} ({pk})",
                        f"{tag}-source-{pk}", kind, role, actor, ""))  # fmt: skip
        source_meta.append((kind, name, actor))
        if actor is not None:
            by_actor.setdefault(actor, []).append(pk)
    with transaction.atomic():
        for start in range(0, len(sources), chunk):
            writer.write(
                "tracker_source",
                ("id", "name", "slug", "kind", "role", "actor_id", "description"),
                sources[start : start + chunk],
            )
    summary.counts["sources"] = len(sources)
    source_pick = Zipf(len(sources), rng, s=0.9)

    # -- Articles, claims and attributions, article by article ---------------------------------
    counts = {"articles": 0, "claims": 0, "attributions": 0}
    first_claim = _next_id("tracker_claim")
    # Per-row search triggers would update a claim per attribution: off during the load, then
    # every new claim's vector is computed in one statement.
    _search_triggers(enabled=False)
    try:
        for batch in _article_batches(
            sizes=sizes, rng=rng, tag=tag, now=now, chunk=chunk, actors=actors,
            actor_id0=actor_id0, actor_pick=actor_pick, source_id0=source_id0,
            source_meta=source_meta, source_pick=source_pick, by_actor=by_actor,
            outlets=outlets, outlet_pick=outlet_pick,
        ):  # fmt: skip
            with transaction.atomic():
                writer.write(
                    "articles_article",
                    ("id", "title", "slug", "outlet_id", "published_on", "url", "byline", "body",
                     "language", "source_file", "created_at", "updated_at"),
                    batch["articles"],
                )  # fmt: skip
                writer.write(
                    "tracker_claim",
                    ("id", "text", "slug", "status", "first_reported_on", "created_at",
                     "updated_at"),
                    batch["claims"],
                )  # fmt: skip
                writer.write("tracker_claim_about", ("claim_id", "actor_id"), batch["about"])
                writer.write(
                    "tracker_attribution",
                    ("id", "claim_id", "source_id", "article_id", "stance", "wording", "count",
                     "anonymity", "quote", "span_start", "span_end", "created_at", "updated_at"),
                    batch["attributions"],
                )  # fmt: skip
            for name in counts:
                counts[name] += len(batch[name])
            if progress:
                progress(counts)
    finally:
        _search_triggers(enabled=True)
    _rebuild_search(first_claim)
    # The rows went in without signals: the kept counts (tracker/counters.py) from scratch,
    # a few GROUP BYs, cheaper than counting row by row as they were written.
    recount()
    bump()  # COPY went past Django's cursor: retire every kept page (tracker/caching.py)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics for the new data (SQLite has none before)
    summary.counts.update(counts)
    _reset_sequences(
        ["tracker_actor", "tracker_source", "articles_outlet", "articles_article",
         "tracker_claim", "tracker_attribution", "tracker_claim_about"]
    )  # fmt: skip
    return summary


def _article_batches(*, sizes: Sizes, rng: random.Random, tag: str, now, chunk: int,
                     actors: list[tuple], actor_id0: int, actor_pick: Zipf, source_id0: int,
                     source_meta: list[tuple], source_pick: Zipf, by_actor: dict[int, list[int]],
                     outlets: list[tuple], outlet_pick: Zipf,
                     ) -> Iterator[dict[str, list]]:  # fmt: skip
    article_id = _next_id("articles_article")
    claim_id = _next_id("tracker_claim")
    attribution_id = _next_id("tracker_attribution")
    start_day = date(2016, 1, 1)
    days = (date(2025, 12, 31) - start_day).days
    # Articles come in date order, so "first reported" is the article that introduces a claim.
    dates = sorted(start_day + timedelta(days=rng.randrange(days)) for _ in range(sizes.articles))
    recent: deque[tuple[int, str, list[int]]] = deque(maxlen=500)
    batch: dict[str, list] = {"articles": [], "claims": [], "about": [], "attributions": []}

    for index in range(sizes.articles):
        published = dates[index]
        new_claims = (
            index + 1
        ) * sizes.claims // sizes.articles - index * sizes.claims // sizes.articles
        sentences: list[str] = []
        position = 0
        article_rows: list[tuple] = []
        carried: list[tuple[int, str, list[int], bool]] = []
        if recent and rng.random() < 0.15:  # a later article repeats an earlier claim
            carried.append((*rng.choice(recent), False))
        for _ in range(new_claims):
            about = sorted({actor_id0 + actor_pick.draw() for _ in range(rng.choice((1, 1, 2)))})
            subject = actors[about[0] - actor_id0][1]
            text = (
                f"{subject} {rng.choice(PREDICATES)} {rng.choice(PLACES)} "
                f"in {published:%B %Y} ({claim_id})"
            )
            batch["claims"].append(
                (claim_id, text, f"{tag}-claim-{claim_id}", "unrated", published, now, now)
            )
            batch["about"].extend((claim_id, actor) for actor in about)
            carried.append((claim_id, text, about, True))
            recent.append((claim_id, text, about))
            claim_id += 1
        for cid, text, about, is_new in carried:
            taken: set[tuple[int, str]] = set()
            for _ in range(max(1, round(rng.gauss(3 if is_new else 1.5, 1.2)))):
                stance, source = _stance_and_source(rng, about, by_actor, source_pick, source_id0)
                if (source, stance) in taken:
                    continue
                taken.add((source, stance))
                sentence, wording, count, anonymity, quote = _sentence(
                    rng, text, stance, source_meta[source - source_id0]
                )
                start = position + (1 if sentences else 0)
                sentences.append(sentence)
                position = start + len(sentence)
                article_rows.append(
                    (attribution_id, cid, source, article_id, stance, wording, count, anonymity,
                     quote, start, position, now, now)
                )  # fmt: skip
                attribution_id += 1
        if not sentences:  # an article with nothing attributed still says something
            sentences.append(f"The reporter notes events in {rng.choice(PLACES)}.")
        body = " ".join(sentences)
        title = (carried[0][1] if carried else sentences[0])[:200]
        outlet = outlets[outlet_pick.draw()][0]
        batch["articles"].append(
            (article_id, title, f"{tag}-article-{article_id}", outlet, published, "", "", body,
             "en", "", now, now)
        )  # fmt: skip
        batch["attributions"].extend(article_rows)
        article_id += 1
        if len(batch["articles"]) >= chunk:
            yield batch
            batch = {"articles": [], "claims": [], "about": [], "attributions": []}
    if batch["articles"]:
        yield batch


def _stance_and_source(rng: random.Random, about: list[int], by_actor: dict[int, list[int]],
                       source_pick: Zipf, source_id0: int) -> tuple[str, int]:  # fmt: skip
    """Mostly assertions; the actors a claim is about often deny, decline or do not answer."""
    if rng.random() < 0.3:
        own = [s for actor in about for s in by_actor.get(actor, ())[:20]]
        if own:
            roll = rng.random()
            stance = "denies" if roll < 0.45 else "no_response" if roll < 0.8 else "declined"
            return stance, rng.choice(own)
    if rng.random() < 0.04:
        return "asserts", source_id0  # the reporter's own voice
    stance = "asserts" if rng.random() < 0.92 else "denies"
    return stance, source_id0 + source_pick.draw()


def _sentence(rng: random.Random, claim: str, stance: str,
              source: tuple[str, str, int | None]) -> tuple[str, str, int, str, str]:  # fmt: skip
    """The sentence an attribution rests on, with the wording, count, anonymity and quote."""
    kind, name, _actor = source
    count, quote = 1, ""
    if kind == "anonymous":
        count = rng.choice((1, 1, 2, 3, 5))
        wording = f"{NUMBERS[count - 2].lower()} {name}" if count > 1 else f"a source among {name}"
        anonymity = "anonymous"
    elif kind == "unattributed":
        wording, anonymity = "", "unattributed"
    else:
        wording = f"the {name}" if kind == "document" else name
        anonymity = "named"
    lowered = claim  # claims open with an actor's name: no lower-casing
    if stance == "asserts" and kind == "unattributed":
        sentence = f"{claim}."
    elif stance == "asserts" and kind == "person" and rng.random() < 0.5:
        quote = claim
        sentence = f'"{quote}," {wording} said.'
    elif stance == "asserts":
        sentence = f"{wording[:1].upper()}{wording[1:]} said that {lowered}."
    elif stance == "denies":
        sentence = f"{wording[:1].upper()}{wording[1:]} denied that {lowered}."
    elif stance == "declined":
        sentence = f"{wording[:1].upper()}{wording[1:]} declined to comment on whether {lowered}."
    else:
        sentence = (
            f"{wording[:1].upper()}{wording[1:]} did not respond to questions on whether {lowered}."
        )
    if not wording:
        wording = ""
    return sentence, wording, count, anonymity, quote


def table_counts() -> dict[str, Any]:
    with connection.cursor() as cursor:
        result = {}
        for table in ("tracker_actor", "tracker_source", "articles_article", "tracker_claim",
                      "tracker_attribution"):  # fmt: skip
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
        return result
