"""The claims domain: actors, sources, claims and attributions."""

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Claims and sources"

    def ready(self) -> None:
        # Statuses and track records follow every write to verdicts and attributions: those
        # receivers connect on import, before the ones below.
        from tracker import auth_events, caching, counters, dates, history
        from tracker.credibility import signals  # noqa: F401

        # Counts kept with the data (after the receivers above, which set claim statuses).
        counters.connect()

        # First-reported dates follow their articles; a save that changes nothing records
        # no history (tracker/dates.py, tracker/history.py).
        dates.connect()
        history.connect()

        # Kept pages follow every write, whichever code path or model (tracker/caching.py).
        caching.install()

        # Attributions follow their passages when an import replaces an article's text; the
        # extractor matches existing sources when suggestions are stored.
        from tracker import anchoring, suggesting  # noqa: F401

        # The SQLite search index's triggers, put back after a migration remade their table.
        post_migrate.connect(_search_index_in_step, sender=self)

        # Sign-ins, failures, lockouts and expired tokens in the log (tracker/auth_events.py).
        auth_events.connect()


def _search_index_in_step(sender, using: str = "default", **kwargs) -> None:
    from tracker.search import ensure_sqlite_index

    ensure_sqlite_index(connections[using])
