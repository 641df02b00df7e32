"""Slugs that no row of a model has yet (articles, and the tracker's claims and sources)."""

from __future__ import annotations

from django.db import connections, models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int | None = None) -> str:
    """slugify(text), cut to fit, with -2, -3... added when the model already has it."""
    if max_length is None:
        field = model._meta.get_field("slug")
        if not isinstance(field, models.SlugField) or field.max_length is None:
            raise TypeError(f"{model.__name__}.slug is not a SlugField with a max_length.")
        max_length = field.max_length
    # Django's model_name is the class name lower-cased; read from the class, it is never None.
    base = slugify(text)[:max_length].strip("-") or model.__name__.lower()
    # Every slug a suffix could collide with starts with the base cut for the longest suffix.
    prefix = base[: max_length - 8]
    rows = model._default_manager.filter(slug__startswith=prefix)
    if connections[rows.db].vendor == "sqlite":
        # SQLite's LIKE folds case, so it reads every slug; the same slugs as a range of the
        # slug's index (compared byte by byte; no character sorts after U+10FFFF).
        rows = rows.filter(slug__gte=prefix, slug__lt=prefix + chr(0x10FFFF))
    taken = set(rows.order_by().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug
