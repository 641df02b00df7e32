"""The benchmark's URLs, included by config/urls.py only when BENCH_VIEWS is set."""

from __future__ import annotations

from django.urls import path

from bench.views import bare_view

urlpatterns = [path("bench/bare", bare_view)]
