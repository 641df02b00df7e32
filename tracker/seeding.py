"""Loading curated seeds: articles and TOML annotations, checked whole, written all or nothing.

A seed folder holds article files (``NAME.txt``: the word ``date``, an ISO date, the body), an
annotation file for each (``NAME.toml``: ``[article]``, ``[[claims]]``, ``[[attributions]]``) and
any number of catalog files (other ``*.toml``: ``[[outlets]]``, ``[[actors]]``, ``[[sources]]``,
``[[claims]]``). Entries are keyed by slug, so loading twice changes nothing. See seeds/README.md.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, transaction

from articles.importing import ArticleFileError, ArticleText, read_article_file, upsert_article
from articles.models import Outlet
from tracker.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Anonymity,
    Attribution,
    Claim,
    Source,
    SourceKind,
    Stance,
)

_SLUG = re.compile(r"^[-a-z0-9_]+$")

# section -> field -> (type, required, allowed values or None)
_SPEC: dict[str, dict[str, tuple[type | tuple[type, ...], bool, list[str] | None]]] = {
    "outlets": {"slug": (str, True, None), "name": (str, True, None), "url": (str, False, None)},
    "actors": {
        "slug": (str, True, None),
        "name": (str, True, None),
        "kind": (str, True, ActorKind.values),
        "country": (str, False, None),
        "parent": (str, False, None),
        "aliases": (list, False, None),
        "wikidata_id": (str, False, None),
        "description": (str, False, None),
    },
    "sources": {
        "slug": (str, True, None),
        "name": (str, True, None),
        "kind": (str, True, SourceKind.values),
        "role": (str, False, None),
        "actor": (str, False, None),
        "description": (str, False, None),
    },
    "claims": {
        "slug": (str, True, None),
        "text": (str, True, None),
        "about": (list, False, None),
        "first_reported_on": ((date, str), False, None),
    },
    "attributions": {
        "claim": (str, True, None),
        "source": (str, True, None),
        "stance": (str, True, Stance.values),
        "wording": (str, False, None),
        "count": (int, False, None),
        "anonymity": (str, False, Anonymity.values),
        "quote": (str, False, None),
        "passage": (str, False, None),
        "occurrence": (int, False, None),
        "span_start": (int, False, None),
        "span_end": (int, False, None),
    },
    "article": {
        "title": (str, False, None),
        "outlet": (str, False, None),
        "url": (str, False, None),
        "byline": (str, False, None),
        "language": (str, False, None),
    },
}
_CATALOG_SECTIONS = ("outlets", "actors", "sources", "claims")
_ANNOTATION_SECTIONS = ("article", "claims", "attributions", "outlets", "actors", "sources")


@dataclass(frozen=True)
class SeedError:
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.entry}: {self.message}"
            if self.entry
            else f"{self.file}: {self.message}"
        )


class SeedErrors(ValueError):
    def __init__(self, errors: list[SeedError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class Entry:
    """One table of a seed file, with where it came from for error messages."""

    file: str
    label: str
    data: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass
class LoadSummary:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def record(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def __str__(self) -> str:
        parts = [f"{sum(c.values())} {kind}" for kind, c in self.counts.items()]
        totals = Counter()
        for counter in self.counts.values():
            totals.update(counter)
        return (
            f"{', '.join(parts)} ({totals['created']} created, {totals['updated']} updated, "
            f"{totals['unchanged']} unchanged)"
        )


class _Reader:
    """Reads and checks a whole seed folder, collecting every problem before anything is written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.errors: list[SeedError] = []
        self.defined: dict[str, dict[str, Entry]] = {name: {} for name in _CATALOG_SECTIONS}
        self.articles: list[tuple[ArticleText, Entry, list[Entry]]] = []

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
            allowed = _ANNOTATION_SECTIONS if is_annotation else _CATALOG_SECTIONS
            for key in doc:
                if key not in allowed:
                    hint = (
                        f"; there is no article file {path.stem}.txt beside it"
                        if key in ("article", "attributions")
                        else ""
                    )
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
                file, _label(section, index, item), item if isinstance(item, dict) else {}
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
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
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
            elif key in ("count", "occurrence") and value < 1:
                self.error(entry, f"{key}: must be 1 or more, got {value}")
                ok = False
            elif key in ("span_start", "span_end") and value < 0:
                self.error(entry, f"{key}: must not be negative, got {value}")
                ok = False
            elif key == "wikidata_id" and not re.fullmatch(r"Q[0-9]+", value):
                self.error(entry, f"wikidata_id: {value!r} is not a Wikidata id like Q159")
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
        for entry in self.defined["claims"].values():
            for slug in entry.get("about", []):
                self._ref(entry, "about", "actors", slug)
        for text, meta, attributions in self.articles:
            self._ref(meta, "outlet", "outlets", meta.get("outlet"))
            keys: dict[tuple, Entry] = {}
            for entry in attributions:
                self._ref(entry, "claim", "claims", entry.get("claim"))
                self._ref(entry, "source", "sources", entry.get("source"))
                key = (entry.get("claim"), entry.get("source"), entry.get("stance"))
                if key in keys:
                    self.error(entry, f"the same claim, source and stance as {keys[key].label}")
                keys[key] = entry
                self._locate(text, entry)

    def _locate(self, text: ArticleText, entry: Entry) -> None:
        """Turn the passage (or explicit span) into span_start/span_end, checking the quote."""
        body, name = text.body, text.path.name
        passage, start, end = entry.get("passage"), entry.get("span_start"), entry.get("span_end")
        if passage is not None:
            hits = [m.start() for m in re.finditer(re.escape(passage), body)] if passage else []
            occurrence = entry.get("occurrence")
            if not hits:
                self.error(entry, f"passage: not found in the body of {name}: {_preview(passage)}")
                return
            if occurrence is None and len(hits) > 1:
                self.error(
                    entry,
                    f"passage: occurs {len(hits)} times in the body of {name}; make it longer "
                    f"or give occurrence = 1..{len(hits)}",
                )
                return
            if occurrence is not None and occurrence > len(hits):
                self.error(
                    entry, f"occurrence: {occurrence}, but the passage occurs {len(hits)} time(s)"
                )
                return
            found = hits[(occurrence or 1) - 1]
            if (start, end) != (None, None) and (start, end) != (found, found + len(passage)):
                self.error(
                    entry,
                    f"span_start/span_end {start}..{end} disagree with the passage "
                    f"found at {found}..{found + len(passage)}",
                )
                return
            start, end = found, found + len(passage)
        elif start is None or end is None:
            self.error(entry, "passage: missing (or give span_start and span_end)")
            return
        if end <= start:
            self.error(entry, f"span_end: the span must end after it starts ({start}..{end})")
            return
        if end > len(body):
            self.error(
                entry,
                f"span_end: {end} is past the end of the body of {name} ({len(body)} characters)",
            )
            return
        quote = entry.get("quote") or ""
        if quote and quote not in body[start:end]:
            where = (
                "is in the body but outside the passage"
                if quote in body
                else f"not found in the body of {name}"
            )
            self.error(entry, f"quote: {where}: {_preview(quote)}")
            return
        entry.data["span_start"], entry.data["span_end"] = start, end


def _label(section: str, index: int, item: Any) -> str:
    if section == "article":
        return "[article]"
    if not isinstance(item, dict):
        return f"{section}[{index}]"
    if section == "attributions":
        parts = [str(item.get(k, "?")) for k in ("claim", "source", "stance")]
        return f"attributions[{index}] ({' / '.join(parts)})"
    return (
        f"{section}[{index}] ({item['slug']})"
        if isinstance(item.get("slug"), str)
        else f"{section}[{index}]"
    )


def _preview(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _upsert(model: type[models.Model], lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create or update a row, writing only when a value differs (so a reload changes nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return obj, "updated"


def load_seed_folder(folder: Path) -> LoadSummary:
    """Check every file in the folder, then load all of it in one transaction (or nothing)."""
    reader = _Reader(folder)
    reader.read()
    if reader.errors:
        raise SeedErrors(reader.errors)
    summary = LoadSummary()
    with transaction.atomic():
        _write(reader, summary)
    return summary


def _write(reader: _Reader, summary: LoadSummary) -> None:
    defined = reader.defined
    outlets: dict[str, Outlet] = {}
    for slug, entry in defined["outlets"].items():
        outlets[slug], outcome = _upsert(
            Outlet, {"slug": slug}, {"name": entry.get("name"), "url": entry.get("url", "")}
        )
        summary.record("outlets", outcome)

    actors: dict[str, Actor] = {}

    def save_actor(slug: str) -> Actor:
        if slug not in actors:
            entry = defined["actors"][slug]
            parent = save_actor(entry.get("parent")) if entry.get("parent") else None
            actors[slug], outcome = _upsert(
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
        sources[slug], outcome = _upsert(
            Source,
            {"slug": slug},
            {
                "name": entry.get("name"),
                "kind": entry.get("kind"),
                "role": entry.get("role", ""),
                "actor": actors[actor_slug] if actor_slug else None,
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
        claims[slug], outcome = _upsert(
            Claim,
            {"slug": slug},
            {
                "text": entry.get("text"),
                "first_reported_on": entry.get("first_reported_on") or first_seen.get(slug),
            },
        )
        about = {actors[a].pk for a in entry.get("about", [])}
        missing = about - set(claims[slug].about.values_list("pk", flat=True))
        if missing:
            claims[slug].about.add(*missing)
            outcome = "updated" if outcome == "unchanged" else outcome
        summary.record("claims", outcome)

    for text, meta, attributions in reader.articles:
        outlet_slug = meta.get("outlet")
        result = upsert_article(
            text,
            title=meta.get("title"),
            outlet=outlets[outlet_slug] if outlet_slug else None,
            url=meta.get("url"),
            byline=meta.get("byline"),
            language=meta.get("language"),
        )
        summary.record(
            "articles",
            "created" if result.created else "updated" if result.changed else "unchanged",
        )
        for entry in attributions:
            source = sources[entry.get("source")]
            _attribution, outcome = _upsert(
                Attribution,
                {
                    "claim": claims[entry.get("claim")],
                    "source": source,
                    "article": result.article,
                    "stance": entry.get("stance"),
                },
                {
                    "wording": entry.get("wording", ""),
                    "count": entry.get("count", 1),
                    "anonymity": entry.get("anonymity") or source.default_anonymity,
                    "quote": entry.get("quote", ""),
                    "span_start": entry.get("span_start"),
                    "span_end": entry.get("span_end"),
                },
            )
            summary.record("attributions", outcome)
