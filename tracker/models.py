"""The claims domain: actors, the sources that belong to them, claims, and attributions."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify

from articles.models import Article
from tracker.querysets import (
    RESPONSES,
    ActorQuerySet,
    AttributionQuerySet,
    ClaimQuerySet,
    SourceQuerySet,
)


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    GOVERNMENT_BODY = "government_body", "Government body"
    MILITARY = "military", "Military"
    ARMED_GROUP = "armed_group", "Armed group"
    COMPANY = "company", "Company"
    MOVEMENT = "movement", "Movement"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    MEDIA = "media", "Media"
    PERSON = "person", "Person"
    OTHER = "other", "Other"


class Actor(models.Model):
    """An entity analysts filter by; actors nest (ministry -> government -> state)."""

    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind, default=Kind.OTHER)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. RU, TR."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, help_text="e.g. Q159 for Russia."
    )
    description = models.TextField(blank=True)
    # The ids from the root down to this actor, "/1/7/42/": a whole sub-tree is one indexed
    # prefix query. Kept by save(); never edited by hand.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ActorKind]), name="actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="actor_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = self._compute_path()
                Actor.objects.filter(pk=self.pk).update(path=self.path)
                return
            # The stored path, not the one in memory: another save may have moved this actor.
            old_path = Actor.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            self.path = self._compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def get_absolute_url(self) -> str:
        return reverse("tracker:actor_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.wikidata_id:
            self.wikidata_id = self.wikidata_id.strip().upper()
        self.country = self.country.strip().upper()
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": f"{self.parent} is {self} itself or one of its sub-actors."}
                    )
                ancestor = ancestor.parent

    def _compute_path(self) -> str:
        prefix = "/"
        if self.parent_id:
            parent_path = Actor.objects.filter(pk=self.parent_id).values_list("path", flat=True)
            prefix = parent_path.get() or "/"
            if f"/{self.pk}/" in prefix:
                raise ValidationError({"parent": "An actor cannot be its own ancestor."})
        return f"{prefix}{self.pk}/"

    def _move_descendants(self, old_path: str) -> None:
        # One UPDATE rewrites the prefix of the whole sub-tree.
        Actor.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=models.functions.Concat(
                models.Value(self.path),
                models.functions.Substr("path", len(old_path) + 1),
                output_field=models.CharField(),
            )
        )

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class ActorAlias(models.Model):
    """Another name the press uses for an actor ("MoD", "Moscow")."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="alias_unique_per_actor")
        ]
        indexes = [models.Index(fields=["name"], name="alias_name")]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    PERSON = "person", "Named person"
    ORGANISATION = "organisation", "Organisation"
    DOCUMENT = "document", "Document"
    ANONYMOUS = "anonymous", "Anonymous"
    UNATTRIBUTED = "unattributed", "Unattributed"


class Source(models.Model):
    """Who is cited: a person, a body, a document, an anonymous group, or nobody at all."""

    Kind = SourceKind

    name = models.CharField(
        max_length=300,
        help_text='A reusable identity: "Joshua Landis", "Russian Defence Ministry", '
        '"Syrian opposition sources", "confidential UN report".',
    )
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=16, choices=Kind)
    role = models.CharField(
        max_length=300, blank=True, help_text='e.g. "spokesman", "head of the Center for ..."'
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The actor this source speaks for or belongs to, if any.",
    )
    description = models.TextField(blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in SourceKind]), name="source_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Source, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("tracker:source_detail", args=[self.pk])

    @property
    def default_anonymity(self) -> str:
        return {
            self.Kind.ANONYMOUS: Attribution.Anonymity.ANONYMOUS,
            self.Kind.UNATTRIBUTED: Attribution.Anonymity.UNATTRIBUTED,
        }.get(self.kind, Attribution.Anonymity.NAMED)


class ClaimStatus(models.TextChoices):
    UNRATED = "unrated", "Not yet rated"
    CONFIRMED = "confirmed", "Confirmed"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    REFUTED = "refuted", "Refuted"
    UNPROVEN = "unproven", "Unproven"


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
    # Full-text search over the claim and its quotes, kept by PostgreSQL triggers (migration
    # 0003); unused (and empty) on SQLite, where search falls back to LIKE.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimManager()

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


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    DECLINED = "declined", "Declined to comment"
    NO_RESPONSE = "no_response", "Did not respond"


class Anonymity(models.TextChoices):
    NAMED = "named", "Named"
    ANONYMOUS = "anonymous", "Anonymous"
    UNATTRIBUTED = "unattributed", "Unattributed"


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
            models.UniqueConstraint(
                fields=["claim", "source", "article", "stance"],
                name="attribution_unique_claim_source_article_stance",
                violation_error_message="This source already has this stance on this claim "
                "in this article.",
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


def unique_slug(model: type[models.Model], text: str) -> str:
    """A slug made from text that no row of the model has yet."""
    max_length = model._meta.get_field("slug").max_length - 8
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def span_errors(
    *, body: str | None, span_start: int | None, span_end: int | None, quote: str
) -> dict[str, str]:
    """What is wrong with a span and quote against an article body, by field name."""
    if span_start is None or span_end is None:
        return {}  # the field-level "required" errors already say it
    if span_end <= span_start:
        return {"span_end": f"The span must end after it starts ({span_start}..{span_end})."}
    if body is None:
        return {}
    if span_end > len(body):
        return {
            "span_end": f"The span {span_start}..{span_end} runs past the end of the article "
            f"body ({len(body)} characters)."
        }
    if quote and quote not in body[span_start:span_end]:
        where = body.find(quote)
        hint = f" (it appears at {where}..{where + len(quote)})" if where >= 0 else ""
        return {
            "quote": f"The quote is not in the passage {span_start}..{span_end} of the "
            f"article body{hint}."
        }
    return {}


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
