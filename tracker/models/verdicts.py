"""Verdicts on claims, the evidence behind them, and the track records they make."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.models import Article
from tracker.choices import Rating
from tracker.models.actors import Actor, Source
from tracker.models.claims import Attribution, Claim


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
    history = HistoricalRecords()

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
    # Protected: deleting what a verdict rests on is refused, naming the verdict, instead of
    # leaving the verdict standing on evidence that is gone.
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_as_evidence",
    )
    attribution = models.ForeignKey(
        Attribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cited_as_evidence",
    )
    url = models.URLField("URL", max_length=1000, blank=True)
    title = models.CharField(
        max_length=300, blank=True, help_text="What the page at the URL is, in a few words."
    )

    history = HistoricalRecords()

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
        if self.article is not None:
            return self.article.get_absolute_url()
        if self.attribution is not None:
            article_url = self.attribution.article.get_absolute_url()
            return f"{article_url}#attribution-{self.attribution_id}"
        return self.url

    @property
    def label(self) -> str:
        if self.article is not None:
            return self.article.title
        if self.attribution is not None:
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
