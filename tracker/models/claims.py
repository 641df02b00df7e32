"""Claims and attributions: who said what of a claim, in which article, in which words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from simple_history.models import HistoricalRecords

from articles.links import detail_url
from articles.models import Article
from articles.slugs import unique_slug
from tracker import partial_dates, spans
from tracker.choices import RESPONSES, Anonymity, ClaimStatus, DatePrecision, SourceKind, Stance
from tracker.models.actors import Actor, Source
from tracker.querysets import AttributionQuerySet, ClaimQuerySet

_ClaimManagerBase = models.Manager.from_queryset(ClaimQuerySet)


def claim_key(text: str) -> str:
    """A claim's text as compared for duplicates: case, runs of whitespace, typographic quotes
    and dashes, and a final full stop do not make another claim."""
    return spans.folded(text).casefold().rstrip(".").rstrip()


def claims_by_key(texts: Iterable[str]) -> dict[str, Claim]:
    """The existing claims whose text is one of these (by claim_key), keyed by claim_key.

    Narrowed in the database by each text's longest word (the rarest, usually), then compared
    by claim_key here; where two old claims share a key, the oldest is the claim.
    """
    keys = {claim_key(text) for text in texts}
    words = [max(re.findall(r"\w+", key), key=len, default="") for key in keys]
    condition = models.Q()
    for word in filter(None, words):
        condition |= models.Q(text__icontains=word)
    if not condition:
        return {}
    found: dict[str, Claim] = {}
    for claim in Claim.objects.filter(condition).only("pk", "text", "slug").order_by("pk"):
        found.setdefault(claim_key(claim.text), claim)
    return {key: claim for key, claim in found.items() if key in keys}


def anonymity_problem(kind: str, anonymity: str) -> str | None:
    """Why an attribution's anonymity contradicts its source's kind, in an editor's words.

    The one rule for the model, the admin, the API and the seed loader: an anonymous source's
    attributions are anonymous, an unnamed spokesperson's are on the record (not anonymous: the
    body speaks), an unattributed source's are unattributed, a person's, an organisation's or
    a document's are named.
    """
    expected = Source(kind=kind).default_anonymity
    if anonymity == expected:
        return None
    kind_label = SourceKind(kind).label.lower() if kind in SourceKind.values else kind
    given = Anonymity(anonymity).label if anonymity in Anonymity.values else anonymity
    return (
        f"The source is of the kind “{kind_label}”, so this attribution is "
        f"“{Anonymity(expected).label}”, not “{given}”. Choose “{Anonymity(expected).label}”, "
        "or pick a source of another kind."
    )


class ClaimManager(_ClaimManagerBase):
    def get_queryset(self) -> ClaimQuerySet:
        # The search vector is for the database's own use; rows never need to carry it.
        # (The plugin types the generated base's get_queryset() as a plain QuerySet.)
        return cast(ClaimQuerySet, super().get_queryset()).defer("search_vector")


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
    # The claim's text for full-text search, kept by a PostgreSQL trigger (migrations 0003,
    # 0009); empty on SQLite, which has its own FTS5 tables (tracker/search.py).
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by tracker/counters.py in the writer's transaction, so lists read a column instead
    # of counting attributions: their number, their distinct sources (the "most sourced"
    # order) and the responses among them.
    attribution_total = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    source_total = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    response_total = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = ClaimManager()
    history = HistoricalRecords(
        excluded_fields=["search_vector", "attribution_total", "source_total", "response_total"]
    )

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
            # The "most sourced" order, walked from the top (keyset pages).
            models.Index(fields=["-source_total", "-id"], name="claim_most_sourced"),
        ]

    def __str__(self) -> str:
        return Truncator(self.text).chars(90)

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Claim, Truncator(self.text).words(10, truncate=""))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return detail_url("tracker:claim_detail", self.pk)


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
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many people the wording stands for (1 where the text names one). Leave "
        'empty for an unspecified number more than one ("some experts", "officials").',
    )
    anonymity = models.CharField(max_length=16, choices=Anonymity, default=Anonymity.NAMED)
    quote = models.TextField(
        blank=True, help_text="The verbatim quote, exactly as in the article body, if any."
    )
    said_on = models.DateField(
        "said on",
        null=True,
        blank=True,
        help_text="When the source said it, if the article tells (it may be earlier than the "
        "article): January 2020 is the 1 January 2020 with the precision month.",
    )
    said_on_precision = models.CharField(
        "known to the",
        max_length=8,
        choices=DatePrecision,
        blank=True,
        db_default="",  # bulk writers that bypass the ORM leave it unset
        help_text="Day, month or year: how much of the date the article gives.",
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
            # No count is "an unspecified number, more than one" ("some experts").
            models.CheckConstraint(
                condition=models.Q(count__gte=1) | models.Q(count__isnull=True),
                name="attribution_count_gte_1",
            ),
            models.CheckConstraint(
                condition=models.Q(said_on__isnull=True, said_on_precision="")
                | models.Q(
                    said_on__isnull=False, said_on_precision__in=[p.value for p in DatePrecision]
                ),
                name="attribution_said_on_precision",
                violation_error_message="A date when it was said needs its precision (day, "
                "month or year), and a precision needs a date.",
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
            # A source's attributions by stance, with their claims: an actor's claims are read
            # from this index alone (the claim list's filter by actor), no row fetched.
            models.Index(fields=["source", "stance", "claim"], name="attribution_source_claims"),
            models.Index(fields=["claim", "stance"], name="attribution_claim_stance"),
            models.Index(fields=["anonymity"], name="attribution_anonymity"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_stance_display().lower()}: {self.claim}"

    @property
    def count_text(self) -> str:
        """How many people, in words: "5 people", "several people" when the text does not say."""
        return "several people" if self.count is None else f"{self.count} people"

    @property
    def said_when(self) -> str:
        """When it was said, as a reader reads it ("January 2020"); "" when the text is silent."""
        return partial_dates.shown(self.said_on, self.said_on_precision)

    @property
    def said_on_iso(self) -> str | None:
        """When it was said as ISO 8601 cut to its precision ("2020-01"), or None."""
        return partial_dates.iso(self.said_on, self.said_on_precision)

    @property
    def is_response(self) -> bool:
        return self.stance in self.RESPONSE_STANCES

    @property
    def passage(self) -> str:
        return self.article.body[self.span_start : self.span_end]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.said_on is not None:
            # A date given alone is known to the day; a month or a year starts on its first day.
            self.said_on_precision = self.said_on_precision or DatePrecision.DAY
            self.said_on = partial_dates.truncated(self.said_on, self.said_on_precision)
        elif self.said_on_precision:
            errors["said_on"] = "Give the date, or leave the precision empty."
        problem = self.source_id and anonymity_problem(self.source.kind, self.anonymity)
        if problem:
            errors["anonymity"] = problem
        # No span (a form that could not place the passage) or no article: the fields' own
        # errors already say so. Otherwise the span, its quote and its wording are checked by
        # the rules every writer uses (tracker/spans.py).
        if self.span_start is not None and self.span_end is not None and self.article_id:
            errors |= spans.check(
                self.article.body,
                self.span_start,
                self.span_end,
                quote=self.quote,
                wording=self.wording,
            )
        if errors:
            raise ValidationError(errors)


class Response(Attribution):
    """Denials, refusals to comment and non-responses: the editors' Responses page."""

    class Meta:
        proxy = True
        verbose_name = "response"
        verbose_name_plural = "responses (denials, declines, non-responses)"
