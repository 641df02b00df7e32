"""Outlets and the articles they publish: the text every attribution points into."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.text import normalise_text


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    url = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def for_list(self) -> ArticleQuerySet:
        return self.select_related("outlet").defer("body")


class Article(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200, unique=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, related_name="articles", null=True, blank=True
    )
    published_on = models.DateField(db_index=True)
    url = models.URLField(max_length=1000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    body = models.TextField(
        help_text="The article's text as published. Editing it moves every attribution to "
        "its passage in the new text; a change that removes a passage is refused, naming the "
        "attributions that rest on it."
    )
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag, e.g. en, ar.")
    source_file = models.CharField(
        max_length=300,
        blank=True,
        help_text="The key the article was imported under (the file's name unless one was "
        "given). Importing under a key already taken is refused; an import replaces an "
        "article's text only when asked to (import_article --update).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_file"],
                condition=~models.Q(source_file=""),
                name="article_unique_source_file",
            ),
        ]
        indexes = [models.Index(fields=["outlet", "published_on"], name="article_outlet_date")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Whichever way the text came in, it is stored as articles/text.py says.
        if "body" not in self.get_deferred_fields():
            self.body = normalise_text(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # A URL name, not an import: articles does not depend on tracker's code.
        return reverse("tracker:article_detail", args=[self.pk])
