"""An unspecified number more than one ("some experts"): no count, said as such everywhere."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import IntegrityError, transaction

from tracker.models import Attribution, Claim

pytestmark = pytest.mark.django_db


def test_the_seeds_experts_are_an_unspecified_number(seeded):
    experts = Attribution.objects.get(source__slug="some-experts")
    assert experts.count is None
    assert experts.count_text == "several people"


def test_the_claim_page_says_at_least_how_many(client, seeded):
    experts = Attribution.objects.get(source__slug="some-experts")
    html = client.get(experts.claim.get_absolute_url()).content.decode()
    assert "several people" in html
    # "some experts" are two people at least.
    assert "at least 2 people (1 attribution to an unspecified number)" in html


def test_exports_and_the_api_leave_it_empty(client, seeded):
    claim = Attribution.objects.get(source__slug="some-experts").claim
    response = client.get("/claims/?q=Mediterranean&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode().lstrip("\ufeff"))))
    assert [row["count"] for row in rows] == [""]
    rows = json.loads(client.get("/claims/?q=Mediterranean&format=json").getvalue())
    assert [row["count"] for row in rows] == [None]
    data = client.get(f"/api/claims/{claim.pk}/").json()
    assert [a["count"] for a in data["attributions"]] == [None]


def test_a_count_below_one_is_still_refused(seeded):
    experts = Attribution.objects.get(source__slug="some-experts")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.filter(pk=experts.pk).update(count=0)


def test_the_seed_names_a_wrong_spelling(tmp_path, db):
    import shutil

    from tests.conftest import SEEDS
    from tracker.seeding import SeedErrors, load_seed_folder

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    toml = folder / "000_4aef31c3c322cd7d.toml"
    toml.write_text(toml.read_text().replace('count = "several"', 'count = "some"'))
    with pytest.raises(SeedErrors) as error:
        load_seed_folder(folder)
    assert "count: 'some' is not a number; write 'several'" in str(error.value)
    assert not Claim.objects.exists()


def test_the_api_writer_takes_a_null_count(newsroom, editor):
    from django.test import Client

    from tests.tracker.api.test_api_write import URL, article
    from tracker.api.auth import create_token

    client = Client(headers={"authorization": f"Token {create_token(editor)[1]}"})
    data = article(newsroom)
    data["attributions"][0]["count"] = None
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 201, response.content[:800]
    written = Attribution.objects.get(claim__text="The fighters were paid in dollars.")
    assert written.count is None
