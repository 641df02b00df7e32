"""Root URLs: the admin, the health check, and (as they are built) the public pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tracker import views

admin.site.site_header = "Attribution tracker"
admin.site.site_title = "Attribution tracker"
admin.site.index_title = "Editors' desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("tracker.urls_api")),
    path("", include("tracker.urls_public")),
]

if settings.BENCH_VIEWS:
    from tracker.benchmark import bare_view

    urlpatterns.insert(0, path("bench/bare", bare_view))
