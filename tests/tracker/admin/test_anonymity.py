"""An attribution's anonymity agrees with its source's kind: in the admin and on the model."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.models import Article
from tests.tracker.admin.test_safe_editing import article_url, form_data, prefix_of, snapshot
from tracker.models import Attribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db) -> Article:
    call_command("load_seeds", stdout=StringIO())
    return Article.objects.get()


def test_the_admin_refuses_a_named_attribution_of_an_anonymous_source(editor_client, seed):
    attribution = Attribution.objects.get(source__slug="former-wagner-group-member")
    assert attribution.source.kind == "anonymous"
    data = form_data(editor_client.get(article_url(seed)), "article_form")
    data[f"{prefix_of(data, attribution)}-anonymity"] = ["named"]
    before = snapshot()
    response = editor_client.post(article_url(seed), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    messages = [m for form in errors for m in form.get("anonymity", [])]
    assert messages == [
        "The source is of the kind “anonymous”, so this attribution is “Anonymous”, not "
        "“Named”. Choose “Anonymous”, or pick a source of another kind."
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "kind, agrees, contradicts",
    [
        ("anonymous", "anonymous", "named"),
        ("unattributed", "unattributed", "anonymous"),
        ("person", "named", "unattributed"),
        ("organisation", "named", "anonymous"),
        ("document", "named", "anonymous"),
    ],
)
def test_the_model_checks_anonymity_against_the_source_kind(seed, kind, agrees, contradicts):
    attribution = Attribution.objects.select_related("source", "article").first()
    attribution.source.kind = kind
    attribution.anonymity = agrees
    attribution.full_clean()
    attribution.anonymity = contradicts
    with pytest.raises(ValidationError) as error:
        attribution.full_clean()
    assert list(error.value.message_dict) == ["anonymity"]
