"""The seed says what the article says: who speaks for an actor, what Putin denied and declined,
the reporter's own clauses; and a database loaded with an older seed is corrected by a reload."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import SEEDS
from tracker.models import Actor, Attribution, Claim, Source, SourceTie

pytestmark = pytest.mark.django_db

ARTICLE = "000_4aef31c3c322cd7d.toml"
DENIAL = "russians-in-libya-represent-russian-state-or-are-paid-by-it"
OLD_CLAIM = "russians-in-libya-do-not-represent-russian-state"


def claim_slugs(client, query: str) -> set[str]:
    page = client.get(f"/claims/?{query}")
    assert page.status_code == 200
    return {row.claim.slug for row in page.context["claims"]}


def actor_asserts(client, slug: str, query: str = "") -> int:
    page = client.get(f"/actors/{slug}/{query}")
    return dict(page.context["stance_counts"])["asserts"]


def test_sources_that_only_belong_to_an_actor_say_so(seeded):
    belongs = set(Source.objects.filter(tie=SourceTie.BELONGS_TO).values_list("slug", flat=True))
    assert belongs == {"former-wagner-group-member", "joshua-landis", "syrian-opposition-sources"}


@pytest.mark.parametrize("actor", ["wagner-group", "university-of-oklahoma"])
def test_members_and_academics_are_not_their_actors_statements(client, seeded, actor):
    assert claim_slugs(client, f"actor={actor}&stance=asserts") == set()
    assert actor_asserts(client, actor) == 0
    assert Actor.objects.get(slug=actor).subtree_stance_counts().get("asserts") is None
    affiliated = claim_slugs(client, f"actor={actor}&stance=asserts&affiliated=1")
    assert affiliated and affiliated <= set(
        Attribution.objects.filter(source__actor__slug=actor).values_list("claim__slug", flat=True)
    )
    assert actor_asserts(client, actor, "?affiliated=1") == len(affiliated)


def test_the_russian_governments_responses_include_putins_denial(client, seeded):
    responses = claim_slugs(client, "actor=russian-government&stance=responses")
    assert {DENIAL, "wagner-group-is-fighting-in-libya", "russia-has-forces-in-libya"} <= responses
    putin = dict(
        Attribution.objects.filter(source__slug="vladimir-putin").values_list(
            "claim__slug", "stance"
        )
    )
    assert putin == {DENIAL: "denies", "wagner-group-is-fighting-in-libya": "declined"}
    assert not Claim.objects.filter(slug=OLD_CLAIM).exists()


@pytest.mark.parametrize(
    "claim, passage",
    [
        ("wagner-group-is-private-military-contractor", "Private military contractor Wagner Group"),
        (
            "gna-internationally-recognised-based-in-tripoli",
            "the internationally recognised Government of National Accord (GNA) based in Tripoli",
        ),
        ("gna-made-recent-gains-in-libya", "the GNA's recent gains in Libya"),
    ],
)
def test_the_reporters_own_words_cover_only_the_clause(seeded, claim, passage):
    attribution = Attribution.objects.get(claim__slug=claim, source__slug="unattributed")
    assert attribution.passage == passage


# -- Reloading over a database loaded with an older seed -------------------------------------


def older_seed(tmp_path: Path) -> Path:
    """The seed as it was: Putin asserting a negated claim, the GNA clause a whole sentence."""
    folder = tmp_path / "old"
    shutil.copytree(SEEDS, folder)
    toml = folder / ARTICLE
    text = toml.read_text()
    replacements = [
        (
            f'claim = "{DENIAL}"\nsource = "vladimir-putin"\nstance = "denies"',
            f'claim = "{OLD_CLAIM}"\nsource = "vladimir-putin"\nstance = "asserts"',
        ),
        (
            f'slug = "{DENIAL}"\ntext = "Russians in Libya represent the Russian state or are '
            'paid by it."',
            f'slug = "{OLD_CLAIM}"\ntext = "Russians in Libya do not represent the Russian state."',
        ),
        (
            'passage = "the internationally recognised Government of National Accord (GNA) based '
            'in Tripoli"',
            'passage = "Meanwhile, Turkey has said it is providing military support to the other '
            "side of the conflict, on the request of the internationally recognised Government "
            'of National Accord (GNA) based in Tripoli."',
        ),
    ]
    for old, new in replacements:
        assert old in text, f"test setup: {old!r}"
        text = text.replace(old, new, 1)
    toml.write_text(text)
    (folder / "catalog.toml").write_text(
        (folder / "catalog.toml").read_text().replace('tie = "belongs_to"', "")
    )
    return folder


def run(folder: Path) -> str:
    out = StringIO()
    call_command("load_seeds", str(folder), stdout=out)
    return out.getvalue()


def test_a_reload_corrects_an_older_seed_and_keeps_editors_rows(tmp_path, db):
    run(older_seed(tmp_path))
    old = Attribution.objects.get(claim__slug=OLD_CLAIM)
    assert Source.objects.get(slug="joshua-landis").tie == SourceTie.SPEAKS_FOR
    # An editor's own attribution of Putin on the old claim's neighbour stays whatever the seed.
    editors = Attribution.objects.create(
        claim=Claim.objects.get(slug="russia-has-forces-in-libya"),
        source=Source.objects.get(slug="vladimir-putin"),
        article=old.article,
        stance="no_response",
        span_start=old.span_start,
        span_end=old.span_end,
    )
    out = run(SEEDS)
    assert "1 removed" in out or "2 removed" in out
    assert not Attribution.objects.filter(pk=old.pk).exists()
    assert not Claim.objects.filter(slug=OLD_CLAIM).exists()
    assert Attribution.objects.filter(pk=editors.pk).exists()
    assert Attribution.objects.get(claim__slug=DENIAL).stance == "denies"
    gna = Attribution.objects.get(claim__slug="gna-internationally-recognised-based-in-tripoli")
    assert gna.passage.startswith("the internationally recognised")
    assert Source.objects.get(slug="joshua-landis").tie == SourceTie.BELONGS_TO
    # And the counts kept with the data agree with counting again.
    from tracker import counters

    assert counters.differences() == []
    assert "0 created, 0 updated" in run(SEEDS)


def test_an_old_seed_row_an_editor_changed_is_kept(tmp_path, db):
    run(older_seed(tmp_path))
    old = Attribution.objects.get(claim__slug=OLD_CLAIM)
    old.wording = "Putin"
    old.save()  # outside the loader: the editor's now
    run(SEEDS)
    assert Attribution.objects.filter(pk=old.pk).exists()
    assert Claim.objects.filter(slug=OLD_CLAIM).exists()
