"""Actors (with their aliases) and sources in the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from tracker.admin.helpers import CappedCountPaginator, count_of
from tracker.admin.history import HistoryAdmin
from tracker.models import (
    Actor,
    ActorAlias,
    Attribution,
    Source,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _SourceCount(TypedDict):
    """What ActorAdmin.get_queryset() annotates each row with."""

    n_sources: int


class _AttributionCount(TypedDict):
    """What SourceAdmin.get_queryset() annotates each row with."""

    n_attributions: int


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
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
    def source_count(self, actor: WithAnnotations[Actor, _SourceCount]) -> int:
        return actor.n_sources


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ("name", "kind", "role", "actor", "tie", "attribution_count")
    list_filter = ("kind", "tie")
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
    def attribution_count(self, source: WithAnnotations[Source, _AttributionCount]) -> int:
        return source.n_attributions
