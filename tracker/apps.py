"""The claims domain: actors, sources, claims and attributions."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Claims and sources"

    def ready(self) -> None:
        # Statuses and track records follow every write to verdicts and attributions.
        from tracker.credibility import signals  # noqa: F401
