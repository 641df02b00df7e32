"""The benchmark app: installed only for development, CI and `make bench` (settings.BENCH_VIEWS)."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench"
    verbose_name = "Benchmark"
