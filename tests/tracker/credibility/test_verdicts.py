"""Verdicts: the latest sets the claim's status, earlier ones stay visible; editors rate claims
inline in the admin with evidence; the claim page shows them; the seed's denials come out."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.conftest import count_queries, grow
from tracker.models import Attribution, Claim, Evidence, TrackRecord, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, 5, day, 12, 0))


def rate(claim: Claim, rating: str, **fields) -> Verdict:
    fields.setdefault("explanation", "Checked.")
    return Verdict.objects.create(claim=claim, rating=rating, **fields)


def status(claim: Claim) -> str:
    return Claim.objects.get(pk=claim.pk).status


# -- The model ----------------------------------------------------------------------------------


def test_the_latest_verdict_sets_the_status_and_earlier_ones_stay(newsroom):
    first = rate(newsroom.claim, "unproven", rated_at=at(1))
    assert status(newsroom.claim) == "unproven"
    assert newsroom.claim.status == "unproven"  # the instance in hand follows too
    rate(newsroom.claim, "confirmed", rated_at=at(9))
    assert status(newsroom.claim) == "confirmed"
    backdated = rate(newsroom.claim, "refuted", rated_at=at(5))  # weighed before the latest
    assert status(newsroom.claim) == "confirmed"
    assert list(newsroom.claim.verdicts.values_list("rating", flat=True)) == [
        "confirmed", "refuted", "unproven",
    ]  # fmt: skip
    Verdict.objects.filter(rating="confirmed").delete()
    assert status(newsroom.claim) == "refuted"
    backdated.delete()
    first.delete()
    assert status(newsroom.claim) == "unrated"


def test_deleting_a_rated_claim_leaves_no_record_behind(newsroom):
    rate(newsroom.claim, "confirmed")
    assert TrackRecord.objects.exists()
    newsroom.claim.delete()
    assert not TrackRecord.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"article": "article", "url": "https://example.org/"},
        {"article": "article", "attribution": "denial"},
        {"url": "javascript:alert(1)"},
    ],
    ids=["nothing", "article and url", "article and attribution", "not a web address"],
)
def test_evidence_points_at_exactly_one_thing(newsroom, fields):
    verdict = rate(newsroom.claim, "confirmed")
    values = {name: getattr(newsroom, v) if name != "url" else v for name, v in fields.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(verdict=verdict, **values)


def test_the_database_rejects_an_unknown_rating(newsroom):
    with pytest.raises(IntegrityError), transaction.atomic():
        rate(newsroom.claim, "probably")


# -- The claim page -----------------------------------------------------------------------------


def claim_page(client, claim: Claim) -> str:
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def aside(html: str) -> str:
    return re.search(r"<aside.*?</aside>", html, re.S).group(0)


def test_the_claim_page_shows_the_verdict_its_evidence_and_the_earlier_ones(
    client, newsroom, editor
):
    editor.first_name, editor.last_name = "Eda", "Tor"
    editor.save()
    rate(newsroom.claim, "unproven", rated_at=at(1), explanation="Too early to say.")
    current = rate(
        newsroom.claim,
        "mostly_true",
        rated_at=at(20),
        rated_by=editor,
        explanation="Satellite images confirm it.\n\nThe numbers are disputed.",
    )
    Evidence.objects.create(verdict=current, article=newsroom.article)
    Evidence.objects.create(verdict=current, attribution=newsroom.anonymous_five)
    Evidence.objects.create(verdict=current, url="https://example.org/report", title="A report")
    html = claim_page(client, newsroom.claim)
    assert 'Mostly true</span> <a href="#verdict">why</a>' in html
    verdicts = aside(html)
    assert verdicts.index("Mostly true") < verdicts.index("Earlier verdicts")
    assert verdicts.index("Earlier verdicts") < verdicts.index("Unproven")
    assert "rated by Eda Tor" in verdicts
    assert "20 May 2024" in verdicts
    assert "<p>Satellite images confirm it.</p>" in verdicts  # paragraphs kept, text escaped
    assert f'href="/articles/{newsroom.article.pk}/">Drive accelerated</a>' in verdicts
    anchor = f"/articles/{newsroom.article.pk}/#attribution-{newsroom.anonymous_five.pk}"
    assert f'href="{anchor}">Syrian opposition sources (asserts) in “Drive accelerated”' in verdicts
    assert '<a href="https://example.org/report" rel="nofollow noopener">A report</a>' in verdicts
    assert "Too early to say." in verdicts
    assert "rated by the editors" in verdicts  # the earlier verdict names no editor


def test_an_explanation_cannot_inject_markup(client, newsroom):
    rate(newsroom.claim, "refuted", explanation='<img src=x onerror="alert(1)">')
    html = claim_page(client, newsroom.claim)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_an_unrated_claim_has_no_verdict_panel(client, newsroom):
    html = claim_page(client, newsroom.claim)
    assert 'id="verdict"' not in html
    assert "Not yet rated" in html


def test_the_claim_page_with_verdicts_loads_in_the_same_queries_at_two_sizes(client, newsroom):
    grow(newsroom, 2)
    rate(newsroom.claim, "mixed", rated_at=at(1))
    small, _ = count_queries(lambda: claim_page(client, newsroom.claim))
    grow(newsroom, 10)
    for day in range(2, 12):
        verdict = rate(newsroom.claim, "confirmed", rated_at=at(day))
        Evidence.objects.create(verdict=verdict, article=newsroom.article)
        Evidence.objects.create(verdict=verdict, attribution=newsroom.denial)
        Evidence.objects.create(verdict=verdict, url=f"https://example.org/{day}")
    large, sql = count_queries(lambda: claim_page(client, newsroom.claim))
    assert small == large, "\n".join(sql)


# -- The admin ----------------------------------------------------------------------------------


class FormData(HTMLParser):
    """What a browser would post from a form: inputs, checked boxes, selected options,
    textareas (the empty-form templates of inlines left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: list[str] | None = None

    def add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.add(name, a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.add(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, value = self._textarea
            self.add(name, value.removeprefix("\n"))  # browsers drop the first newline
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def change_form(client, claim: Claim) -> dict[str, list[str]]:
    html = client.get(reverse("admin:tracker_claim_change", args=[claim.pk])).content.decode()
    form = re.search(r'<form[^>]*id="claim_form".*?</form>', html, re.S).group(0)
    parser = FormData()
    parser.feed(form)
    return parser.data


def add_verdict(data: dict[str, list[str]], **fields) -> dict[str, list[str]]:
    n = int(data["verdicts-TOTAL_FORMS"][0])
    data["verdicts-TOTAL_FORMS"] = [str(n + 1)]
    when = fields.pop("rated_at", at(15))
    data |= {
        f"verdicts-{n}-rated_at_0": [when.strftime("%Y-%m-%d")],
        f"verdicts-{n}-rated_at_1": [when.strftime("%H:%M:%S")],
        f"verdicts-{n}-explanation": ["Checked."],
        f"verdicts-{n}-id": [""],
        f"verdicts-{n}-claim": [data.get("verdicts-0-claim", [""])[0]],
    }
    for name, value in fields.items():
        data[f"verdicts-{n}-{name}"] = value if isinstance(value, list) else [value]
    return data


def post(client, claim: Claim, data) -> None:
    response = client.post(reverse("admin:tracker_claim_change", args=[claim.pk]), data)
    if response.status_code != 302:
        errors = [f.errors for f in response.context["inline_admin_formsets"][0].formset.forms]
        raise AssertionError(f"{response.context['errors']} {errors}")


def test_an_editor_rates_a_claim_inline_with_evidence(editor_client, editor, newsroom):
    data = add_verdict(
        change_form(editor_client, newsroom.claim),
        rating="refuted",
        explanation="Nothing of the kind: <b>see</b> the report.",
        articles=[str(newsroom.article.pk)],
        attributions=[str(newsroom.denial.pk)],
        links="https://example.org/report The report\nhttps://example.org/other",
    )
    post(editor_client, newsroom.claim, data)
    verdict = Verdict.objects.get()
    assert verdict.rated_by == editor  # defaulted to whoever rated it
    assert verdict.rated_at == at(15)
    assert status(newsroom.claim) == "refuted"
    assert {e.key for e in verdict.evidence.all()} == {
        ("article", newsroom.article.pk),
        ("attribution", newsroom.denial.pk),
        ("url", "https://example.org/report"),
        ("url", "https://example.org/other"),
    }
    assert verdict.evidence.get(url="https://example.org/report").title == "The report"
    # The records follow at once: the opposition asserted a claim now refuted.
    record = TrackRecord.objects.get(source=newsroom.opposition_sources)
    assert (record.for_count, record.against_count) == (0, 1)

    # Editing: the evidence shown is what is stored; drop the article, retitle a link.
    data = change_form(editor_client, newsroom.claim)
    assert data["verdicts-0-articles"] == [str(newsroom.article.pk)]
    links = "https://example.org/report The report\nhttps://example.org/other"
    assert data["verdicts-0-links"] == [links]
    data["verdicts-0-articles"] = []
    data["verdicts-0-links"] = ["https://example.org/report Final report"]
    post(editor_client, newsroom.claim, data)
    assert {e.key[0] for e in verdict.evidence.all()} == {"attribution", "url"}
    assert verdict.evidence.get(url__startswith="https").title == "Final report"
    assert Verdict.objects.get().rated_by == editor


def test_a_later_verdict_by_another_editor_keeps_the_first_ones_name(
    editor_client, editor, newsroom, django_user_model
):
    other = django_user_model.objects.create_user("other", is_staff=True)
    rate(newsroom.claim, "unproven", rated_by=other, rated_at=at(1))
    post(
        editor_client,
        newsroom.claim,
        add_verdict(change_form(editor_client, newsroom.claim), rating="confirmed"),
    )
    assert dict(Verdict.objects.values_list("rating", "rated_by__username")) == {
        "unproven": "other",
        "confirmed": "ed",
    }
    assert status(newsroom.claim) == "confirmed"


def test_an_evidence_link_must_be_a_web_address(editor_client, newsroom):
    data = add_verdict(
        change_form(editor_client, newsroom.claim),
        rating="confirmed",
        links="javascript:alert(1)",
    )
    response = editor_client.post(
        reverse("admin:tracker_claim_change", args=[newsroom.claim.pk]), data
    )
    assert response.status_code == 200
    assert "Line 1: 'javascript:alert(1)' is not an http or https address." in str(
        response.context["inline_admin_formsets"][0].formset.errors
    )
    assert not Verdict.objects.exists()


def test_the_status_is_not_edited_by_hand(editor_client, newsroom):
    data = change_form(editor_client, newsroom.claim)
    assert "status" not in data
    data["status"] = ["confirmed"]
    post(editor_client, newsroom.claim, data)
    assert status(newsroom.claim) == "unrated"


def test_the_claim_change_form_with_verdicts_loads_in_the_same_queries_at_two_sizes(
    editor_client, newsroom
):
    url = reverse("admin:tracker_claim_change", args=[newsroom.claim.pk])
    grow(newsroom, 2)
    verdict = rate(newsroom.claim, "mixed", rated_at=at(1))
    Evidence.objects.create(verdict=verdict, attribution=newsroom.denial)
    editor_client.get(url)  # warms the content-type cache
    small, _ = count_queries(lambda: editor_client.get(url))
    grow(newsroom, 15)
    for day in range(2, 12):
        verdict = rate(newsroom.claim, "confirmed", rated_at=at(day))
        Evidence.objects.create(verdict=verdict, article=newsroom.article)
        Evidence.objects.create(verdict=verdict, attribution=newsroom.anonymous_five)
        Evidence.objects.create(verdict=verdict, url=f"https://example.org/{day}")
    large, sql = count_queries(lambda: editor_client.get(url))
    assert small == large, "\n".join(sql)
    page = editor_client.get(url).content.decode()
    assert "Syrian opposition sources asserts: The recruitment drive accelerated." in page


@pytest.mark.parametrize("model", ["tracker_verdict", "tracker_trackrecord"])
def test_the_verdict_and_record_changelists_load_in_the_same_queries_at_two_sizes(
    editor_client, newsroom, model
):
    url = reverse(f"admin:{model}_changelist")
    grow(newsroom, 3)
    for claim in Claim.objects.all():
        rate(claim, "confirmed")
    editor_client.get(url)
    small, _ = count_queries(lambda: editor_client.get(url))
    grow(newsroom, 30)
    for claim in Claim.objects.filter(status="unrated"):
        rate(claim, "mostly_false")
    large, sql = count_queries(lambda: editor_client.get(url))
    assert small == large, "\n".join(sql)


def test_the_verdict_admin_pages_load_and_set_who_rated(editor_client, editor, newsroom):
    verdict = rate(newsroom.claim, "confirmed")
    Evidence.objects.create(verdict=verdict, attribution=newsroom.denial)
    change = reverse("admin:tracker_verdict_change", args=[verdict.pk])
    assert editor_client.get(change).status_code == 200
    assert editor_client.get(reverse("admin:tracker_verdict_add")).status_code == 200
    response = editor_client.post(
        reverse("admin:tracker_verdict_add"),
        {
            "claim": newsroom.claim.pk, "rating": "mixed", "explanation": "On reflection.",
            "rated_at_0": "2030-01-01", "rated_at_1": "10:00:00",
            "evidence-TOTAL_FORMS": "1", "evidence-INITIAL_FORMS": "0",
            "evidence-0-url": "https://example.org/x", "evidence-0-title": "X",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["errors"]
    added = Verdict.objects.latest_first().first()
    assert (added.rating, added.rated_by) == ("mixed", editor)
    assert added.evidence.get().url == "https://example.org/x"
    assert status(newsroom.claim) == "mixed"


def test_track_records_are_read_only_in_the_admin(editor_client, newsroom):
    rate(newsroom.claim, "confirmed")
    response = editor_client.get(reverse("admin:tracker_trackrecord_changelist"))
    assert response.status_code == 200
    assert "Syrian opposition sources" in response.content.decode()
    assert editor_client.get(reverse("admin:tracker_trackrecord_add")).status_code == 403


def test_evidence_is_picked_with_the_admins_autocomplete(editor_client, newsroom):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tracker", "model_name": "evidence", "field_name": "attribution",
         "term": "spokesman"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(newsroom.denial.pk)]


def test_editors_may_rate_and_cite_evidence_and_read_records(db):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    for model in ("verdict", "evidence"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert "view_trackrecord" in codenames
    assert not {"add_trackrecord", "change_trackrecord", "delete_trackrecord"} & codenames


# -- Done: an editor rates the seed article's claims; a reader sees what they contradict --------


def test_an_editor_rates_the_seed_and_a_reader_sees_the_russian_governments_record(
    editor_client, client, seeded
):
    article = Attribution.objects.filter(claim__slug="russia-has-forces-in-libya").get().article
    un_report = Attribution.objects.get(claim__slug="wagner-has-up-to-1200-people-in-libya")
    for slug, rating, fields in [
        ("russia-has-forces-in-libya", "confirmed", {"attributions": [str(un_report.pk)]}),
        ("russians-in-libya-represent-russian-state-or-are-paid-by-it", "confirmed", {}),
        ("wagner-conducting-syrian-hiring-with-russian-army-supervision", "mostly_true", {}),
    ]:
        claim = Claim.objects.get(slug=slug)
        data = add_verdict(
            change_form(editor_client, claim),
            rating=rating,
            articles=[str(article.pk)],
            links="https://www.un.org/securitycouncil/ Panel of Experts",
            **fields,
        )
        post(editor_client, claim, data)
    html = client.get("/actors/russian-government/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "0.25 , 90% interval" in text and "from 2 rated claims: 0 for, 2 against." in text
    assert "did not respond 1 time" in text
    denials = re.search(r"Denials later contradicted.*?(?=<h[23])", html, re.S).group(0)
    assert "Russia has forces in Libya." in denials
    assert "Russian state" in denials
    assert "Vladimir Putin" in denials  # his denial that Russians there are the state's
    claim = Claim.objects.get(slug="russia-has-forces-in-libya")
    claim_html = client.get(claim.get_absolute_url()).content.decode()
    assert "rated by ed" in claim_html
    assert "Panel of Experts" in claim_html
    assert "a confidential UN report" not in aside(claim_html)  # evidence is labelled by source
    assert "Confidential UN report (asserts)" in aside(claim_html)
