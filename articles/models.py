"""Outlets, the articles they publish (the text every attribution points into), and the
attributions suggested from an article's text until an editor decides on them."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from simple_history.models import HistoricalRecords

from articles.links import detail_url
from articles.namekeys import NameKeyed, NameKeyedQuerySet, NameWord, word_rows
from articles.suggest.results import ANONYMITIES, STANCES
from articles.text import normalise_text


class Outlet(NameKeyed):
    SPELLED_BY = ("name", "slug")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    url = models.URLField(blank=True)

    objects = NameKeyedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name_key"], name="outlet_name_key")]

    def __str__(self) -> str:
        return self.name

    def new_words(self) -> list[NameWord]:
        return word_rows(OutletWord, {"outlet_id": self.pk}, self.name, self.slug)

    @classmethod
    def words_of(cls, pks: Sequence[int]) -> models.QuerySet:
        return OutletWord.objects.filter(outlet_id__in=pks)


class OutletWord(NameWord):
    """A word key of an outlet's name or slug (articles/namekeys.py): what suggestions match."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")


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
        return detail_url("tracker:article_detail", self.pk)


class SuggestedAttribution(models.Model):
    """An attribution the extractor (articles/suggest/) proposes for an article, until an editor
    accepts it (an attribution is made), edits and accepts it, or rejects it.

    Spans are [start, end) string indices into the article's body. `known` is the extractor's
    match of the source's words ("source:12", an actor's slug), or empty. Once accepted,
    `attribution_id` is the attribution made from it (a plain id: articles does not depend on
    tracker). The fingerprint (the spans' words and the stance, normalised) recognises the
    same suggestion when the extractor runs again, wherever the text has moved it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField()
    cue_end = models.PositiveIntegerField()
    content_start = models.PositiveIntegerField(null=True, blank=True)
    content_end = models.PositiveIntegerField(null=True, blank=True)
    # For a pronoun source ("he said"): the earlier mention it stands for.
    antecedent_start = models.PositiveIntegerField(null=True, blank=True)
    antecedent_end = models.PositiveIntegerField(null=True, blank=True)
    stance = models.CharField(max_length=16, choices=[(s, s) for s in STANCES])
    anonymity = models.CharField(max_length=16, choices=[(a, a) for a in ANONYMITIES])
    count = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many people the source's words count; empty for "
        "a plural the text does not count.",
    )
    known = models.CharField(max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attribution_id = models.PositiveIntegerField(null=True, blank=True)
    # Set when the article's text changed and no longer holds the suggestion's words: a rejected
    # or accepted suggestion is kept (so that it stays decided), but points at nothing.
    detached = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "cue_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cue_end__gt=models.F("cue_start")),
                name="suggestion_cue_order",
            ),
        ]
        indexes = [models.Index(fields=["article", "status"], name="suggestion_article_status")]

    def __str__(self) -> str:
        return f"{self.get_stance_display()} at {self.cue_start} in article {self.article_id}"

    def spans(self) -> dict[str, tuple[int, int] | None]:
        def pair(start: int | None, end: int | None) -> tuple[int, int] | None:
            return None if start is None or end is None else (start, end)

        return {
            "source": pair(self.source_start, self.source_end),
            "cue": (self.cue_start, self.cue_end),
            "content": pair(self.content_start, self.content_end),
            "antecedent": pair(self.antecedent_start, self.antecedent_end),
        }

    def _own(self) -> list[tuple[int, int]]:
        # The statement's own spans; an antecedent may lie paragraphs before.
        return [span for part, span in self.spans().items() if span and part != "antecedent"]

    @property
    def span_start(self) -> int:
        """Where the passage the suggestion rests on starts: its first span."""
        return min(span[0] for span in self._own())

    @property
    def span_end(self) -> int:
        return max(span[1] for span in self._own())

    def text_of(self, body: str, part: str) -> str:
        span = self.spans()[part]
        return body[span[0] : span[1]] if span else ""
