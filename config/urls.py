"""Root URLs: the admin, the health check, and (as they are built) the public pages and the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tracker.views import health

admin.site.site_header = "Attribution tracker"
admin.site.site_title = "Attribution tracker"
admin.site.index_title = "Editors' desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
]

# An unexpected failure under /api/ answers in the API's error shape, not with the HTML page.
handler500 = "tracker.views.errors.server_error"

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("", include("bench.urls")))
