"""The batch interface: JSON lines of {"id", "text"} in, one line of suggestions out per input."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from .extract import suggest


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class BadLine(ValueError):
    """An input line that cannot be read; the message names the line and what is wrong."""

    def __init__(self, number: int, message: str) -> None:
        super().__init__(f"line {number}: {message}")
        self.number = number


def read_line(raw: bytes | str, number: int) -> tuple[object, str] | None:
    """The id and text of one input line, None for a blank line, or BadLine."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadLine(number, f"not UTF-8 (byte {exc.start})") from None
    raw = raw.strip().lstrip("\ufeff")
    if not raw:
        return None
    try:
        entry = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(number, f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(entry, dict):
        raise BadLine(
            number, f"expected an object with 'id' and 'text', got {type(entry).__name__}"
        )
    if "id" not in entry:
        raise BadLine(number, "'id' is missing")
    if not isinstance(entry["id"], str | int) or isinstance(entry["id"], bool):
        raise BadLine(number, f"'id' must be a string or an integer, got {entry['id']!r}")
    if "text" not in entry:
        raise BadLine(number, "'text' is missing")
    if not isinstance(entry["text"], str):
        raise BadLine(number, f"'text' must be a string, got {type(entry['text']).__name__}")
    return entry["id"], entry["text"]


def answer(entry_id: object, text: str) -> tuple[str, int]:
    """The output line for one text, and how many suggestions it holds."""
    attributions = [s.as_json() for s in suggest(text)]
    line = json.dumps({"id": entry_id, "attributions": attributions}, ensure_ascii=False)
    return line, len(attributions)


def run(lines: Iterable[bytes | str], out: Writer, err: Writer) -> tuple[int, int, int]:
    """Answers every good line on `out`, in order; each bad line is named on `err` and skipped,
    and nothing is written for it. Returns (texts, suggestions, bad lines)."""
    texts = found = bad = 0
    for number, raw in enumerate(lines, start=1):
        try:
            entry = read_line(raw, number)
        except BadLine as exc:
            err.write(f"error: {exc}\n")
            bad += 1
            continue
        if entry is None:
            continue
        line, count = answer(*entry)
        out.write(line + "\n")
        texts += 1
        found += count
    return texts, found, bad
