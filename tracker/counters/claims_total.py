"""How many claims there are, kept beside them (ClaimTally): the unfiltered claim list's total
without a COUNT over every claim.

A claim created adds a row of +1 and a claim deleted one of -1, in the writer's transaction;
after the commit the rows are folded into one. Raw saves (`loaddata`) and writers that bypass
the ORM leave it to recount() (tracker/counters), as the other counts do.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save

from tracker.models import Claim, ClaimTally


def claims_total(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many claims there are: one query on a row or a few."""
    return ClaimTally.objects.using(using).aggregate(total=Sum("n"))["total"] or 0


def fold(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """The rows into one (none when the sum is 0); nothing written when there is one already."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tracker_claimtally")
        if cursor.fetchone()[0] <= 1:
            return
        if conn.vendor == "postgresql":
            # One statement: the rows deleted are exactly the rows summed, so a row another
            # writer adds meanwhile is neither lost nor counted twice.
            cursor.execute(
                "WITH gone AS (DELETE FROM tracker_claimtally RETURNING n)"
                " INSERT INTO tracker_claimtally (n) SELECT SUM(n) FROM gone HAVING SUM(n) <> 0"
            )
            return
        # SQLite: this transaction holds the database's write lock from its start.
        cursor.execute("SELECT COALESCE(SUM(n), 0) FROM tracker_claimtally")
        total = cursor.fetchone()[0]
        cursor.execute("DELETE FROM tracker_claimtally")
        if total:
            cursor.execute("INSERT INTO tracker_claimtally (n) VALUES (%s)", [total])


def recount(cursor) -> None:
    """The total from the claims themselves (recount() calls it inside its transaction)."""
    cursor.execute("DELETE FROM tracker_claimtally")
    cursor.execute(
        "INSERT INTO tracker_claimtally (n) SELECT COUNT(*) FROM tracker_claim HAVING COUNT(*) > 0"
    )


def _count(n: int, using: str) -> None:
    ClaimTally.objects.using(using).create(n=n)
    transaction.on_commit(lambda: fold(using=using), using, robust=True)


def _claim_saved(sender, instance: Claim, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        _count(1, kwargs.get("using") or DEFAULT_DB_ALIAS)


def _claim_deleted(sender, instance: Claim, **kwargs) -> None:
    _count(-1, kwargs.get("using") or DEFAULT_DB_ALIAS)


def connect() -> None:
    post_save.connect(_claim_saved, sender=Claim, dispatch_uid="counters-claims-total-save")
    post_delete.connect(_claim_deleted, sender=Claim, dispatch_uid="counters-claims-total-delete")
