"""POST /api/suggestions/: the extractor's answer for a text, as the batch command gives it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from articles.suggest import batch
from tracker.api.auth import create_token

pytestmark = pytest.mark.django_db

URL = "/api/suggestions/"
TEXT = (
    "The harbour board said the new pier would open in March. "
    "The Ports Authority did not respond to questions. "
    "“We will not pay for it,” a council spokeswoman said."
)


@pytest.fixture
def api(editor) -> Client:
    return Client(
        enforce_csrf_checks=True, headers={"authorization": f"Token {create_token(editor)[1]}"}
    )


def post(client: Client, data, status: int) -> dict:
    body = data if isinstance(data, str) else json.dumps(data)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == status, response.content[:800]
    return response.json()


def test_the_answer_is_the_batch_commands_line(api):
    answer = post(api, {"id": "pier-7", "text": TEXT}, 200)
    line, found = batch.answer("pier-7", TEXT)
    assert answer == json.loads(line)
    assert list(answer) == ["id", "attributions"]
    assert found == 3
    first = answer["attributions"][0]
    assert TEXT[slice(*first["source"])] == "The harbour board"
    assert first["stance"] == "asserts"
    assert answer["attributions"][1]["stance"] == "no_response"
    assert answer["attributions"][1]["content"] is None


def test_without_an_id_the_answer_has_none(api):
    answer = post(api, {"text": TEXT}, 200)
    assert list(answer) == ["attributions"]
    assert len(answer["attributions"]) == 3


def test_an_integer_id_and_an_empty_text(api):
    assert post(api, {"id": 7, "text": ""}, 200) == {"id": 7, "attributions": []}


def test_anonymous_callers_are_refused(client):
    errors = post(client, {"text": TEXT}, 401)
    assert errors == {
        "errors": {"not_authenticated": "Authentication credentials were not provided."}
    }


def test_a_user_outside_the_editors_group_is_refused():
    reader = User.objects.create_user("reader", password="pw-for-tests-only")
    client = Client(headers={"authorization": f"Token {create_token(reader)[1]}"})
    assert list(post(client, {"text": TEXT}, 403)["errors"]) == ["permission_denied"]


def test_reading_the_endpoint_is_not_allowed(api):
    response = api.get(URL)
    assert response.status_code == 405
    assert list(response.json()["errors"]) == ["method_not_allowed"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({}, "text", "required"),
        ({"text": 5}, "text", "valid string"),
        ({"text": None}, "text", "null"),
        ({"text": "x", "id": True}, "id", "string or an integer"),
        ({"text": "x", "id": [1]}, "id", "string or an integer"),
    ],
)
def test_a_bad_field_is_named(api, data, field, words):
    errors = post(api, data, 400)["errors"]
    assert list(errors) == [field]
    assert words in errors[field]


def test_a_body_that_is_not_an_object_or_not_json(api):
    assert list(post(api, "[1, 2]", 400)["errors"]) == ["non_field_errors"]
    assert list(post(api, '{"text": ', 400)["errors"]) == ["parse_error"]


def test_the_text_is_limited_like_an_article(api, settings):
    settings.ARTICLE_MAX_BYTES = len(TEXT.encode()) - 1
    errors = post(api, {"text": TEXT}, 400)["errors"]
    assert list(errors) == ["text"] and "ARTICLE_MAX_BYTES" in errors["text"]
    settings.ARTICLE_MAX_BYTES = len(TEXT.encode())
    post(api, {"text": TEXT}, 200)


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/suggestions/"]["post"]
    assert set(schema["paths"]["/api/suggestions/"]) == {"post"}
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][request.rsplit("/", 1)[1]]
    assert fields["required"] == ["text"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    item = schema["components"]["schemas"][answer.rsplit("/", 1)[1]]["properties"]["attributions"]
    row = schema["components"]["schemas"][item["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(row["properties"]) == {"source", "cue", "content", "stance", "anonymity", "count"}
    assert {} not in operation["security"]  # an editor's tool: no anonymous access
