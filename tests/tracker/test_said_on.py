"""When a statement was made, to the day, the month or the year the article gives."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError

from tracker import partial_dates
from tracker.models import Attribution

pytestmark = pytest.mark.django_db

DECLINED = "wagner-group-is-fighting-in-libya"


@pytest.mark.parametrize(
    "text, stored, precision, shown",
    [
        ("2020-01-07", datetime.date(2020, 1, 7), "day", "7 January 2020"),
        ("2020-01", datetime.date(2020, 1, 1), "month", "January 2020"),
        ("2020", datetime.date(2020, 1, 1), "year", "2020"),
    ],
)
def test_partial_dates_read_and_show(text, stored, precision, shown):
    assert partial_dates.parse(text) == (stored, precision)
    assert partial_dates.shown(stored, precision) == shown
    assert partial_dates.iso(stored, precision) == text


@pytest.mark.parametrize("text", ["January 2020", "2020-13", "2020-02-30", "20"])
def test_a_date_that_is_none_is_refused_in_words(text):
    with pytest.raises(ValueError, match="is not a date"):
        partial_dates.parse(text)


def test_putin_declined_in_january_2020(client, seeded):
    declined = Attribution.objects.get(claim__slug=DECLINED)
    assert (declined.said_on, declined.said_on_precision) == (datetime.date(2020, 1, 1), "month")
    html = client.get(declined.claim.get_absolute_url()).content.decode()
    assert 'Said in <time datetime="2020-01">January 2020</time>' in html
    api = client.get(f"/api/claims/{declined.claim_id}/").json()
    assert [a["said_on"] for a in api["attributions"]] == ["2020-01"]


def test_exports_carry_the_date_as_far_as_known(client, seeded):
    response = client.get("/claims/?actor=vladimir-putin&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode().lstrip("\ufeff"))))
    assert {row["said_on"] for row in rows} == {"2020-01"}
    everyone = json.loads(client.get("/claims/?format=json").getvalue())
    assert {row["said_on"] for row in everyone} == {None, "2020-01"}


def test_a_precision_without_a_date_is_refused(newsroom):
    attribution = newsroom.denial
    attribution.said_on_precision = "month"
    with pytest.raises(ValidationError) as error:
        attribution.full_clean()
    assert "said_on" in error.value.message_dict


def test_a_date_alone_is_known_to_the_day_and_a_month_starts_on_its_first(newsroom):
    attribution = newsroom.denial
    attribution.said_on = datetime.date(2020, 1, 17)
    attribution.full_clean()
    assert attribution.said_on_precision == "day"
    attribution.said_on_precision = "month"
    attribution.full_clean()
    assert attribution.said_on == datetime.date(2020, 1, 1)
