"""Time each query of one request, cache emptied first. Usage: qtime.py PATH [PATH...]"""
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

c = Client(HTTP_HOST="127.0.0.1")
for path in sys.argv[1:]:
    for run in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            r = c.get(path)
            if getattr(r, "streaming", False):
                for _ in r.streaming_content: pass
            total = (time.perf_counter() - t) * 1000
        print(f"{path} run {run}: {r.status_code} {total:.0f} ms, {len(ctx.captured_queries)} queries")
        if run == 1:
            for q in ctx.captured_queries:
                print(f"   {float(q['time'])*1000:8.1f} ms  {q['sql'][:300]}")
