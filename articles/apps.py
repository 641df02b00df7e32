"""Outlets, articles and getting their text in."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        # Stored suggestions follow their words when an article's text is replaced.
        from articles import suggestions  # noqa: F401
