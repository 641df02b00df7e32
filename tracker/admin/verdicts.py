"""Verdicts and the track records they make, in the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from tracker.admin.forms import VerdictTimeForm
from tracker.admin.helpers import CappedCountPaginator, count_of
from tracker.admin.history import HistoryAdmin
from tracker.admin.inlines import EvidenceInline
from tracker.models import (
    Evidence,
    TrackRecord,
    Verdict,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _EvidenceCount(TypedDict):
    """What VerdictAdmin.get_queryset() annotates each row with."""

    n_evidence: int


@admin.register(Verdict)
class VerdictAdmin(HistoryAdmin):
    form = VerdictTimeForm
    list_display = ("claim_text", "rating", "rater", "rated_at", "evidence_count")
    list_filter = ("rating", "rated_at")
    list_select_related = ("claim", "rated_by")
    search_fields = ("claim__text", "explanation")
    autocomplete_fields = ("claim",)
    date_hierarchy = "rated_at"
    inlines = (EvidenceInline,)
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ("claim", ("rating", "rated_at"), "explanation", "rater")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Verdict]:
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "rated_by")
            .annotate(n_evidence=count_of(Evidence.objects, "verdict"))
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Verdict | None = None):
        # Moving a verdict to another claim would leave the first claim's status behind.
        fixed = ("claim", "rater") if obj is not None else ("rater",)
        return (*fixed, *super().get_readonly_fields(request, obj))

    def save_model(self, request: HttpRequest, obj: Verdict, form, change: bool) -> None:
        if not change:
            assert request.user.is_authenticated  # the admin signs in every user it serves
            obj.rated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, verdict: Verdict) -> str:
        return Truncator(verdict.claim.text).chars(90)

    @admin.display(description="rated by", ordering="rated_by__username")
    def rater(self, verdict: Verdict) -> str:
        return verdict.rated_by_name if verdict.pk else "you, once saved"

    @admin.display(description="evidence", ordering="n_evidence")
    def evidence_count(self, verdict: WithAnnotations[Verdict, _EvidenceCount]) -> int:
        return verdict.n_evidence


class RecordOfFilter(admin.SimpleListFilter):
    title = "record of"
    parameter_name = "of"

    def lookups(self, request, model_admin):
        return [("sources", "Sources"), ("actors", "Actors")]

    def queryset(self, request, queryset):
        if self.value() == "sources":
            return queryset.of_sources()
        if self.value() == "actors":
            return queryset.of_actors()
        return queryset


class EnoughRecordFilter(admin.SimpleListFilter):
    title = "record"
    parameter_name = "enough"

    def lookups(self, request, model_admin):
        return [("1", "Enough to score"), ("0", "Not enough")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.enough()
        if self.value() == "0":
            return queryset.filter(scored__lt=TrackRecord.MIN_RECORD)
        return queryset


@admin.register(TrackRecord)
class TrackRecordAdmin(admin.ModelAdmin):
    """Computed records, to look at: verdicts change them, `recompute_credibility` rebuilds them."""

    list_display = (
        "subject", "score_shown", "interval", "scored", "for_count", "against_count",
        "declined", "no_response", "updated_at",
    )  # fmt: skip
    list_filter = (RecordOfFilter, EnoughRecordFilter)
    list_select_related = ("source", "actor")
    search_fields = ("source__name", "actor__name")
    ordering = ("-score", "-lower")
    show_full_result_count = False
    paginator = CappedCountPaginator

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="source or actor")
    def subject(self, record: TrackRecord) -> str:
        return str(record.source or record.actor)

    @admin.display(description="score", ordering="score")
    def score_shown(self, record: TrackRecord) -> str:
        return f"{record.score:.2f}" if record.enough else "not enough record"

    @admin.display(description="90% interval")
    def interval(self, record: TrackRecord) -> str:
        return f"{record.lower:.2f}–{record.upper:.2f}"
