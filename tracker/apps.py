"""The claims domain: actors, sources, claims and attributions."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Claims and sources"
