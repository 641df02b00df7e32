"""The schema is made once per process and served to concurrent clients without failing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from django.test import RequestFactory

from tracker.api.schema import SchemaView


def _fetch(_: int) -> tuple[int, dict]:
    request = RequestFactory().get("/api/schema/", {"format": "json"})
    response = SchemaView.as_view()(request)
    response.render()
    return response.status_code, json.loads(response.content)


def test_concurrent_clients_all_get_the_same_schema():
    SchemaView._schemas.clear()  # as a new worker process starts
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(_fetch, range(40)))
    assert {status for status, _ in results} == {200}
    first = results[0][1]
    assert all(schema == first for _, schema in results)
    assert "/api/claims/" in first["paths"]


def test_the_schema_is_generated_once(monkeypatch):
    SchemaView._schemas.clear()
    made = []
    original = SchemaView.generator_class.get_schema

    def counting(self, *args, **kwargs):
        made.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaView.generator_class, "get_schema", counting)
    for _ in range(3):
        assert _fetch(0)[0] == 200
    assert len(made) == 1
