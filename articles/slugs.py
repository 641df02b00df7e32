"""Slugs that no row of a model has yet (articles, and the tracker's claims and sources)."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, max_length: int | None = None) -> str:
    """slugify(text), cut to fit, with -2, -3... added when the model already has it."""
    max_length = max_length or model._meta.get_field("slug").max_length
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    # Every slug a suffix could collide with starts with the base cut for the longest suffix.
    prefix = base[: max_length - 8]
    taken = set(model.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: max_length - len(suffix)] + suffix, n + 1
    return slug
