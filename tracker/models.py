"""The claims domain: actors, the sources that belong to them, claims, and attributions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article
from articles.slugs import unique_slug
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


# -- Verdicts and track records ----------------------------------------------------------------


class Rating(models.TextChoices):
    """What the evidence says of a claim: every claim status but "not yet rated"."""

    CONFIRMED = "confirmed", "Confirmed"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    REFUTED = "refuted", "Refuted"
    UNPROVEN = "unproven", "Unproven"


class VerdictQuerySet(models.QuerySet):
    def latest_first(self) -> VerdictQuerySet:
        """The order that decides a claim's status: the latest rating first."""
        return self.order_by("-rated_at", "-pk")

    def for_page(self) -> VerdictQuerySet:
        """Verdicts with who rated them and their evidence: two queries however many there are."""
        evidence = Evidence.objects.select_related(
            "article", "attribution__source", "attribution__article"
        ).defer("article__body", "attribution__article__body")
        return (
            self.latest_first()
            .select_related("rated_by")
            .prefetch_related(models.Prefetch("evidence", queryset=evidence))
        )


class Verdict(models.Model):
    """An editor's rating of a claim from evidence. The latest verdict is the claim's status;
    earlier ones stay, so a reader can see how the assessment changed."""

    Rating = Rating

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(max_length=16, choices=Rating)
    explanation = models.TextField(
        help_text="What the evidence shows and why it earns this rating; readers see it."
    )
    # Set to the editor who saves the verdict; never picked from a list of users.
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="verdicts",
    )
    rated_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the evidence was weighed. The latest verdict sets the claim's status.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__in=[r.value for r in Rating]),
                name="verdict_rating_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "-rated_at", "-id"], name="verdict_claim_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.rated_at:%Y-%m-%d})"

    @property
    def rated_by_name(self) -> str:
        if self.rated_by is None:  # the account was removed, or the verdict was imported
            return "the editors"
        return self.rated_by.get_full_name() or self.rated_by.get_username()


class Evidence(models.Model):
    """One thing a verdict rests on: an article in the tracker, an attribution, or a web page."""

    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cited_as_evidence",
    )
    attribution = models.ForeignKey(
        Attribution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cited_as_evidence",
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    title = models.CharField(
        max_length=300, blank=True, help_text="What the page at the URL is, in a few words."
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, attribution__isnull=True, url="")
                    | models.Q(article__isnull=True, attribution__isnull=False, url="")
                    | (models.Q(article__isnull=True, attribution__isnull=True) & ~models.Q(url=""))
                ),
                name="evidence_one_of_article_attribution_url",
                violation_error_message="Give one of an article, an attribution or a URL.",
            ),
            models.CheckConstraint(
                condition=models.Q(url="")
                | models.Q(url__startswith="http://")
                | models.Q(url__startswith="https://"),
                name="evidence_url_is_web",
                violation_error_message="Only http and https addresses can be evidence.",
            ),
            models.UniqueConstraint(fields=["verdict", "article"], name="evidence_unique_article"),
            models.UniqueConstraint(
                fields=["verdict", "attribution"], name="evidence_unique_attribution"
            ),
            models.UniqueConstraint(
                fields=["verdict", "url"],
                condition=~models.Q(url=""),
                name="evidence_unique_url",
            ),
        ]

    def __str__(self) -> str:
        # Ids only: the admin prints this for rows whose relations it has not loaded.
        if self.url:
            return self.url
        if self.article_id:
            return f"article {self.article_id}"
        return f"attribution {self.attribution_id}"

    @property
    def key(self) -> tuple[str, object]:
        """What it points at, to compare evidence without loading it: ("url", "https://...")."""
        if self.article_id:
            return ("article", self.article_id)
        if self.attribution_id:
            return ("attribution", self.attribution_id)
        return ("url", self.url)

    @property
    def href(self) -> str:
        """Where a reader follows it (the rows come from VerdictQuerySet.for_page())."""
        if self.article_id:
            return self.article.get_absolute_url()
        if self.attribution_id:
            article_url = self.attribution.article.get_absolute_url()
            return f"{article_url}#attribution-{self.attribution_id}"
        return self.url

    @property
    def label(self) -> str:
        if self.article_id:
            return self.article.title
        if self.attribution_id:
            attribution = self.attribution
            stance = attribution.get_stance_display().lower()
            return f"{attribution.source.name} ({stance}) in “{attribution.article.title}”"
        return self.title or self.url


class TrackRecordQuerySet(models.QuerySet):
    def of_sources(self) -> TrackRecordQuerySet:
        return self.filter(source__isnull=False)

    def of_actors(self) -> TrackRecordQuerySet:
        return self.filter(actor__isnull=False)

    def enough(self) -> TrackRecordQuerySet:
        """Records with enough scored claims to show a score."""
        return self.filter(scored__gte=TrackRecord.MIN_RECORD)

    def ranked(self) -> TrackRecordQuerySet:
        """Best first: by score, then by the lower bound (more evidence for the same mean)."""
        return self.order_by("-score", "-lower", "-scored", "pk")


class TrackRecord(models.Model):
    """How a source's or an actor's assertions and denials fared once claims were rated.

    Computed by tracker.credibility (its docstring states the rules), never edited by hand:
    saving a verdict updates the records it touches; `manage.py recompute_credibility` rebuilds
    them all. An actor's record includes its sub-actors and the sources of all of them.
    """

    # Fewer scored claims than this is "not enough record": no score is shown.
    MIN_RECORD = 3

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="track_record"
    )
    actor = models.OneToOneField(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="track_record"
    )
    for_count = models.FloatField("for", default=0.0)
    against_count = models.FloatField("against", default=0.0)
    # Assertions and denials of rated claims that count, one per (source, claim, stance):
    # each adds 1 in all to for + against, so this is for + against, kept as an integer.
    scored = models.PositiveIntegerField(default=0)
    rated_claims = models.PositiveIntegerField(
        default=0, help_text="Distinct claims among the scored ones."
    )
    declined = models.PositiveIntegerField(default=0)
    no_response = models.PositiveIntegerField(default=0)
    score = models.FloatField(help_text="Mean of the Beta(1 + for, 1 + against) posterior.")
    lower = models.FloatField(help_text="5% quantile of the posterior.")
    upper = models.FloatField(help_text="95% quantile of the posterior.")
    updated_at = models.DateTimeField()

    objects = TrackRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__isnull=False, actor__isnull=True)
                | models.Q(source__isnull=True, actor__isnull=False),
                name="trackrecord_source_or_actor",
            ),
            models.CheckConstraint(
                condition=models.Q(for_count__gte=0, against_count__gte=0),
                name="trackrecord_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    lower__gte=0,
                    lower__lte=models.F("score"),
                    score__lte=models.F("upper"),
                    upper__lte=1,
                ),
                name="trackrecord_interval_holds_score",
            ),
        ]
        indexes = [models.Index(fields=["-score", "-lower"], name="trackrecord_ranking")]

    def __str__(self) -> str:
        who = f"source {self.source_id}" if self.source_id else f"actor {self.actor_id}"
        return f"track record of {who}"

    @property
    def enough(self) -> bool:
        return self.scored >= self.MIN_RECORD

    @property
    def for_text(self) -> str:
        return f"{round(self.for_count, 2):g}"

    @property
    def against_text(self) -> str:
        return f"{round(self.against_count, 2):g}"


# Verdicts set their claim's status and the track records of everyone who spoke to the claim.
# Signals rather than save()/delete(), so that queryset deletes and cascades are covered too.


@receiver(post_save, sender=Verdict)
@receiver(post_delete, sender=Verdict)
def _verdict_changed(sender, instance: Verdict, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from tracker import credibility

    status = credibility.apply_verdicts(claim_ids=[instance.claim_id])
    if Verdict.claim.is_cached(instance) and instance.claim_id in status:
        instance.claim.status = status[instance.claim_id]


@receiver(pre_save, sender=Attribution)
def _attribution_before(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    # An edit may move an attribution to another source or claim: the old ones need a refresh.
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._credibility_was = (
        Attribution.objects.filter(pk=instance.pk).values_list("source_id", "claim_id").first()
    )


@receiver(post_save, sender=Attribution)
@receiver(post_delete, sender=Attribution)
def _attribution_changed(sender, instance: Attribution, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from tracker import credibility

    sources, claims = {instance.source_id}, {instance.claim_id}
    was = getattr(instance, "_credibility_was", None)
    if was:
        sources.add(was[0])
        claims.add(was[1])
    credibility.attribution_changed(source_ids=sources, claim_ids=claims)
