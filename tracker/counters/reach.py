"""Each attribution once per actor it counts for (ActorReach), kept with every write.

An attribution's rows: one for its source's actor and one for each actor above it, with its
stance, its source's tie and its article's date. The receivers in signals.py call these
functions in the writer's transaction when an attribution is created or changed (its rows go
away with it by the foreign key's cascade), when a source moves to another actor or changes its
tie, when an actor moves in the tree and when an article changes its date. recount() rebuilds
them and differences() compares them with a rebuild, as it does the counts.

What a row says of its attribution is passed as a Placed tuple (path, stance, tie, day).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tracker.models import ActorReach

Placed = tuple[str, str, str, date | str]  # the actor's path, the stance, the tie, the day

_COLUMNS = "actor_id, attribution_id, stance, tie, published_on"

# Each actor with itself and every actor above it, from the parents: a few rows per actor.
_UP = (
    "WITH RECURSIVE up (actor_id, ancestor_id) AS ("
    " SELECT id, id FROM tracker_actor"
    " UNION ALL"
    " SELECT up.actor_id, p.parent_id FROM up JOIN tracker_actor p ON p.id = up.ancestor_id"
    " WHERE p.parent_id IS NOT NULL)"
)
# The attributions read once in a row, each looking up its source, article and actors: SQLite
# takes CROSS JOIN as the join order (from sources to their attributions it read the big
# tables out of order, 6 times slower at 200k claims); PostgreSQL plans it as any join.
_FRESH = (
    "SELECT up.ancestor_id AS actor_id, a.id AS attribution_id, a.stance, s.tie, r.published_on"
    " FROM tracker_attribution a CROSS JOIN tracker_source s"
    " CROSS JOIN articles_article r CROSS JOIN up"
    " WHERE s.id = a.source_id AND r.id = a.article_id AND up.actor_id = s.actor_id"
)


def chain(path: str) -> list[int]:
    """The ids of a stored path, from the root down to the actor ("/1/7/42/" -> [1, 7, 42])."""
    return [int(part) for part in path.strip("/").split("/") if part]


def _rows(attribution_id: int, placed: Placed) -> list[ActorReach]:
    path, stance, tie, day = placed
    return [
        ActorReach(actor_id=pk, attribution_id=attribution_id, stance=stance, tie=tie,
                   published_on=day)
        for pk in chain(path)
    ]  # fmt: skip


def added(placed: Mapping[int, Placed | None], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Rows for attributions that have none yet (created, or written without signals)."""
    rows = [row for pk, where in placed.items() if where for row in _rows(pk, where)]
    ActorReach.objects.using(using).bulk_create(rows, batch_size=2000)


def changed(
    attribution_id: int, was: Placed | None, now: Placed | None, *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """An attribution saved: its rows follow its stance, its source's actor and tie, its date."""
    if was == now:
        return
    rows = ActorReach.objects.using(using).filter(attribution_id=attribution_id)
    if was is not None and now is not None and was[0] == now[0]:
        _, stance, tie, day = now
        rows.update(stance=stance, tie=tie, published_on=day)
        return
    if was is not None:
        rows.delete()
    if now is not None:
        added({attribution_id: now}, using=using)


def source_moved(
    source_id: int, was: tuple[str, str], now: tuple[str, str], *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """A source moved to another actor (path "" for none) or changed its tie ((path, tie) each):
    its attributions' rows move with it."""
    if was == now:
        return
    reach = ActorReach.objects.using(using)
    (old_path, _), (new_path, new_tie) = was, now
    if old_path == new_path:
        reach.filter(attribution__source_id=source_id).update(tie=new_tie)
        return
    reach.filter(attribution__source_id=source_id).delete()
    actors = chain(new_path)
    if actors:
        _insert_select(
            actors,
            "SELECT x.id, a.id, a.stance, %s, r.published_on FROM tracker_attribution a"
            " JOIN articles_article r ON r.id = a.article_id, tracker_actor x"
            " WHERE a.source_id = %s AND x.id IN ({actors})",
            [new_tie, source_id],
            using,
        )


def actor_moved(actor_id: int, old_path: str, new_path: str, *, using: str = DEFAULT_DB_ALIAS):
    """An actor moved in the tree: its sub-tree's rows leave the ancestors it no longer has for
    those it has now (its own rows hold every attribution of its sub-tree)."""
    old, new = chain(old_path)[:-1], chain(new_path)[:-1]
    gone, came = [pk for pk in old if pk not in new], [pk for pk in new if pk not in old]
    reach = ActorReach.objects.using(using)
    below = reach.filter(actor_id=actor_id).values("attribution_id")
    if gone:
        reach.filter(actor_id__in=gone, attribution_id__in=below).delete()
    if came:
        _insert_select(
            came,
            f"SELECT x.id, m.attribution_id, m.stance, m.tie, m.published_on"
            f" FROM tracker_actorreach m, tracker_actor x"
            f" WHERE m.actor_id = {int(actor_id)} AND x.id IN ({{actors}})",
            [],
            using,
        )


def article_redated(article_id: int, day: date | str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """An article's new date, on the rows of its attributions."""
    rows = ActorReach.objects.using(using).filter(attribution__article_id=article_id)
    rows.update(published_on=day)


def _insert_select(actors: list[int], select: str, params: list, using: str) -> None:
    ids = ", ".join(str(int(pk)) for pk in actors)  # integers from a stored path
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO tracker_actorreach ({_COLUMNS}) {select.format(actors=ids)}", params
        )


# -- From scratch, and checked against that ---------------------------------------------------


def rebuild(cursor) -> int:
    """Every row again from the attributions (inside the caller's transaction): how many."""
    cursor.execute("DELETE FROM tracker_actorreach")
    cursor.execute(f"{_UP} INSERT INTO tracker_actorreach ({_COLUMNS}) {_FRESH}")
    cursor.execute("SELECT COUNT(*) FROM tracker_actorreach")
    return cursor.fetchone()[0]


def differences(*, using: str = DEFAULT_DB_ALIAS, limit: int = 50) -> list[str]:
    """The rows missing, those that should not be there, and a count that differs (duplicates).

    The rows there should be are counted once into a temporary table and compared with the kept
    rows in the database, never in memory: on SQLite each looked up in the kept rows' index, on
    PostgreSQL as a set difference (hashed; its planner would look them up one by one too, three
    times slower at 200k claims). When none is missing and the counts agree no row is extra
    either (those counted are distinct), so the search for extra rows runs only then.
    """
    connection = connections[using]
    kept = f"SELECT {_COLUMNS} FROM tracker_actorreach"
    same_row = " AND ".join(f"k.{column} = f.{column}" for column in _COLUMNS.split(", "))

    def absent(rows: str, table: str, alias: str, other: str, other_alias: str) -> str:
        if connection.vendor == "postgresql":
            return (
                f"SELECT * FROM ({rows} EXCEPT SELECT {_COLUMNS} FROM {other}) AS d LIMIT {limit}"
            )
        return (
            f"SELECT {_COLUMNS} FROM {table} {alias} WHERE NOT EXISTS"
            f" (SELECT 1 FROM {other} {other_alias} WHERE {same_row}) LIMIT {limit}"
        )

    problems: list[str] = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE reach_fresh AS {_UP} {_FRESH}")
        try:
            cursor.execute(
                absent("SELECT * FROM reach_fresh", "reach_fresh", "f", "tracker_actorreach", "k")
            )
            missing = cursor.fetchall()
            problems += [f"actor reach missing: {tuple(row)}" for row in missing]
            cursor.execute("SELECT COUNT(*) FROM reach_fresh")
            counted = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM tracker_actorreach")
            stored = cursor.fetchone()[0]
            if missing or counted != stored:
                cursor.execute("CREATE INDEX reach_fresh_key ON reach_fresh (attribution_id)")
                cursor.execute(absent(kept, "tracker_actorreach", "k", "reach_fresh", "f"))
                problems += [f"actor reach extra: {tuple(row)}" for row in cursor.fetchall()]
        finally:
            cursor.execute("DROP TABLE reach_fresh")
    if counted != stored:
        problems.append(f"actor reach rows: kept {stored}, counted {counted}")
    return problems
