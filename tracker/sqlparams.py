"""Lists of ids bound into hand-written SQL, in blocks every database takes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# Ids bound in one statement: SQLite caps a statement's parameters (32,766 by default, 999 in
# older builds), and a short IN list keeps each statement on the primary key.
IDS_AT_ONCE = 500


def id_blocks(ids: Iterable[int], size: int = IDS_AT_ONCE) -> Iterator[tuple[str, list[int]]]:
    """The ids, sorted and without repeats, in blocks: (the block's "%s, %s, ..." list, ids)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        block = ordered[start : start + size]
        yield ", ".join(["%s"] * len(block)), block
