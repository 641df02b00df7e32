"""When the database fails: the health check says only "not ok", the API answers in its shape."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db

SECRET = "could not connect to server at db.internal.example port 6543: no route"


def database_down(execute, sql, params, many, context):
    raise OperationalError(SECRET)


def test_the_health_check_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_health_check_tells_the_public_nothing_but_not_ok(client, caplog):
    with caplog.at_level(logging.ERROR), connection.execute_wrapper(database_down):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "db.internal.example" not in response.content.decode()
    assert "db.internal.example" in caplog.text  # operators still read it in the log


@pytest.mark.parametrize("path", ["/api/claims/", "/api/claims/?actor=russia", "/api/sources/"])
def test_a_database_failure_under_the_api_is_a_json_503(path, caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR), connection.execute_wrapper(database_down):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "errors": {"database": "The database is not answering; try again shortly."}
    }
    assert "db.internal.example" not in response.content.decode()


def test_a_database_failure_on_a_page_is_the_ordinary_error_page():
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/claims/")
    assert response.status_code == 500
    assert "db.internal.example" not in response.content.decode()


def fail_the_export(execute, sql, params, many, context):
    # Only the export's own query (it cuts the passage out of the body), not the lookups before.
    if "SUBSTR" in sql.upper():
        raise OperationalError(SECRET)
    return execute(sql, params, many, context)


@pytest.mark.parametrize("path", ["/claims/?format=json", "/claims/?format=csv"])
def test_an_export_whose_query_fails_is_an_error_not_a_short_file(newsroom, path):
    if "csv" in path and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL writes the CSV itself with COPY, which no execute wrapper sees")
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(fail_the_export):
        response = client.get(path)
    assert response.status_code == 500
    assert not response.streaming  # the error page, not the first bytes of a file
    working = client.get(path)  # and the same export works when it can
    assert working.status_code == 200
    assert working.getvalue()
