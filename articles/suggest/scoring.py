"""Scoring suggestions against gold attributions: spans match when they share half their words."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .results import DECLINED, DENIES, NO_RESPONSE, Span, Suggestion

EVAL_DIR = Path(__file__).resolve().parent / "eval"
_WORD = re.compile(r"\w+")
RESPONSE_STANCES = (DENIES, DECLINED, NO_RESPONSE)


class GoldError(ValueError):
    """A gold file entry that does not fit its text; the message names the file, line and field."""


@dataclass(frozen=True)
class Gold:
    source: Span | None
    cue: Span
    content: Span | None
    stance: str
    anonymity: str
    count: int | None


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    gold: tuple[Gold, ...]


def _find(text: str, needle: str, nth: int, where: str) -> int:
    """The start of the nth whole-word occurrence of `needle` in `text`."""
    left = r"\b" if needle[:1].isalnum() else ""
    right = r"\b" if needle[-1:].isalnum() else ""
    hits = [m.start() for m in re.finditer(left + re.escape(needle) + right, text)]
    if not hits:
        raise GoldError(f"{where}: {needle!r} is not in the text")
    if nth == 0 and len(hits) > 1:
        raise GoldError(f"{where}: {needle!r} occurs {len(hits)} times; give [text, n]")
    if nth > len(hits):
        raise GoldError(f"{where}: {needle!r} occurs {len(hits)} times, not {nth}")
    return hits[max(nth, 1) - 1]


def resolve(text: str, value: object, where: str) -> Span | None:
    """A gold span from "words", ["words", n] (the nth occurrence) or "start...end"."""
    if value is None:
        return None
    nth = 0
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], int):
        value, nth = value
    if not isinstance(value, str) or not value:
        raise GoldError(f"{where}: expected a string, [string, n] or null, got {value!r}")
    if "..." in value:
        first, last = value.split("...", 1)
        start = _find(text, first, nth, where)
        end = text.find(last, start)
        if end < 0:
            raise GoldError(f"{where}: {last!r} does not follow {first!r}")
        return start, end + len(last)
    start = _find(text, value, nth, where)
    return start, start + len(value)


def load(path: Path) -> list[Passage]:
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        entry = json.loads(line)
        text = entry["text"]
        gold = []
        for i, g in enumerate(entry["gold"]):
            at = f"{where}: gold[{i}]"
            gold.append(
                Gold(
                    resolve(text, g.get("source"), f"{at}.source"),
                    resolve(text, g["cue"], f"{at}.cue") or (0, 0),
                    resolve(text, g.get("content"), f"{at}.content"),
                    g.get("stance", "asserts"),
                    g["anonymity"],
                    g.get("count", 1),
                )
            )
        passages.append(Passage(entry["id"], text, tuple(gold)))
    return passages


def _words(text: str, span: Span | None) -> set[int]:
    if span is None:
        return set()
    return {m.start() for m in _WORD.finditer(text, span[0], span[1])}


def overlaps(text: str, a: Span | None, b: Span | None) -> bool:
    """Two spans match when they share at least half the words of the longer one."""
    wa, wb = _words(text, a), _words(text, b)
    if not wa or not wb:
        return False
    return len(wa & wb) * 2 >= max(len(wa), len(wb))


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    gold_sources: int = 0
    predicted_sources: int = 0
    matched_sources: int = 0
    content_gold: int = 0
    content_predicted: int = 0
    content_matched: int = 0
    stance_right: int = 0
    count_right: int = 0
    anonymity_right: int = 0
    per_stance: dict[str, list[int]] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, passage: Passage, predicted: list[Suggestion]) -> None:
        text = passage.text
        self.gold += len(passage.gold)
        self.predicted += len(predicted)
        self.gold_sources += sum(g.source is not None for g in passage.gold)
        self.predicted_sources += sum(p.source is not None for p in predicted)
        self.content_gold += sum(g.content is not None for g in passage.gold)
        self.content_predicted += sum(p.content is not None for p in predicted)
        pairs = []
        for gi, g in enumerate(passage.gold):
            for pi, p in enumerate(predicted):
                if overlaps(text, g.cue, p.cue):
                    same_source = overlaps(text, g.source, p.source)
                    pairs.append((not same_source, gi, pi))
        pairs.sort()
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = passage.gold[gi], predicted[pi]
            self.matched += 1
            self.matched_sources += overlaps(text, g.source, p.source)
            self.content_matched += overlaps(text, g.content, p.content)
            self.stance_right += g.stance == p.stance
            self.count_right += g.count == p.count
            self.anonymity_right += g.anonymity == p.anonymity
            hits = self.per_stance.setdefault(g.stance, [0, 0])
            hits[0] += g.stance == p.stance
            if (g.stance, g.count, g.anonymity) != (p.stance, p.count, p.anonymity) or not (
                overlaps(text, g.source, p.source)
            ):
                self.misses.append(f"{passage.id}: {_show(text, g)} <> {_show(text, p)}")
        for gi, g in enumerate(passage.gold):
            self.per_stance.setdefault(g.stance, [0, 0])[1] += 1
            if gi not in used_g:
                self.misses.append(f"{passage.id}: missed {_show(text, g)}")
        for pi, p in enumerate(predicted):
            if pi not in used_p:
                self.misses.append(f"{passage.id}: extra {_show(text, p)}")

    def metrics(self) -> dict[str, float]:
        def f1(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
            p = tp / npred if npred else 0.0
            r = tp / ngold if ngold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        cue = f1(self.matched, self.predicted, self.gold)
        source = f1(self.matched_sources, self.predicted_sources, self.gold_sources)
        content = f1(self.content_matched, self.content_predicted, self.content_gold)
        m = max(self.matched, 1)
        out = {
            "cue_precision": cue[0],
            "cue_recall": cue[1],
            "cue_f1": cue[2],
            "source_precision": source[0],
            "source_recall": source[1],
            "source_f1": source[2],
            "content_f1": content[2],
            "stance_accuracy": self.stance_right / m,
            "count_accuracy": self.count_right / m,
            "anonymity_accuracy": self.anonymity_right / m,
        }
        for stance in RESPONSE_STANCES:
            right, total = self.per_stance.get(stance, [0, 0])
            out[f"{stance}_recall"] = right / total if total else 0.0
        return out


def _show(text: str, item: Gold | Suggestion) -> str:
    def cut(span: Span | None) -> str:
        return "-" if span is None else text[span[0] : span[1]][:50]

    return f"[{cut(item.source)} | {cut(item.cue)} | {item.stance} {item.anonymity} {item.count}]"


def score(passages: Iterable[Passage], run: Callable[[str], list[Suggestion]]) -> Tally:
    tally = Tally()
    for passage in passages:
        tally.add(passage, run(passage.text))
    return tally
