"""Loading curated seeds: articles and TOML annotations, checked whole, written all or nothing.

A seed folder holds article files (``NAME.txt``: the word ``date``, an ISO date, the body), an
annotation file for each (``NAME.toml``: ``[article]``, ``[[claims]]``, ``[[attributions]]``) and
any number of catalog files (other ``*.toml``: ``[[outlets]]``, ``[[actors]]``, ``[[sources]]``,
``[[claims]]``). Entries are keyed by slug, so loading twice changes nothing. See seeds/README.md.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from articles.history import recorded_as
from articles.importing import (
    ArticleFileError,
    ArticleText,
    article_under_key,
    create_article,
    read_article_file,
    update_article,
)
from articles.models import Outlet
from articles.text import BodyChangeRefused
from tracker import partial_dates, spans
from tracker.choices import DatePrecision, LinkRelation
from tracker.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Anonymity,
    Attribution,
    Claim,
    Source,
    SourceKind,
    SourceTie,
    Stance,
)
from tracker.seedfields import anonymity_problem, entry_label, field_problem, has_type
from tracker.seedrows import LoadSummary, SeedError, SeedErrors, retire, upsert, write_links

__all__ = ["LoadSummary", "SeedError", "SeedErrors", "load_seed_folder"]

_SLUG = re.compile(r"^[-a-z0-9_]+$")

_Spec = dict[str, tuple[type | tuple[type, ...], bool, list[str] | None]]
_TYPES: dict[str, type | tuple[type, ...]] = {
    "": str,
    "int": int,
    "list": list,
    "date": (date, str),
    "count": (int, str),
}
# How a seed writes an unspecified number more than one ("some experts"): stored as no count.
UNSPECIFIED_COUNT = "several"


def _fields(spec: str, **choices: list[str]) -> _Spec:
    """A section's fields from "name! other:int": field -> (type, required, allowed values)."""
    fields: _Spec = {}
    for word in spec.split():
        name, _, kind = word.partition(":")
        fields[name.rstrip("!")] = (_TYPES[kind], name.endswith("!"), choices.get(name.rstrip("!")))
    return fields


_SPEC: dict[str, _Spec] = {
    "outlets": _fields("slug! name! url"),
    "actors": _fields(
        "slug! name! kind! country parent aliases:list wikidata_id description",
        kind=ActorKind.values,
    ),
    "sources": _fields(
        "slug! name! kind! role actor tie description", kind=SourceKind.values, tie=SourceTie.values
    ),
    "claims": _fields("slug! text! about:list first_reported_on:date"),
    "attributions": _fields(
        "claim! source! stance! wording count:count anonymity said_on:date quote passage "
        "occurrence:int "
        "span_start:int span_end:int",
        stance=Stance.values,
        anonymity=Anonymity.values,
    ),
    "article": _fields("title outlet url byline language"),
    "links": _fields("claim! other! relation!", relation=LinkRelation.values),
}
_CATALOG_SECTIONS = ("outlets", "actors", "sources", "claims")
_ANNOTATION_SECTIONS = (
    "article",
    "claims",
    "attributions",
    "outlets",
    "actors",
    "sources",
    "links",
)


@dataclass
class Entry:
    """One table of a seed file, with where it came from for error messages."""

    file: str
    label: str
    data: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


class _Reader:
    """Reads and checks a whole seed folder, collecting every problem before anything is written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.errors: list[SeedError] = []
        self.defined: dict[str, dict[str, Entry]] = {name: {} for name in _CATALOG_SECTIONS}
        self.articles: list[tuple[ArticleText, Entry, list[Entry]]] = []
        self.links: list[Entry] = []

    def error(self, entry: Entry | str, message: str) -> None:
        if isinstance(entry, Entry):
            self.errors.append(SeedError(entry.file, entry.label, message))
        else:
            self.errors.append(SeedError(entry, "", message))

    def read(self) -> None:
        if not self.folder.is_dir():
            self.error(str(self.folder), "no such folder")
            return
        texts = {path.stem: path for path in sorted(self.folder.glob("*.txt"))}
        tomls = sorted(self.folder.glob("*.toml"))
        if not texts and not tomls:
            self.error(str(self.folder), "no seed files (*.txt articles, *.toml annotations)")
        annotated: dict[str, tuple[str, dict]] = {}
        for path in tomls:
            doc = self._parse_toml(path)
            if doc is None:
                continue
            is_annotation = path.stem in texts
            allowed = _ANNOTATION_SECTIONS if is_annotation else (*_CATALOG_SECTIONS, "links")
            self.links += self._entries(path.name, doc, "links")
            for key in doc:
                if key not in allowed:
                    beside = key in ("article", "attributions")
                    hint = f"; there is no article file {path.stem}.txt beside it" if beside else ""
                    self.error(path.name, f"unknown section [{key}]{hint}")
            for section in _CATALOG_SECTIONS:
                for entry in self._entries(path.name, doc, section):
                    self._define(section, entry)
            if is_annotation:
                annotated[path.stem] = (path.name, doc)
        for stem, path in texts.items():
            try:
                text = read_article_file(path)
            except ArticleFileError as exc:
                self.error(
                    Path(exc.path).name,
                    f"line {exc.line}: {exc.message}" if exc.line else exc.message,
                )
                continue
            file, doc = annotated.get(stem, (f"{stem}.toml", {}))
            meta = self._entries(file, {"article": [doc.get("article", {})]}, "article")
            attributions = self._entries(file, doc, "attributions")
            self.articles.append(
                (text, meta[0] if meta else Entry(file, "[article]", {}), attributions)
            )
        self._check_references()

    def _parse_toml(self, path: Path) -> dict | None:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            self.error(path.name, f"not valid TOML: {exc}")
        except UnicodeDecodeError as exc:
            self.error(path.name, f"not UTF-8 text: {exc.reason}")
        except OSError as exc:
            self.error(path.name, f"cannot be read: {exc.strerror or exc}")
        return None

    def _entries(self, file: str, doc: dict, section: str) -> list[Entry]:
        raw = doc.get(section, [])
        if not isinstance(raw, list):
            self.error(file, f"[{section}] must be an array of tables ([[{section}]])")
            return []
        entries = []
        for index, item in enumerate(raw, start=1):
            entry = Entry(
                file, entry_label(section, index, item), item if isinstance(item, dict) else {}
            )
            if not isinstance(item, dict):
                self.error(entry, "must be a table")
                continue
            if self._check_fields(section, entry):
                entries.append(entry)
        return entries

    def _check_fields(self, section: str, entry: Entry) -> bool:
        spec, ok = _SPEC[section], True
        for key in entry.data:
            if key not in spec:
                self.error(entry, f"unknown field {key!r} (known: {', '.join(spec)})")
                ok = False
        for key, (kind, required, choices) in spec.items():
            value = entry.data.get(key)
            if value is None:
                if required:
                    self.error(entry, f"{key}: missing")
                    ok = False
                continue
            if not has_type(value, kind):
                expected = " or ".join(
                    t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,))
                )
                self.error(
                    entry, f"{key}: expected {expected}, got {type(value).__name__} {value!r}"
                )
                ok = False
            elif choices is not None and value not in choices:
                self.error(entry, f"{key}: unknown value {value!r} (one of: {', '.join(choices)})")
                ok = False
            elif key == "count" and isinstance(value, str) and value != UNSPECIFIED_COUNT:
                self.error(
                    entry,
                    f"count: {value!r} is not a number; write {UNSPECIFIED_COUNT!r} for an "
                    "unspecified number more than one",
                )
                ok = False
            elif key == "said_on" and isinstance(value, date):
                entry.data["said_on_precision"] = DatePrecision.DAY.value
            elif key == "said_on" and isinstance(value, str):
                try:
                    entry.data["said_on"], entry.data["said_on_precision"] = partial_dates.parse(
                        value
                    )
                except ValueError as error:
                    self.error(entry, f"said_on: {error}")
                    ok = False
            elif key == "slug" and not _SLUG.match(value):
                self.error(entry, f"slug: {value!r} may only hold a-z, 0-9, '-' and '_'")
                ok = False
            elif key == "first_reported_on" and isinstance(value, str):
                try:
                    entry.data[key] = date.fromisoformat(value)
                except ValueError:
                    self.error(entry, f"{key}: {value!r} is not an ISO date (YYYY-MM-DD)")
                    ok = False
            elif key in ("aliases", "about") and not all(isinstance(v, str) for v in value):
                self.error(entry, f"{key}: expected a list of strings")
                ok = False
            elif problem := field_problem(section, key, value):
                self.error(entry, f"{key}: {problem}")
                ok = False
        return ok

    def _define(self, section: str, entry: Entry) -> None:
        slug = entry.data["slug"]
        previous = self.defined[section].get(slug)
        if previous is not None:
            self.error(
                entry, f"slug {slug!r} is defined twice (also {previous.file}: {previous.label})"
            )
            return
        self.defined[section][slug] = entry

    def _ref(self, entry: Entry, key: str, section: str, slug: str | None) -> None:
        if slug is not None and slug not in self.defined[section]:
            self.error(entry, f"{key}: unknown {section[:-1]} {slug!r}")

    def _check_references(self) -> None:
        actors = self.defined["actors"]
        for entry in actors.values():
            self._ref(entry, "parent", "actors", entry.get("parent"))
            seen, slug = {entry.data["slug"]}, entry.get("parent")
            while slug in actors:
                if slug in seen:
                    self.error(entry, f"parent: the actor hierarchy loops back to {slug!r}")
                    break
                seen.add(slug)
                slug = actors[slug].get("parent")
        for entry in self.defined["sources"].values():
            self._ref(entry, "actor", "actors", entry.get("actor"))
            if entry.get("tie") and not entry.get("actor"):
                self.error(entry, "tie: says how the source is tied to its actor; give the actor")
        for entry in self.defined["claims"].values():
            for slug in entry.get("about", []):
                self._ref(entry, "about", "actors", slug)
        for entry in self.links:
            self._ref(entry, "claim", "claims", entry.get("claim"))
            self._ref(entry, "other", "claims", entry.get("other"))
            if entry.get("claim") == entry.get("other"):
                self.error(entry, "other: a claim cannot be linked to itself")
        for text, meta, attributions in self.articles:
            self._ref(meta, "outlet", "outlets", meta.get("outlet"))
            keys: dict[tuple, Entry] = {}
            for entry in attributions:
                self._ref(entry, "claim", "claims", entry.get("claim"))
                self._ref(entry, "source", "sources", entry.get("source"))
                source = self.defined["sources"].get(entry.get("source"))
                given = entry.get("anonymity")
                if source and given and (problem := anonymity_problem(source.get("kind"), given)):
                    self.error(entry, f"anonymity: {problem}")
                self._locate(text, entry)
                # The same source may support a claim twice in one article (the lede and the
                # body), but not twice from the same place.
                key = tuple(entry.get(k) for k in ("claim", "source", "stance", "span_start"))
                if key in keys:
                    self.error(
                        entry,
                        "the same claim, source and stance at the same place in the article "
                        f"as {keys[key].label}",
                    )
                keys[key] = entry

    def _locate(self, text: ArticleText, entry: Entry) -> None:
        """Turn the passage (or explicit span) into span_start/span_end, by tracker/spans.py."""
        try:
            placed = spans.locate(
                text.body,
                passage=entry.get("passage"),
                start=entry.get("span_start"),
                end=entry.get("span_end"),
                quote=entry.get("quote") or "",
                wording=entry.get("wording") or "",
                occurrence=entry.get("occurrence"),
                choose_hint=" (or give occurrence = 1..{n})",
            )
        except spans.SpanError as exc:
            for key, message in exc.errors.items():
                self.error(entry, f"{key}: {message}")
            return
        entry.data["span_start"], entry.data["span_end"] = placed.start, placed.end
        if placed.quote:
            entry.data["quote"] = placed.quote  # as the article has it


def load_seed_folder(
    folder: Path, *, progress: Callable[[int, int], object] | None = None
) -> LoadSummary:
    """Check every file in the folder, then load all of it in one transaction (or nothing).
    `progress` hears (articles written, articles) as they are."""
    reader = _Reader(folder)
    reader.read()
    if reader.errors:
        raise SeedErrors(reader.errors)
    summary = LoadSummary()
    # Every history row written says the seed loader wrote it.
    with transaction.atomic(), recorded_as("load_seeds"):
        _write(reader, summary, progress)
    if progress is not None:
        progress(len(reader.articles), len(reader.articles))
    return summary


def _write(
    reader: _Reader, summary: LoadSummary, progress: Callable[[int, int], object] | None = None
) -> None:
    defined = reader.defined
    outlets: dict[str, Outlet] = {}
    for slug, entry in defined["outlets"].items():
        outlets[slug], outcome = upsert(
            Outlet, {"slug": slug}, {"name": entry.get("name"), "url": entry.get("url", "")}
        )
        summary.record("outlets", outcome)

    actors: dict[str, Actor] = {}

    def save_actor(slug: str) -> Actor:
        if slug not in actors:
            entry = defined["actors"][slug]
            parent = save_actor(entry.get("parent")) if entry.get("parent") else None
            actors[slug], outcome = upsert(
                Actor,
                {"slug": slug},
                {
                    "name": entry.get("name"),
                    "kind": entry.get("kind"),
                    "country": entry.get("country", "").upper(),
                    "parent": parent,
                    "wikidata_id": entry.get("wikidata_id", ""),
                    "description": entry.get("description", ""),
                },
            )
            summary.record("actors", outcome)
            existing = set(actors[slug].aliases.values_list("name", flat=True))
            for alias in entry.get("aliases", []):
                if alias not in existing:
                    ActorAlias.objects.create(actor=actors[slug], name=alias)
                    existing.add(alias)
        return actors[slug]

    for slug in defined["actors"]:
        save_actor(slug)

    sources: dict[str, Source] = {}
    for slug, entry in defined["sources"].items():
        actor_slug = entry.get("actor")
        sources[slug], outcome = upsert(
            Source,
            {"slug": slug},
            {
                "name": entry.get("name"),
                "kind": entry.get("kind"),
                "role": entry.get("role", ""),
                "actor": actors[actor_slug] if actor_slug else None,
                "tie": entry.get("tie") or SourceTie.SPEAKS_FOR,
                "description": entry.get("description", ""),
            },
        )
        summary.record("sources", outcome)

    # A claim's first report is the earliest seed article that carries it, unless given.
    first_seen: dict[str, date] = {}
    for text, _meta, attributions in reader.articles:
        for entry in attributions:
            slug = entry.get("claim")
            first_seen[slug] = min(first_seen.get(slug, text.published_on), text.published_on)
    claims: dict[str, Claim] = {}
    for slug, entry in defined["claims"].items():
        claims[slug], outcome = upsert(
            Claim,
            {"slug": slug},
            {
                "text": entry.get("text"),
                "first_reported_on": entry.get("first_reported_on") or first_seen.get(slug),
                # A date the seed gives is the curators' own; otherwise it follows the articles.
                "first_reported_by_editor": entry.get("first_reported_on") is not None,
            },
        )
        about = {actors[a].pk for a in entry.get("about", [])}
        missing = about - set(claims[slug].about.values_list("pk", flat=True))
        if missing:
            claims[slug].about.add(*missing)
            outcome = "updated" if outcome == "unchanged" else outcome
        summary.record("claims", outcome)
    write_links(reader.links, claims, summary)

    total = len(reader.articles)
    for done, (text, meta, attributions) in enumerate(reader.articles):
        if progress is not None:
            progress(done, total)
        outlet_slug = meta.get("outlet")
        given = {name: meta.get(name) for name in ("title", "url", "byline", "language")}
        given["outlet"] = outlets[outlet_slug] if outlet_slug else None
        # A seed article is keyed by its file's name in the seed folder.
        article = article_under_key(text.path.name)
        places = Counter(
            (entry.get("claim"), entry.get("source"), entry.get("stance")) for entry in attributions
        )
        if article is None:
            article, outcome = create_article(text, key=text.path.name, **given), "created"
        else:
            # The seed places its own attributions (below); an editor's follow their passages.
            rows = article.attributions.values_list("pk", "claim__slug", "source__slug", "stance")
            own = {pk for pk, *key in rows if tuple(key) in places}
            try:
                changed = update_article(article, text, placed=own, **given)
            except BodyChangeRefused as exc:
                raise SeedErrors([SeedError(text.path.name, "", str(exc))]) from None
            outcome = "updated" if changed else "unchanged"
        summary.record("articles", outcome)
        seeded: set[int] = set()
        for entry in attributions:
            source = sources[entry.get("source")]
            lookup = {
                "claim": claims[entry.get("claim")],
                "source": source,
                "article": article,
                "stance": entry.get("stance"),
            }
            values = {
                "wording": entry.get("wording", ""),
                "count": None if entry.get("count") == UNSPECIFIED_COUNT else entry.get("count", 1),
                "anonymity": entry.get("anonymity") or source.default_anonymity,
                "quote": entry.get("quote", ""),
                "said_on": entry.get("said_on"),
                "said_on_precision": entry.get("said_on_precision", ""),
                "span_start": entry.get("span_start"),
                "span_end": entry.get("span_end"),
            }
            if places[(entry.get("claim"), entry.get("source"), entry.get("stance"))] > 1:
                # Said at two places (the lede and the body): each place is its own row.
                lookup["span_start"] = values.pop("span_start")
            attribution, outcome = upsert(Attribution, lookup, values)
            seeded.add(attribution.pk)
            summary.record("attributions", outcome)
        retire(article, seeded, set(defined["claims"]), summary)
