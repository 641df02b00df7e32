"""Cached counts: the data version changes on every write; counts agree with a recount."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from articles.models import Outlet
from tests.conftest import BODY, span_of
from tracker.caching import data_version
from tracker.filtersets import AttributionFilterSet
from tracker.models import Actor, Attribution, Claim, Source
from tracker.views.facets import facet_counts

pytestmark = pytest.mark.django_db

URL = reverse("tracker:claim_list")


def listed(client, query: str = "") -> tuple[int, dict]:
    response = client.get(URL + query)
    assert response.status_code == 200
    facets = {f.name: {i.value: i.count for i in f.items} for f in response.context["facets"]}
    return response.context["total"], facets


def recount(query: QueryDict) -> tuple[int, dict]:
    filterset = AttributionFilterSet(query, queryset=Attribution.objects.all())
    assert filterset.is_valid()
    counts = facet_counts(filterset.qs)
    return filterset.claims().count(), counts


WRITES = {
    "create": lambda n: Attribution.objects.create(
        claim=n.claim, source=n.opposition_sources, article=n.article, stance="declined",
        **span_of(BODY, "The Russian Defence Ministry did not respond to questions."),
    ),
    "update": lambda n: Attribution.objects.filter(pk=n.denial.pk).update(stance="declined"),
    "save": lambda n: (setattr(n.no_response, "anonymity", "anonymous"), n.no_response.save()),
    "delete": lambda n: n.denial.delete(),
    "bulk_create": lambda n: Claim.objects.bulk_create([Claim(text="New", slug="new")]),
    "claim status": lambda n: Claim.objects.update(status="refuted"),
    "raw SQL": lambda n: connection.cursor().execute(
        "UPDATE tracker_attribution SET count = 7 WHERE id = %s", [n.anonymous_five.pk]
    ),
    "actor moved": lambda n: (setattr(n.government, "parent", None), n.government.save()),
    "source deleted": lambda n: (n.denial.delete(), n.spokesman.delete()),
    "outlet renamed": lambda n: Outlet.objects.update(name="Renamed"),
}  # fmt: skip


@pytest.mark.parametrize("write", WRITES)
def test_every_kind_of_write_changes_the_data_version(newsroom, write):
    before = data_version()
    WRITES[write](newsroom)
    assert data_version() not in (None, before)


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("query", ["", "?actor=russia", "?stance=responses"])
def test_cached_counts_agree_with_a_recount_after_each_kind_of_write(
    client, newsroom, write, query
):
    cache.clear()
    listed(client, query)  # fills the cache
    WRITES[write](newsroom)
    total, facets = listed(client, query)
    expected_total, counts = recount(QueryDict(query.lstrip("?")))
    assert total == expected_total
    assert facets["stance"] == {
        **counts["stance"],
        **({"responses": sum(counts["stance"].get(s, 0) for s in Attribution.RESPONSE_STANCES)}
           if any(counts["stance"].get(s) for s in Attribution.RESPONSE_STANCES) else {}),
    }  # fmt: skip
    assert facets["anonymity"] == {k: v for k, v in counts["anonymity"].items() if v}
    assert facets["status"] == {k: v for k, v in counts["status"].items() if v}


def test_without_the_version_row_nothing_is_cached(client, newsroom):
    from tracker.models import DataVersion

    DataVersion.objects.all().delete()
    assert data_version() is None
    listed(client)
    Actor.objects.create(name="X", slug="x")  # the trigger finds no row to change
    Source.objects.create(name="Y", slug="y", kind="person")
    Attribution.objects.filter(pk=newsroom.denial.pk).delete()
    total, facets = listed(client)
    assert facets["stance"].get("denies") is None
    assert total == Claim.objects.count()
