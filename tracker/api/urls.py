"""The JSON API under /api/: the endpoints, the OpenAPI schema and its offline docs."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tracker.api import views as api
from tracker.api.errors import not_found
from tracker.api.schema import SchemaView
from tracker.api.suggestions import SuggestionViewSet

app_name = "api"

router = DefaultRouter(trailing_slash=True, use_regex_path=True)
router.include_format_suffixes = False
router.register("claims", api.ClaimViewSet, basename="claim")
router.register("attributions", api.AttributionViewSet, basename="attribution")
router.register("sources", api.SourceViewSet, basename="source")
router.register("actors", api.ActorViewSet, basename="actor")
router.register("articles", api.ArticleViewSet, basename="article")
router.register("outlets", api.OutletViewSet, basename="outlet")
router.register("verdicts", api.VerdictViewSet, basename="verdict")
router.register("track-records", api.TrackRecordViewSet, basename="track-record")
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Anything else under /api/ (ending in a slash, so APPEND_SLASH still redirects the rest)
    # is a 404 in the API's error shape.
    re_path(r"^[\s\S]*/$", not_found),
]
