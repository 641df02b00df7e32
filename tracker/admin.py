"""The editors' desk: actors, sources, claims and their attributions, and the Responses page."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.admin import ArticleAdmin, CappedCountPaginator
from articles.models import Article
from tracker.models import Actor, ActorAlias, Attribution, Claim, Response, Source, Stance
from tracker.querysets import RESPONSES


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """A correlated COUNT for the displayed rows only (a page), not a GROUP BY of the table."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# -- Attribution forms ------------------------------------------------------------------------


class KnownAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected option from the row already loaded.

    The stock widget runs one query per widget to label the selected value: in an inline of
    fifty attributions that is a hundred queries. The formset below hands each widget the
    related object its row was loaded with (select_related), so a change form costs the same
    number of queries however many attributions it shows.
    """

    known: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(self.known[key])
            options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, KnownAutocompleteSelect) or instance.pk is None:
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_cached(instance):
                related = model_field.get_cached_value(instance)
                if related is not None:
                    widget.known = {str(related.pk): related}
        return form


class AttributionForm(forms.ModelForm):
    passage = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text="Paste the sentence from the article body: the span is found for you. "
        "Or give the span's start and end.",
    )

    class Meta:
        model = Attribution
        fields = (
            "claim",
            "source",
            "article",
            "stance",
            "wording",
            "count",
            "anonymity",
            "quote",
            "passage",
            "span_start",
            "span_end",
        )
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "wording": forms.TextInput(attrs={"size": 30}),
            "count": forms.NumberInput(attrs={"style": "width: 5em"}),
            "span_start": forms.NumberInput(attrs={"style": "width: 6em"}),
            "span_end": forms.NumberInput(attrs={"style": "width: 6em"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("span_start", "span_end"):
            if name in self.fields:
                self.fields[name].required = False

    def _article(self) -> Article | None:
        article = self.cleaned_data.get("article")
        if article is None and self.instance.article_id:
            article = self.instance.article
        return article

    def clean(self) -> dict:
        cleaned = super().clean()
        passage = (cleaned.get("passage") or "").strip()
        article = self._article()
        if passage and article is not None:
            hits = [m.start() for m in re.finditer(re.escape(passage), article.body)]
            if not hits:
                self.add_error("passage", "This passage is not in the article's body.")
            elif len(hits) > 1:
                self.add_error(
                    "passage",
                    f"This passage occurs {len(hits)} times in the article; paste a longer one.",
                )
            else:
                cleaned["span_start"], cleaned["span_end"] = hits[0], hits[0] + len(passage)
        elif cleaned.get("span_start") is None or cleaned.get("span_end") is None:
            self.add_error("passage", "Give the passage (or the span's start and end).")
        return cleaned

    def _post_clean(self) -> None:
        # The span found from the passage goes into the instance before the model checks it.
        for name in ("span_start", "span_end"):
            if self.cleaned_data.get(name) is not None:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


class AttributionInline(admin.StackedInline):
    model = Attribution
    form = AttributionForm
    formset = PreloadedRelationsFormSet
    extra = 0
    show_change_link = True
    autocomplete_fields = ("claim", "source", "article")
    fieldsets = (
        (None, {"fields": (("claim", "source", "article"), ("stance", "anonymity", "count"))}),
        (None, {"fields": ("wording", ("quote", "passage"), ("span_start", "span_end"))}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "source", "article")
            .defer("article__body")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = KnownAutocompleteSelect
        return field


class ClaimAttributionInline(AttributionInline):
    fk_name = "claim"
    fieldsets = (
        (None, {"fields": (("source", "article"), ("stance", "anonymity", "count"))}),
        (None, {"fields": ("wording", ("quote", "passage"), ("span_start", "span_end"))}),
    )


class ArticleAttributionInline(AttributionInline):
    fk_name = "article"
    fieldsets = (
        (None, {"fields": (("claim", "source"), ("stance", "anonymity", "count"))}),
        (None, {"fields": ("wording", ("quote", "passage"), ("span_start", "span_end"))}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        # The article's own body is loaded once by the change form; the rows need not repeat it.
        return super().get_queryset(request).select_related(None).select_related("claim", "source")


# -- Filters ----------------------------------------------------------------------------------


class StanceFilter(admin.SimpleListFilter):
    """Claims with at least one attribution of a stance ("responses": any of the three)."""

    title = "stance"
    parameter_name = "stance"

    def lookups(self, request, model_admin):
        return [("responses", "Any response"), *Stance.choices]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "responses":
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


# -- Model admins -----------------------------------------------------------------------------


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "country", "wikidata", "source_count")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "aliases__name", "wikidata_id", "country")
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ActorAliasInline,)
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ("name", "slug", "kind", "parent", "country", "wikidata_id", "description")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Actor]:
        return super().get_queryset(request).annotate(n_sources=count_of(Source.objects, "actor"))

    @admin.display(description="Wikidata", ordering="wikidata_id")
    def wikidata(self, actor: Actor) -> str:
        if not actor.wikidata_id:
            return "–"
        return format_html(
            '<a href="https://www.wikidata.org/wiki/{}" rel="noopener">{}</a>',
            actor.wikidata_id,
            actor.wikidata_id,
        )

    @admin.display(description="sources", ordering="n_sources")
    def source_count(self, actor: Actor) -> int:
        return actor.n_sources


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "role", "actor", "attribution_count")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("name", "slug", "role", "actor__name")
    autocomplete_fields = ("actor",)
    prepopulated_fields = {"slug": ("name",)}
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_attributions=count_of(Attribution.objects, "source"))
        )

    @admin.display(description="attributions", ordering="n_attributions")
    def attribution_count(self, source: Source) -> int:
        return source.n_attributions


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("short_text", "status", "first_reported_on", "attribution_count", "responses")
    list_filter = ("status", StanceFilter, "first_reported_on")
    search_fields = ("text", "slug")
    autocomplete_fields = ("about",)
    prepopulated_fields = {"slug": ("text",)}
    inlines = (ClaimAttributionInline,)
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ("text", "slug", "about", "status", "first_reported_on")

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
    def attribution_count(self, claim: Claim) -> int:
        return claim.n_attributions

    @admin.display(description="responses", ordering="n_responses")
    def responses(self, claim: Claim) -> int:
        return claim.n_responses


class AttributionListMixin:
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
    list_select_related = ("claim", "source", "source__actor", "article")
    search_fields = ("claim__text", "source__name", "wording", "quote")
    autocomplete_fields = ("claim", "source", "article")
    date_hierarchy = "article__published_on"
    show_full_result_count = False
    paginator = CappedCountPaginator
    form = AttributionForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attribution]:
        return super().get_queryset(request).defer("article__body")

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, attribution: Attribution) -> str:
        return Truncator(attribution.claim.text).chars(90)

    @admin.display(description="actor", ordering="source__actor__name")
    def actor(self, attribution: Attribution) -> str:
        return attribution.source.actor or "–"

    @admin.display(description="date", ordering="article__published_on")
    def published_on(self, attribution: Attribution):
        return attribution.article.published_on


@admin.register(Attribution)
class AttributionAdmin(AttributionListMixin, admin.ModelAdmin):
    list_filter = ("stance", "anonymity")


@admin.register(Response)
class ResponseAdmin(AttributionListMixin, admin.ModelAdmin):
    """The design card's "denials": what sources did when asked, other than assert."""

    list_filter = (ResponseStanceFilter, "anonymity")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        return super().get_queryset(request).responses()


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithAttributionsAdmin(ArticleAdmin):
    inlines = (ArticleAttributionInline,)
