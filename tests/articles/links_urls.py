"""A URL configuration that mounts the pages elsewhere (test_links.py)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("tracker.urls"))]
