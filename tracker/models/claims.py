"""Claims and attributions: who said what of a claim, in which article, in which words."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from articles.models import Article
from articles.slugs import unique_slug
from tracker.choices import RESPONSES, Anonymity, ClaimStatus, Stance
from tracker.models.actors import Actor, Source
from tracker.querysets import AttributionQuerySet, ClaimQuerySet
from tracker.spans import span_errors


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):
    def get_queryset(self) -> ClaimQuerySet:
        # The search vector is for the database's own use; rows never need to carry it.
        return super().get_queryset().defer("search_vector")


class Claim(models.Model):
    """One proposition, written once and reused by every article that repeats it."""

    Status = ClaimStatus

    text = models.TextField(help_text="The proposition, stated once, in plain words.")
    slug = models.SlugField(
        max_length=150, unique=True, blank=True, help_text="Made from the text when left empty."
    )
    about = models.ManyToManyField(
        Actor, blank=True, related_name="claims_about", help_text="The actors the claim is about."
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.UNRATED)
    first_reported_on = models.DateField(
        default=timezone.localdate,
        db_index=True,
        help_text="The date of the earliest article that carries the claim.",
    )
    # Set when an editor chose the date; otherwise it follows the earliest article carrying it.
    first_reported_by_editor = models.BooleanField(
        "first-reported date set by an editor",
        default=False,
        db_default=False,  # bulk writers that bypass the ORM leave it unset
        help_text="Leave unticked to follow the earliest article that carries the claim.",
    )
    # Full-text search over the claim and its quotes, kept by PostgreSQL triggers (migration
    # 0003); unused (and empty) on SQLite, where search falls back to LIKE.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimManager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["-first_reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ClaimStatus]),
                name="claim_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="claim_status"),
            # The claim list's default order, walked from the newest (keyset pages).
            models.Index(fields=["-first_reported_on", "-id"], name="claim_newest"),
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(90)

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Claim, Truncator(self.text).words(10, truncate=""))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tracker:claim_detail", args=[self.pk])


class Attribution(models.Model):
    """One article tying one claim to one source, with the source's stance and the exact words."""

    Stance = Stance

    # The design card's "denials": everything a source said or did when asked, other than assert.
    RESPONSE_STANCES = tuple(Stance(value) for value in RESPONSES)

    Anonymity = Anonymity

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attributions")
    stance = models.CharField(max_length=16, choices=Stance)
    wording = models.CharField(
        max_length=500,
        blank=True,
        help_text='How the article names the source: "five Syrian opposition sources".',
    )
    count = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="How many people the wording stands for (1 where the text is silent).",
    )
    anonymity = models.CharField(max_length=16, choices=Anonymity, default=Anonymity.NAMED)
    quote = models.TextField(
        blank=True, help_text="The verbatim quote, exactly as in the article body, if any."
    )
    span_start = models.PositiveIntegerField(
        help_text="First character of the passage in the article body (0-based)."
    )
    span_end = models.PositiveIntegerField(
        help_text="One past the last character of the passage in the article body."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttributionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "span_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stance__in=[s.value for s in Stance]),
                name="attribution_stance_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymity__in=[a.value for a in Anonymity]),
                name="attribution_anonymity_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="attribution_count_gte_1"
            ),
            models.CheckConstraint(
                condition=models.Q(span_start__gte=0)
                & models.Q(span_end__gt=models.F("span_start")),
                name="attribution_span_order",
                violation_error_message="The span must end after it starts.",
            ),
            # The same source may say the same thing twice in one article (the lede and the
            # body), but not twice from the same place.
            models.UniqueConstraint(
                fields=["claim", "source", "article", "stance", "span_start"],
                name="attribution_unique_claim_source_article_stance_place",
                violation_error_message="This source already has this stance on this claim "
                "at this place in the article.",
            ),
        ]
        indexes = [
            models.Index(fields=["stance", "claim"], name="attribution_stance_claim"),
            models.Index(fields=["source", "stance"], name="attribution_source_stance"),
            models.Index(fields=["claim", "stance"], name="attribution_claim_stance"),
            models.Index(fields=["anonymity"], name="attribution_anonymity"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_stance_display().lower()}: {self.claim}"

    @property
    def is_response(self) -> bool:
        return self.stance in self.RESPONSE_STANCES

    @property
    def passage(self) -> str:
        return self.article.body[self.span_start : self.span_end]

    def clean(self) -> None:
        errors = span_errors(
            body=self.article.body if self.article_id else None,
            span_start=self.span_start,
            span_end=self.span_end,
            quote=self.quote,
        )
        if errors:
            raise ValidationError(errors)


class Response(Attribution):
    """Denials, refusals to comment and non-responses: the editors' Responses page."""

    class Meta:
        proxy = True
        verbose_name = "response"
        verbose_name_plural = "responses (denials, declines, non-responses)"


class DataVersion(models.Model):
    """One row whose version database triggers change on every write (migration 0004).

    Cached counts are keyed by it (tracker/caching.py), so a cache entry can never outlive the
    data it was computed from, whichever process or code path wrote.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"data version {self.version}"
