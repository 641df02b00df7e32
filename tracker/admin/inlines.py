"""Inlines: attributions under claims and articles, verdicts and evidence under claims."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest

from tracker.admin.forms import (
    ArticleAttributionFormSet,
    AttributionForm,
    VerdictInlineForm,
)
from tracker.admin.helpers import PreloadedAutocompleteInline
from tracker.models import (
    Attribution,
    ClaimLink,
    Evidence,
    Verdict,
)


class AttributionInline(PreloadedAutocompleteInline, admin.StackedInline):
    model = Attribution
    form = AttributionForm
    extra = 0
    show_change_link = True
    autocomplete_fields = ("claim", "source", "article")
    fieldsets = (
        (None, {"fields": (("claim", "source", "article"), ("stance", "anonymity", "count"))}),
        (None, {"fields": (("said_on", "said_on_precision"),)}),
        (None, {"fields": ("wording", ("quote", "passage"), "context")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        # With the article's text: each row shows its passage in its sentence.
        return super().get_queryset(request).select_related("claim", "source", "article")


class ClaimAttributionInline(AttributionInline):
    fk_name = "claim"
    fieldsets = (
        (None, {"fields": (("source", "article"), ("stance", "anonymity", "count"))}),
        (None, {"fields": (("said_on", "said_on_precision"),)}),
        (None, {"fields": ("wording", ("quote", "passage"), "context")}),
    )


class ArticleAttributionInline(AttributionInline):
    fk_name = "article"
    formset = ArticleAttributionFormSet
    fieldsets = (
        (None, {"fields": (("claim", "source"), ("stance", "anonymity", "count"))}),
        (None, {"fields": (("said_on", "said_on_precision"),)}),
        (None, {"fields": ("wording", ("quote", "passage"), "context")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        # The article's own body is loaded once by the change form and handed to every row by
        # the formset; the rows need not repeat it.
        return super().get_queryset(request).select_related(None).select_related("claim", "source")


class ClaimLinkInline(admin.TabularInline):
    """The claims this one contradicts, supports or repeats (links to it show on the other's)."""

    model = ClaimLink
    fk_name = "claim"
    extra = 0
    autocomplete_fields = ("other",)
    fields = ("relation", "other")
    verbose_name = "link to another claim"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimLink]:
        return super().get_queryset(request).select_related("other")


class VerdictInline(admin.StackedInline):
    model = Verdict
    form = VerdictInlineForm
    extra = 0
    show_change_link = True
    fields = (("rating", "rated_at"), "explanation", "articles", "attributions", "links", "rater")
    readonly_fields = ("rater",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Verdict]:
        evidence = Evidence.objects.select_related(
            "article", "attribution__source", "attribution__claim"
        ).defer("article__body")
        return (
            super()
            .get_queryset(request)
            .select_related("rated_by")
            .prefetch_related(Prefetch("evidence", queryset=evidence))
        )

    @admin.display(description="rated by")
    def rater(self, verdict: Verdict) -> str:
        return verdict.rated_by_name if verdict.pk else "you, once saved"


class EvidenceInline(PreloadedAutocompleteInline, admin.TabularInline):
    model = Evidence
    extra = 1
    autocomplete_fields = ("article", "attribution")
    fields = ("article", "attribution", "url", "title")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return (
            super()
            .get_queryset(request)
            .select_related("article", "attribution__source", "attribution__claim")
            .defer("article__body")
        )
