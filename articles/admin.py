"""Admin for outlets and articles (the tracker app adds the articles' attributions inline)."""

from __future__ import annotations

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

from articles.models import Article, Outlet


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows: a changelist over millions never runs a full COUNT.

    Past the cap the count stops, the page links end there (a search or filter narrows it
    down) and the changelist says "more than" (templates/admin/pagination.html).
    """

    cap = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        # Only the rows' keys are counted: no ordering, no per-row annotations.
        counted = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "url", "article_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, outlet: Outlet) -> int:
        return outlet.n_articles


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "outlet", "published_on", "language", "source_file")
    # No language filter: its SELECT DISTINCT reads every article (language is searchable).
    list_filter = ("published_on", "outlet")
    list_select_related = ("outlet",)
    search_fields = ("title", "slug", "byline", "url", "source_file", "=language")
    autocomplete_fields = ("outlet",)
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("source_file", "created_at", "updated_at")
    show_full_result_count = False
    paginator = CappedCountPaginator
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "outlet", "published_on", "byline", "url", "language")},
        ),
        ("Text", {"fields": ("body",)}),
        (
            "Record",
            {"fields": ("source_file", "created_at", "updated_at"), "classes": ("collapse",)},
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        qs = super().get_queryset(request)
        # The changelist never shows the body; don't read megabytes of text to list titles.
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.defer("body")
        return qs
