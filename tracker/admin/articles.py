"""Outlets and articles in the admin; an article's attributions are edited under it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path

from articles.models import Article, Outlet
from articles.text import body_changing
from tracker.admin import workspace
from tracker.admin.forms import ArticleForm
from tracker.admin.helpers import CappedCountPaginator
from tracker.admin.history import HistoryAdmin
from tracker.admin.inlines import ArticleAttributionInline

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ArticleCount(TypedDict):
    """What OutletAdmin.get_queryset() annotates each row with."""

    n_articles: int


@admin.register(Outlet)
class OutletAdmin(HistoryAdmin):
    list_display = ("name", "slug", "url", "article_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request: HttpRequest) -> QuerySet[Outlet]:
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, outlet: WithAnnotations[Outlet, _ArticleCount]) -> int:
        return outlet.n_articles


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    form = ArticleForm
    inlines = (ArticleAttributionInline,)
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
            {
                "fields": ("source_file", "created_by", "created_at", "updated_at"),
                "classes": ("collapse",),
            },
        ),
    )

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        if change:
            # Every attribution follows its passage into a new text (ArticleForm checked that
            # each one can), and so do stored suggestions; an unchanged text moves nothing.
            body_changing.send(sender=Article, article=obj, body=obj.body)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[URLPattern]:
        # The article's workspace: its suggested attributions, decided one by one.
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/workspace/", view(workspace.workspace), name="articles_article_workspace"
            ),
            path(
                "<int:pk>/workspace/suggest/",
                view(workspace.run_extractor),
                name="articles_article_suggest",
            ),
            path(
                "<int:pk>/workspace/<int:suggestion_pk>/",
                view(workspace.decide),
                name="articles_article_decide",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        qs = super().get_queryset(request)
        # The changelist never shows the body; don't read megabytes of text to list titles.
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("changelist"):
            qs = qs.defer("body")
        return qs
