"""Claims, attributions and responses in the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator

from tracker.admin.forms import AttributionForm
from tracker.admin.helpers import CappedCountPaginator, count_of
from tracker.admin.history import HistoryAdmin
from tracker.admin.inlines import ClaimAttributionInline, ClaimLinkInline, VerdictInline
from tracker.choices import RESPONSES, RESPONSES_GROUP, RESPONSES_LABEL
from tracker.dates import earliest_article_date
from tracker.models import (
    Actor,
    Attribution,
    Claim,
    Response,
    Stance,
    Verdict,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ClaimCounts(TypedDict):
    """What ClaimAdmin.get_queryset() annotates each row with."""

    n_attributions: int
    n_responses: int


# -- Filters ----------------------------------------------------------------------------------


class StanceFilter(admin.SimpleListFilter):
    """Claims with at least one attribution of a stance ("responses": any of the three)."""

    title = "stance"
    parameter_name = "stance"

    def lookups(self, request, model_admin):
        return [(RESPONSES_GROUP, RESPONSES_LABEL), *Stance.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == RESPONSES_GROUP:
            return queryset.responses()
        if value in Stance.values:
            return queryset.filter(attributions__stance=value).distinct()
        return queryset


class ResponseStanceFilter(admin.SimpleListFilter):
    title = "response"
    parameter_name = "stance"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in Stance.choices if value in RESPONSES]

    def queryset(self, request, queryset):
        return queryset.filter(stance=self.value()) if self.value() in RESPONSES else queryset


class ClaimForm(forms.ModelForm):
    """The first-reported date follows the claim's earliest article unless the box is ticked."""

    class Meta:
        model = Claim
        fields = ("text", "slug", "about", "first_reported_on", "first_reported_by_editor")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest_article_date(self.instance.pk)
        field = self.fields.get("first_reported_on")
        if field is None:
            return
        field.required = False
        if self.instance.pk is None:
            # Not today's date: a new claim is first reported by the article it is attached to.
            self.initial["first_reported_on"] = None
        follows = (
            f"its earliest article, of {self.earliest:%Y-%m-%d}"
            if self.earliest
            else "the first article it is attached to"
        )
        field.help_text = f"Follows {follows}. To set another date, give it and tick the box below."

    def clean(self) -> dict[str, Any]:
        super().clean()  # a ModelForm's clean() returns its cleaned_data
        cleaned = self.cleaned_data
        by_editor = cleaned.get("first_reported_by_editor")
        given = cleaned.get("first_reported_on")
        if by_editor and given is None:
            self.add_error("first_reported_on", "Give the date you set, or untick the box below.")
        elif not by_editor and given is not None and "first_reported_on" in self.changed_data:
            follows = f" ({self.earliest:%Y-%m-%d})" if self.earliest else ""
            self.add_error(
                "first_reported_on",
                "You changed the date but left “first-reported date set by an editor” "
                "unticked: tick it to keep this date, or leave the date as it was to follow "
                f"the earliest article{follows}.",
            )
        elif not by_editor:
            # Followed: the earliest article's date, else what the claim had (a new claim: the
            # day it is entered, until the first article carrying it is saved).
            cleaned["first_reported_on"] = self.earliest or self.instance.first_reported_on or given
        return cleaned


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
    list_display = ("short_text", "status", "first_reported_on", "attribution_count", "responses")
    list_filter = ("status", StanceFilter, "first_reported_on")
    search_fields = ("text", "slug")
    autocomplete_fields = ("about",)
    prepopulated_fields = {"slug": ("text",)}
    inlines = (VerdictInline, ClaimLinkInline, ClaimAttributionInline)
    show_full_result_count = False
    paginator = CappedCountPaginator
    form = ClaimForm
    fields = (
        "text", "slug", "about", "status", "first_reported_on", "first_reported_by_editor",
    )  # fmt: skip
    # The latest verdict sets the status (and the track records follow): rate the claim below.
    readonly_fields = ("status",)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is Verdict:
            for verdict_form in formset.forms:
                if verdict_form.instance.pk is None and verdict_form.has_changed():
                    verdict_form.instance.rated_by = request.user
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_attributions=count_of(Attribution.objects, "claim"),
                n_responses=count_of(Attribution.objects.responses(), "claim"),
            )
        )

    @admin.display(description="claim", ordering="text")
    def short_text(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(120)

    @admin.display(description="attributions", ordering="n_attributions")
    def attribution_count(self, claim: WithAnnotations[Claim, _ClaimCounts]) -> int:
        return claim.n_attributions

    @admin.display(description="responses", ordering="n_responses")
    def responses(self, claim: WithAnnotations[Claim, _ClaimCounts]) -> int:
        return claim.n_responses


class AttributionListMixin(HistoryAdmin):
    """Shared by the attribution and response changelists: one joined query per page."""

    list_display = (
        "claim_text",
        "source",
        "actor",
        "stance",
        "wording",
        "count",
        "anonymity",
        "article",
        "published_on",
    )
    list_display_links = ("claim_text",)
    list_per_page = 50  # nine joined columns a row: rendering, not the database, is the cost
    # Newest first by key: an index walk however many rows there are.
    ordering = ("-id",)
    list_select_related = ("claim", "source", "source__actor", "article")
    search_fields = ("claim__text", "source__name", "wording", "quote")
    autocomplete_fields = ("claim", "source", "article")
    # No date_hierarchy: its DISTINCT over the dates of millions of rows took seconds.
    show_full_result_count = False
    paginator = CappedCountPaginator
    form = AttributionForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        return super().get_queryset(request).defer("article__body")

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, attribution: Attribution) -> str:
        return Truncator(attribution.claim.text).chars(90)

    @admin.display(description="actor", ordering="source__actor__name")
    def actor(self, attribution: Attribution) -> Actor | str:
        return attribution.source.actor or "–"

    @admin.display(description="date", ordering="article__published_on")
    def published_on(self, attribution: Attribution):
        return attribution.article.published_on


@admin.register(Attribution)
class AttributionAdmin(AttributionListMixin, HistoryAdmin):
    list_filter = ("stance", "anonymity")


@admin.register(Response)
class ResponseAdmin(AttributionListMixin, HistoryAdmin):
    """The design card's "denials": what sources did when asked, other than assert."""

    list_filter = (ResponseStanceFilter, "anonymity")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        # "Not an assertion" is the same set as .responses() (the stance check constraint allows
        # nothing else), but lets SQLite walk the newest-first key instead of sorting every
        # response to show a page of them.
        responses = super().get_queryset(request).exclude(stance=Stance.ASSERTS)
        return cast("QuerySet[Response]", responses)  # self.model is Response: so are the rows
