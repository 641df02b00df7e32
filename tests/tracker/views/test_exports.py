"""format=csv / format=json: the whole filtered set, one row per attribution, streamed."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import count_queries, grow
from tracker.models import Attribution
from tracker.views.exports import EXPORT_FIELDS, FORMULA_STARTS, csv_cell, export_rows, neutralise

pytestmark = pytest.mark.django_db

URL = reverse("tracker:claim_list")
MATRIX = reverse("tracker:claim_matrix")


def body(response) -> str:
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue().decode("utf-8")  # every chunk of the stream, joined


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))


def test_csv_has_one_row_per_matching_attribution(client, seeded):
    rows = csv_rows(client.get(URL + "?actor=russia&stance=responses&format=csv"))
    state = Attribution.objects.get(source__slug="russian-state").source.actor
    assert state is not None and state.parent is not None
    expected = Attribution.objects.by_actor(state.parent).responses()
    assert len(rows) == expected.count() == 5
    assert {(r["source"], r["stance"]) for r in rows} == {
        ("Russian Defence Ministry", "no_response"),
        ("Russian state", "denies"),
        ("Vladimir Putin", "denies"),
        ("Vladimir Putin", "declined"),
    }
    assert list(rows[0]) == list(EXPORT_FIELDS)


def test_csv_rows_carry_wording_count_anonymity_actor_article_and_passage(client, seeded):
    rows = csv_rows(client.get(URL + "?anonymity=anonymous&format=csv"))
    five = next(r for r in rows if r["wording"] == "five Syrian opposition sources")
    assert five["count"] == "5"
    assert five["anonymity"] == "anonymous"
    assert five["actor"] == "Syrian opposition"
    assert five["outlet"] == "Reuters"
    assert five["published_on"] == "2020-06-07"
    assert five["passage"].startswith("A Russian drive to recruit Syrians")
    attribution = Attribution.objects.get(wording="five Syrian opposition sources")
    assert five["attribution_id"] == str(attribution.pk)
    assert five["article_url"] == (
        f"http://testserver/articles/{attribution.article_id}/#attribution-{attribution.pk}"
    )
    assert five["claim_url"] == f"http://testserver/claims/{attribution.claim_id}/"
    assert (five["actor_root"], five["actor_path"]) == ("Syrian opposition", "Syrian opposition")


def test_an_actor_comes_with_its_root_and_its_path(client, newsroom):
    rows = {r["wording"]: r for r in csv_rows(client.get(URL + "?format=csv"))}
    ministry = rows["The Russian Defence Ministry"]
    assert ministry["actor"] == "Russian Defence Ministry"
    assert ministry["actor_root"] == "Russia"
    assert ministry["actor_path"] == "Russia > Russian government > Russian Defence Ministry"
    assert rows["A spokesman"]["actor_path"] == "Russia > Russian government"
    newsroom.ministry_source.actor = None
    newsroom.ministry_source.save()
    rows = {r["wording"]: r for r in csv_rows(client.get(URL + "?format=csv"))}
    no_actor = rows["The Russian Defence Ministry"]
    assert (no_actor["actor"], no_actor["actor_root"], no_actor["actor_path"]) == ("", "", "")
    listed = {r["wording"]: r for r in json.loads(body(client.get(URL + "?format=json")))}
    assert listed["A spokesman"]["actor_root"] == "Russia"
    assert listed["The Russian Defence Ministry"]["actor_path"] == ""


def test_every_export_speaks_of_stances_alike(client, newsroom):
    """The value (no_response) and one label column, in the list's CSV and JSON, the matrix and
    the API."""
    csv_stances = {
        (r["stance"], r["stance_label"]) for r in csv_rows(client.get(URL + "?format=csv"))
    }
    assert csv_stances == {
        ("asserts", "Asserts"), ("denies", "Denies"), ("no_response", "Did not respond"),
    }  # fmt: skip
    rows = json.loads(body(client.get(URL + "?format=json")))
    assert {(r["stance"], r["stance_label"]) for r in rows} == csv_stances
    api = client.get("/api/attributions/").json()["results"]
    assert {(r["stance"], r["stance_label"]) for r in api} == csv_stances
    matrix = list(
        csv.reader(io.StringIO(body(client.get(MATRIX + "?format=csv")).lstrip("\ufeff")))
    )
    cells = {cell for row in matrix[1:] for cell in row[3:] if cell}
    assert cells == {"asserts", "denies", "no_response"}


def test_json_export_matches_the_csv(client, seeded):
    rows = json.loads(body(client.get(URL + "?stance=denies&format=json")))
    csv_version = csv_rows(client.get(URL + "?stance=denies&format=csv"))
    assert [r["claim"] for r in rows] == [r["claim"] for r in csv_version]
    assert {r["stance"] for r in rows} == {"denies"}
    assert len(rows) == 3


def test_the_export_rows_match_the_list(client, seeded):
    query = "?actor=wagner-group"
    listed = {row.claim.pk for row in client.get(URL + query).context["claims"]}
    exported = {int(r["claim_id"]) for r in csv_rows(client.get(URL + query + "&format=csv"))}
    assert listed == exported


def test_the_export_is_the_whole_set_not_a_page(client, newsroom):
    grow(newsroom, 40)
    rows = csv_rows(client.get(URL + "?format=csv"))
    assert len(rows) == Attribution.objects.count() > 100


def test_the_export_keeps_the_recorded_order_whatever_join_the_database_picks(client, newsroom):
    grow(newsroom, 8)
    if connection.vendor == "postgresql":
        # Merge joins only, as PostgreSQL chose at a million claims: a join of the actors'
        # chains then sorted every row by actor. (SET LOCAL: until the test's rollback.)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_nestloop = off")
    rows = csv_rows(client.get(URL + "?format=csv"))
    ids = [int(row["attribution_id"]) for row in rows]
    assert ids == sorted(Attribution.objects.values_list("pk", flat=True))
    by_id = {row["attribution_id"]: row for row in rows}
    spokesman = by_id[str(newsroom.denial.pk)]
    assert (spokesman["actor_root"], spokesman["actor_path"]) == (
        "Russia",
        "Russia > Russian government",
    )


def test_an_empty_export_is_a_header_or_an_empty_list(client, newsroom):
    assert csv_rows(client.get(URL + "?status=refuted&format=csv")) == []
    assert json.loads(body(client.get(URL + "?status=refuted&format=json"))) == []


def test_the_export_runs_one_query_whatever_the_size(client, newsroom):
    # One SELECT of the joined rows (read in chunks), the actors' names and paths (their root
    # and path columns), and the actor's sub-tree when filtered by an actor.
    grow(newsroom, 3)
    small, _ = count_queries(lambda: body(client.get(URL + "?format=csv&actor=russia")))
    grow(newsroom, 50)
    large, sql = count_queries(lambda: body(client.get(URL + "?format=csv&actor=russia")))
    # (PostgreSQL's COPY runs on the driver's cursor, out of sight of Django's query log.)
    expected = 2 if connection.vendor == "postgresql" else 3
    assert small == large == expected, "\n".join(sql)
    small, _ = count_queries(lambda: body(client.get(URL + "?format=json")))
    grow(newsroom, 20)
    large, sql = count_queries(lambda: body(client.get(URL + "?format=json")))
    assert small == large == 2, "\n".join(sql)


def test_exported_text_is_data_not_markup(client, newsroom):
    newsroom.claim.text = '=HYPERLINK("x") <b>bold</b>'
    newsroom.claim.save()
    rows = json.loads(body(client.get(URL + "?format=json")))
    assert rows[0]["claim"] == '=HYPERLINK("x") <b>bold</b>'
    response = client.get(URL + "?format=json")
    body(response)  # read to its end, as a client does (the server-side cursor closes with it)
    assert response["Content-Type"] == "application/json"


def test_the_matrix_exports_as_csv(client, seeded):
    text = body(client.get(MATRIX + "?format=csv&actor=russia"))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    assert header[:3] == ["claim_id", "claim", "claim_url"]
    assert "Russian government" in header and "Russian Defence Ministry" in header
    by_claim = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_claim["Russia has forces in Libya."]["Russian government"] == "denies"
    hiring = next(k for k in by_claim if k.startswith("Wagner Group is conducting the hiring"))
    assert by_claim[hiring]["Russian Defence Ministry"] == "no_response"
    claim = by_claim["Russia has forces in Libya."]
    assert claim["claim_url"] == f"http://testserver/claims/{claim['claim_id']}/"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_are_quoted_as_text(client, newsroom, start):
    formula = start + 'HYPERLINK("http://evil.example/","x")'
    newsroom.claim.text = formula
    newsroom.claim.save()
    newsroom.opposition.name = formula
    newsroom.opposition.save()
    rows = csv_rows(client.get(URL + "?format=csv"))
    assert {row["claim"] for row in rows} == {"'" + formula}
    assert "'" + formula in {row["actor"] for row in rows}
    assert all(not row["claim_id"].startswith("'") for row in rows)  # numbers stay numbers
    text = body(client.get(MATRIX + "?format=csv"))
    matrix = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert "'" + formula in matrix[0]  # the actor's column heading
    assert {row[1] for row in matrix[1:]} == {"'" + formula}
    # The JSON export is data for programs, not a spreadsheet: it keeps the text as it is.
    assert json.loads(body(client.get(URL + "?format=json")))[0]["claim"] == formula


def test_downloads_are_named_so_a_spreadsheet_opens_them(client, newsroom):
    # Each body is read to its end, as a client does: PostgreSQL's COPY is still running while
    # a download is under way, and a download dropped half-way cancels it.
    response = client.get(URL + "?format=csv")
    body(response)
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="attributions-\d{4}-\d\d-\d\d\.csv"', disposition)
    response = client.get(URL + "?format=json")
    body(response)
    assert response["Content-Disposition"].endswith('.json"')


@given(st.text(alphabet=st.sampled_from([*FORMULA_STARTS, ",", '"', "\n", " ", "a", "é", "\x1f"])))
def test_a_cell_is_written_as_csv_writer_writes_it(text):
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise(text), "x"])
    assert csv_cell(text) + ",x\r\n" == buffer.getvalue()


def test_the_csv_holds_the_rows_csv_writer_would_write(client, newsroom):
    """Cells to quote, to neutralise, both, and empty ones, in several columns and rows."""
    grow(newsroom, 5)
    newsroom.claim.text = '=SUM(1,2) "quoted"\nsecond line'
    newsroom.claim.save()
    newsroom.opposition.name = "-opposition, with a comma"
    newsroom.opposition.save()
    newsroom.ministry_source.actor = None
    newsroom.ministry_source.save()
    Attribution.objects.filter(pk=Attribution.objects.order_by("pk")[1].pk).update(
        quote='@"said"', wording="\tTabbed"
    )
    text = body(client.get(URL + "?format=csv"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(EXPORT_FIELDS)
    request = RequestFactory().get(URL)
    rows = [
        [neutralise(value) for value in row]
        for row in export_rows(Attribution.objects.all(), request)
    ]
    writer.writerows(rows)
    assert len(rows) == Attribution.objects.count() > 10
    if connection.vendor == "postgresql":  # COPY's own CSV: "\n" line ends, "" for empty text
        assert list(csv.reader(io.StringIO(text))) == list(
            csv.reader(io.StringIO(buffer.getvalue()))
        )
    else:
        assert text == buffer.getvalue()
