"""An official on the record for a body, the person unnamed: not an anonymous source."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tracker.models import Attribution, Claim
from tracker.models.claims import anonymity_problem
from tracker.querysets import summarize_sourcing

pytestmark = pytest.mark.django_db

HAFTAR = "haftar-forces-recruited-syrian-fighters"


def test_the_rule_ties_the_spokesperson_kind_to_on_the_record():
    assert anonymity_problem("spokesperson", "on_record") is None
    assert "On the record, unnamed" in (anonymity_problem("spokesperson", "anonymous") or "")
    assert anonymity_problem("anonymous", "on_record")


def test_the_haftar_spokesman_is_on_the_record_and_not_anonymous(client, seeded):
    denial = Attribution.objects.get(claim__slug=HAFTAR)
    assert (denial.source.kind, denial.anonymity) == ("spokesperson", "on_record")
    denial.full_clean()
    anonymous = client.get("/claims/?anonymity=anonymous").context["total"]
    slugs = {row.claim.slug for row in client.get("/claims/?anonymity=anonymous").context["claims"]}
    assert HAFTAR not in slugs and anonymous > 0
    on_record = client.get("/claims/?anonymity=on_record").context["claims"]
    assert [row.claim.slug for row in on_record] == [HAFTAR]
    summary = summarize_sourcing(Claim.objects.get(slug=HAFTAR).attributions.for_list())
    assert (summary["anonymous"], summary["on_record"]) == (0, 1)


def test_an_anonymous_label_on_a_spokesperson_is_refused(seeded):
    denial = Attribution.objects.get(claim__slug=HAFTAR)
    denial.anonymity = "anonymous"
    with pytest.raises(ValidationError) as error:
        denial.full_clean()
    assert "anonymity" in error.value.message_dict
