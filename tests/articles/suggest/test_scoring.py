"""The scorer: half-word span matching, gold spans from words, and clear errors in gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.suggest import suggest
from articles.suggest.scoring import GoldError, Passage, Tally, load, overlaps, resolve

TEXT = "Five sources said the drive accelerated, and the army did not respond."


def test_spans_match_when_they_share_half_the_words_of_the_longer() -> None:
    assert overlaps(TEXT, (0, 12), (5, 12))  # "Five sources" / "sources": 1 of 2
    assert not overlaps(TEXT, (0, 17), (5, 12))  # "Five sources said" / "sources": 1 of 3
    assert not overlaps(TEXT, None, (0, 4))


def test_gold_spans_come_from_words_occurrences_and_ranges() -> None:
    assert resolve(TEXT, "said", "x") == (13, 17)
    assert resolve(TEXT, ["the", 2], "x") == (45, 48)
    assert resolve(TEXT, "the drive...accelerated", "x") == (18, 39)
    assert TEXT[18:39] == "the drive accelerated"


@pytest.mark.parametrize(
    ("value", "message"),
    [("the", "occurs 2 times"), ("nobody", "is not in the text"), (["said", 2], "not 2")],
)
def test_a_gold_span_that_does_not_fit_is_named(value: object, message: str) -> None:
    with pytest.raises(GoldError, match=message):
        resolve(TEXT, value, "f.jsonl:3: gold[0].source")


def test_a_gold_file_error_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    entry = {
        "id": "x",
        "text": TEXT,
        "gold": [{"source": "Six", "cue": "said", "anonymity": "named"}],
    }
    path.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"set.jsonl:1: gold\[0\].source: 'Six'"):
        load(path)


def test_the_tally_counts_misses_and_extras() -> None:
    passage = Passage("p", TEXT, ())
    tally = Tally()
    tally.add(passage, suggest(TEXT))
    assert tally.metrics()["cue_precision"] == 0.0
    assert len(tally.misses) == 2
