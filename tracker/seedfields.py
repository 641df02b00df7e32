"""Seed entries' labels, and the checks of one value the database would refuse with a traceback."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.db import models

from articles.models import Article, Outlet
from tracker.models import Actor, Attribution, Claim, ClaimLink, Source
from tracker.models.claims import anonymity_problem

__all__ = ["anonymity_problem", "entry_label", "field_problem"]

# The largest whole number every database holds in the loaders' integer columns: a
# PositiveIntegerField is a 32-bit integer on PostgreSQL (SQLite would hold more).
MAX_INT = 2**31 - 1
_MODELS: dict[str, type[models.Model]] = {
    "outlets": Outlet,
    "actors": Actor,
    "sources": Source,
    "claims": Claim,
    "attributions": Attribution,
    "links": ClaimLink,
    "article": Article,
}
_WEB = URLValidator(schemes=["http", "https"])


def _max_length(section: str, key: str) -> int | None:
    try:
        field = _MODELS[section]._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return getattr(field, "max_length", None) if not field.is_relation else None


def entry_label(section: str, index: int, item: Any) -> str:
    """How an error names an entry: its section, number and slug (or claim / source / stance)."""
    if section == "article":
        return "[article]"
    if not isinstance(item, dict):
        return f"{section}[{index}]"
    if section == "attributions":
        parts = [str(item.get(k, "?")) for k in ("claim", "source", "stance")]
        return f"attributions[{index}] ({' / '.join(parts)})"
    slug = item.get("slug")
    return f"{section}[{index}] ({slug})" if isinstance(slug, str) else f"{section}[{index}]"


def field_problem(section: str, key: str, value: Any) -> str | None:
    """What is wrong with a value of the right type, if anything, in the file's terms."""
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        return "holds a NUL character (\\x00), which is not text"
    if isinstance(value, int):
        low = 1 if key in ("count", "occurrence") else 0
        if value < low:
            return f"must {'be 1 or more' if low else 'not be negative'}, got {value:,}"
        if value > MAX_INT:
            return f"must be at most {MAX_INT:,} (what the database holds), got {value:,}"
    if isinstance(value, str):
        limit = _max_length(section, key)
        if limit is not None and len(value) > limit:
            return f"is {len(value):,} characters long; at most {limit:,} fit"
        if key == "url" and value:  # an empty url is no address
            try:
                _WEB(value)
            except ValidationError:
                return f"{value!r} is not an http or https address"
        if key == "wikidata_id" and not re.fullmatch(r"Q[0-9]+", value):
            return f"{value!r} is not a Wikidata id like Q159"
    return None


def has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    """isinstance(), except that true and false are not integers (they are in Python)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return isinstance(value, kind) and not (int in kinds and isinstance(value, bool))
