"""Attribution suggestions from an article's text: who said, denied, declined or did not answer."""

from __future__ import annotations

from .extract import suggest
from .results import KnownName, Suggestion

__all__ = ["KnownName", "Suggestion", "suggest"]
