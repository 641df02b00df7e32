"""The editors' desk: every model's admin, defined once, registered on import."""

from tracker.admin import actors, articles, claims, verdicts

__all__ = ["actors", "articles", "claims", "verdicts"]
