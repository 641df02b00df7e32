"""Links to detail pages, from each URL pattern reversed once rather than once per link.

A list page links every row to its claim, source, actor and article: hundreds of `reverse()`
calls, each resolving the pattern again. `detail_url` reverses a pattern once per URL name, script
prefix and URL configuration with a stand-in value, keeps the text around the stand-in, and puts
each value in its place. A value that `reverse()` would have quoted or checked (anything but
digits, ASCII letters, "-" and "_") goes through `reverse()` itself, so every link is the one it
would have given.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Digits, so that it fits both <int:…> and <slug:…> converters.
_STAND_IN = "7319086425"
_PLAIN = re.compile(r"[-A-Za-z0-9_]+")
_Around = tuple[str, str, bool]  # before the value, after it, digits only


@lru_cache(maxsize=128)
def _around(name: str, kwarg: str | None, prefix: str, urlconf: str) -> _Around | None:
    """The text before and after the value in the pattern's URL, and whether the pattern takes
    digits only (None: reverse() every time)."""

    def url(value: str) -> str:
        if kwarg:
            return reverse(name, kwargs={kwarg: value}, urlconf=urlconf)
        return reverse(name, args=[value], urlconf=urlconf)

    whole = url(_STAND_IN)
    if whole.count(_STAND_IN) != 1:
        return None
    try:
        url("a-b_c")
        digits_only = False
    except NoReverseMatch:
        digits_only = True
    before, _, after = whole.partition(_STAND_IN)
    return before, after, digits_only


def detail_url(name: str, value: int | str, *, kwarg: str | None = None) -> str:
    """reverse(name, args=[value]) (or kwargs={kwarg: value}), without resolving it each time."""
    text = str(value)
    if _PLAIN.fullmatch(text):
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        around = _around(name, kwarg, get_script_prefix(), urlconf)
        if around is not None and (text.isdigit() or not around[2]):
            return f"{around[0]}{text}{around[1]}"
    if kwarg:
        return reverse(name, kwargs={kwarg: value})
    return reverse(name, args=[value])


def _forget(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _around.cache_clear()


setting_changed.connect(_forget)
