"""The editors' desk: actors, sources, claims and their attributions, and the Responses page."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.validators import URLValidator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.admin import ArticleAdmin, CappedCountPaginator
from articles.models import Article
from tracker.models import (
    Actor,
    ActorAlias,
    Attribution,
    Claim,
    Evidence,
    Response,
    Source,
    Stance,
    TrackRecord,
    Verdict,
)
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


class KnownAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """KnownAutocompleteSelect for a multiple choice: labels from the rows the form was given."""

    known: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        label = self.choices.field.label_from_instance
        options = [
            self.create_option(name, key, label(self.known[key]), True, index)
            for index, key in enumerate(sorted(selected))
        ]
        return [(None, options, 0)]


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


class PreloadedAutocompleteInline:
    """An inline whose autocompletes label their selected rows from the rows already loaded."""

    formset = PreloadedRelationsFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = KnownAutocompleteSelect
        return field


class AttributionInline(PreloadedAutocompleteInline, admin.StackedInline):
    model = Attribution
    form = AttributionForm
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


# -- Verdicts ---------------------------------------------------------------------------------


def _evidence_widget(field: str) -> KnownAutocompleteSelectMultiple:
    # The autocomplete asks the admin about the evidence row's own relation: Evidence.<field>.
    return KnownAutocompleteSelectMultiple(Evidence._meta.get_field(field), admin.site)


class VerdictInlineForm(forms.ModelForm):
    """A verdict with its evidence in one form, so that a claim is rated on its own page."""

    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.defer("body"),
        required=False,
        widget=_evidence_widget("article"),
        label="Evidence: articles",
        help_text="Articles in the tracker that bear the claim out or refute it.",
    )
    attributions = forms.ModelMultipleChoiceField(
        queryset=Attribution.objects.all(),
        required=False,
        widget=_evidence_widget("attribution"),
        label="Evidence: attributions",
        help_text="Statements in the tracker the verdict rests on.",
    )
    links = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        label="Evidence: web pages",
        help_text="One per line: the address (http or https), then a space and a title if you "
        "like.",
    )

    class Meta:
        model = Verdict
        fields = ("rating", "rated_at", "explanation")
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        # The inline's queryset prefetched the evidence with its articles and attributions.
        evidence = list(self.instance.evidence.all())
        for name, field in (("articles", "article"), ("attributions", "attribution")):
            rows = [getattr(e, field) for e in evidence if getattr(e, f"{field}_id")]
            self.initial[name] = [row.pk for row in rows]
            if name in self.fields:
                self.fields[name].widget.known = {str(row.pk): row for row in rows}
        self.initial["links"] = "\n".join(f"{e.url} {e.title}".strip() for e in evidence if e.url)

    def clean_links(self) -> list[tuple[str, str]]:
        links: dict[str, str] = {}
        check = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            url, _, title = line.strip().partition(" ")
            if not url:
                continue
            try:
                check(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"Line {number}: {url!r} is not an http or https address."
                ) from None
            links[url] = title.strip()[:300]
        return list(links.items())

    def _save_m2m(self) -> None:
        super()._save_m2m()
        if not {"articles", "attributions", "links"} & set(self.changed_data):
            return
        wanted = {("article", a.pk): "" for a in self.cleaned_data.get("articles", [])}
        wanted |= {("attribution", a.pk): "" for a in self.cleaned_data.get("attributions", [])}
        wanted |= {("url", url): title for url, title in self.cleaned_data.get("links", [])}
        existing = {e.key: e for e in Evidence.objects.filter(verdict=self.instance)}
        stale = [e.pk for key, e in existing.items() if key not in wanted]
        Evidence.objects.filter(pk__in=stale).delete()
        for (kind, value), title in wanted.items():
            row = existing.get((kind, value))
            if row is None:
                fields = {"url": value, "title": title} if kind == "url" else {f"{kind}_id": value}
                Evidence.objects.create(verdict=self.instance, **fields)
            elif kind == "url" and row.title != title:
                row.title = title
                row.save(update_fields=["title"])


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
    inlines = (VerdictInline, ClaimAttributionInline)
    show_full_result_count = False
    paginator = CappedCountPaginator
    fields = ("text", "slug", "about", "status", "first_reported_on")
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
    def attribution_count(self, claim: Claim) -> int:
        return claim.n_attributions

    @admin.display(description="responses", ordering="n_responses")
    def responses(self, claim: Claim) -> int:
        return claim.n_responses


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
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
        return ("claim", "rater") if obj is not None else ("rater",)

    def save_model(self, request: HttpRequest, obj: Verdict, form, change: bool) -> None:
        if not change:
            obj.rated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="claim", ordering="claim__text")
    def claim_text(self, verdict: Verdict) -> str:
        return Truncator(verdict.claim.text).chars(90)

    @admin.display(description="rated by", ordering="rated_by__username")
    def rater(self, verdict: Verdict) -> str:
        return verdict.rated_by_name if verdict.pk else "you, once saved"

    @admin.display(description="evidence", ordering="n_evidence")
    def evidence_count(self, verdict: Verdict) -> int:
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
        # "Not an assertion" is the same set as .responses() (the stance check constraint allows
        # nothing else), but lets SQLite walk the newest-first key instead of sorting every
        # response to show a page of them.
        return super().get_queryset(request).exclude(stance=Stance.ASSERTS)


admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithAttributionsAdmin(ArticleAdmin):
    inlines = (ArticleAttributionInline,)
