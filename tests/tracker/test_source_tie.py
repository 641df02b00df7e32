"""A source speaks for its actor or only belongs to it: only speaking-for is the actor's own
statement in filters, exports, the API, actor pages, records and counts, unless `affiliated=1`."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BODY, span_of
from tracker import counters, credibility
from tracker.models import Actor, Attribution, Source, SourceTie, TrackRecord, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(newsroom):
    """A former ministry official, who belongs to the ministry and does not speak for it: he
    asserts the claim the ministry left unanswered."""
    source = Source.objects.create(
        name="Former official",
        slug="former-official",
        kind="anonymous",
        actor=newsroom.ministry,
        tie=SourceTie.BELONGS_TO,
    )
    Attribution.objects.create(
        claim=newsroom.claim,
        source=source,
        article=newsroom.article,
        stance="asserts",
        wording="Five Syrian opposition sources",
        anonymity="anonymous",
        **span_of(BODY, "Five Syrian opposition sources said the drive accelerated."),
    )
    return source


def api_wordings(client, query: str) -> set[str]:
    response = client.get(f"/api/attributions/?{query}")
    assert response.status_code == 200, response.content
    return {row["wording"] for row in response.json()["results"]}


def export_sources(client, query: str) -> set[str]:
    response = client.get(f"/claims/?{query}&format=json")
    assert response.status_code == 200
    rows = json.loads(response.getvalue().decode("utf-8"))
    return {row["source"] for row in rows}


def test_sources_speak_for_their_actor_unless_said_otherwise(newsroom):
    assert newsroom.ministry_source.tie == SourceTie.SPEAKS_FOR


def test_belonging_is_not_speaking_in_the_api_and_exports(client, newsroom, member):
    assert api_wordings(client, "actor=russian-defence-ministry&stance=asserts") == set()
    assert api_wordings(client, "actor=russian-defence-ministry&stance=asserts&affiliated=1") == {
        "Five Syrian opposition sources"
    }
    assert export_sources(client, "actor=russia") == {
        "Russian Defence Ministry",
        "Ministry spokesman",
    }
    assert "Former official" in export_sources(client, "actor=russia&affiliated=1")


def test_the_claim_list_counts_affiliated_sources_only_when_asked(client, newsroom, member):
    page = client.get("/claims/?actor=russia&stance=asserts")
    assert page.context["total"] == 0
    page = client.get("/claims/?actor=russia&stance=asserts&affiliated=1")
    assert page.context["total"] == 1
    assert 'name="affiliated" value="1" checked' in page.content.decode()


def test_a_bad_affiliated_value_is_a_400_naming_it(client, newsroom):
    for url in ("/claims/?affiliated=perhaps", "/actors/russia/?affiliated=perhaps"):
        response = client.get(url)
        assert response.status_code == 400
        assert "affiliated" in response.content.decode()
    assert client.get("/api/claims/?affiliated=perhaps").json()["errors"]["affiliated"]


def test_the_schema_names_the_parameter(client):
    schema = client.get("/api/schema/?format=json").json()
    names = {p["name"] for p in schema["paths"]["/api/claims/"]["get"]["parameters"]}
    assert "affiliated" in names


def test_actor_pages_and_the_home_page_count_who_speaks(client, newsroom, member):
    page = client.get("/actors/russian-defence-ministry/")
    assert dict(page.context["stance_counts"])["asserts"] == 0
    assert "Former official" not in page.content.decode()
    page = client.get("/actors/russian-defence-ministry/?affiliated=1")
    assert dict(page.context["stance_counts"])["asserts"] == 1
    assert "Former official" in page.content.decode()
    cited = {actor.slug: actor.citations for actor in Actor.objects.most_cited()}
    assert cited["russian-defence-ministry"] == 1  # the non-response, not the member's assertion


def test_kept_counts_follow_a_change_of_tie(newsroom, member):
    assert counters.differences() == []
    member.tie = SourceTie.SPEAKS_FOR
    member.save()
    assert counters.differences() == []
    assert newsroom.russia.subtree_stance_counts()["asserts"] == 1
    member.tie = SourceTie.BELONGS_TO
    member.save()
    assert counters.differences() == []
    assert "asserts" not in newsroom.russia.subtree_stance_counts()
    assert newsroom.russia.subtree_stance_counts(affiliated=True)["asserts"] == 1


def test_actor_records_leave_out_sources_that_only_belong(newsroom, member):
    Verdict.objects.create(claim=newsroom.claim, rating="confirmed", explanation="Shown.")
    ministry = TrackRecord.objects.get(actor=newsroom.ministry)
    # The ministry's only statement on the claim is its non-response: nothing scored.
    assert (ministry.scored, ministry.no_response) == (0, 1)
    assert TrackRecord.objects.get(source=member).scored == 1  # the source's own record
    record = credibility.affiliated_record(newsroom.ministry)
    assert record is not None and record.scored == 1
    # Speaking for it now: the assertion moves into the ministry's stored record.
    member.tie = SourceTie.SPEAKS_FOR
    member.save()
    assert TrackRecord.objects.get(actor=newsroom.ministry).scored == 1
