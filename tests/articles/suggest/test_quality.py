"""Quality floors on the evaluation sets and the seed article, at the levels measured."""

from __future__ import annotations

import pytest

from articles.suggest import suggest
from articles.suggest.evaluate import seed_body, seed_coverage
from articles.suggest.scoring import EVAL_DIR, load, score

# The targets. The tuned set is held a little above them: the rules were written
# against it. The held-out set was written before the extractor and not tuned on.
TARGETS = {
    "source_f1": 0.90,
    "cue_f1": 0.85,
    "stance_accuracy": 0.90,
    "denies_recall": 0.80,
    "declined_recall": 0.80,
    "no_response_recall": 0.80,
    "count_accuracy": 0.90,
    "anonymity_accuracy": 0.90,
}


@pytest.mark.parametrize(("name", "margin"), [("tuned", 0.05), ("heldout", 0.0)])
def test_the_evaluation_set_meets_the_targets(name: str, margin: float) -> None:
    passages = load(EVAL_DIR / f"{name}.jsonl")
    metrics = score(passages, suggest).metrics()
    short = {k: round(metrics[k], 3) for k, floor in TARGETS.items() if metrics[k] < floor + margin}
    assert short == {}


def test_the_blind_set_holds_its_measured_level() -> None:
    # Written after the extractor and scored once: 24 statements, so only the span and overall
    # stance figures are asserted. Its misses ("No one at X could be reached", "told the
    # bank", denials worded without a denial verb) then became general rules, checked on the
    # patterns set written for them.
    metrics = score(load(EVAL_DIR / "blind.jsonl"), suggest).metrics()
    assert metrics["source_f1"] >= 0.90
    assert metrics["cue_f1"] >= 0.90
    assert metrics["stance_accuracy"] >= 0.90


def test_the_patterns_set_holds_its_measured_level() -> None:
    # Written with the rules for the blind set's misses (a silence told by "No one at ...",
    # "told <someone> <clause>", denials without a denial verb) and cases that must not fire;
    # 14 statements. Anonymity is not asserted: "the auditor" (a body) reads as a person.
    metrics = score(load(EVAL_DIR / "patterns.jsonl"), suggest).metrics()
    for name in ("cue_f1", "source_f1", "stance_accuracy", "denies_recall", "no_response_recall"):
        assert metrics[name] >= 0.95, name


def test_the_evaluation_sets_are_big_enough_and_cover_every_stance() -> None:
    tuned = load(EVAL_DIR / "tuned.jsonl")
    stances = {g.stance for p in tuned for g in p.gold}
    assert sum(len(p.gold) for p in tuned) >= 150
    assert stances == {"asserts", "denies", "declined", "no_response"}
    assert any(not p.gold for p in tuned)  # passages with nothing to find


def test_suggestions_find_the_seed_articles_curated_sources() -> None:
    found, total, _ = seed_coverage(seed_body())
    assert total >= 15
    assert found / total >= 0.85
