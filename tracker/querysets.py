"""The questions analysts ask, as QuerySet methods: by actor, responses, anonymity."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, F, Lookup, OuterRef
from django.db.models.expressions import RawSQL

from articles.namekeys import NameKeyedQuerySet
from tracker import search
from tracker.choices import (
    NOT_PEOPLE,
    RESPONSES,
    Anonymity,
    SourceKind,
    SourceTie,
    Stance,
    expand_stances,
)


class ActorLike(Protocol):
    """What the queries need of an actor: its key and its stored path (models.Actor has both)."""

    pk: int
    path: str

    @property
    def ancestor_ids(self) -> list[int]: ...


class ActorQuerySet(NameKeyedQuerySet):
    def subtree(self, actor: ActorLike | str, *, include_self: bool = True) -> ActorQuerySet:
        """The actor and everything under it, as one indexed prefix query on the stored path.

        Given a slug, the actor's path is read by a sub-select of the same query (no row when
        there is no such actor).
        """
        if isinstance(actor, str):
            path = self.model._default_manager.filter(slug=actor).order_by().values("path")[:1]
            qs = self.filter(path__startswith=models.Subquery(path))
            return qs if include_self else qs.exclude(slug=actor)
        qs = self.filter(path__startswith=actor.path)
        return qs if include_self else qs.exclude(pk=actor.pk)

    def ancestors_of(self, actor: ActorLike) -> ActorQuerySet:
        return self.filter(pk__in=actor.ancestor_ids)

    def roots(self) -> ActorQuerySet:
        return self.filter(parent__isnull=True)

    def most_cited(self) -> ActorQuerySet:
        """Actors by how many attributions their own sources speaking for them have, most first.

        Read from the counts kept per actor and stance (tracker/counters.py): one GROUP BY over
        a few rows per actor, not over every attribution.
        """
        return (
            self.annotate(
                citations=models.Sum(
                    "stance_counts__own",
                    filter=models.Q(stance_counts__tie=SourceTie.SPEAKS_FOR),
                )
            )
            .filter(citations__gt=0)
            .order_by("-citations", "name")
        )


def _actor_ids(actor: ActorLike, include_children: bool) -> models.QuerySet | list[int]:
    if not include_children:
        return [actor.pk]
    return ActorQuerySet(_actor_model(actor)).subtree(actor).values("pk")


def _actor_model(actor: ActorLike) -> type[models.Model]:
    return type(actor)  # type: ignore[return-value]


def spoken_for(
    actor_ids: models.QuerySet | Iterable[int], *, affiliated: bool = False, via: str = "source__"
) -> models.Q:
    """The one rule of whose words are an actor's: sources that speak for one of these actors
    (the state, a ministry, its spokesman); with `affiliated`, also those that only belong to
    one (a member, a former member, an employee, an academic). `via` leads to the source."""
    ids = actor_ids if isinstance(actor_ids, models.QuerySet) else list(actor_ids)
    condition = models.Q(**{f"{via}actor_id__in": ids})
    if not affiliated:
        condition &= models.Q(**{f"{via}tie": SourceTie.SPEAKS_FOR})
    return condition


class AmongSelected(Lookup):
    """A column's value is among the ids a subquery selects, the subquery run once.

    PostgreSQL gets `column = ANY(ARRAY(subquery))`: the array is read first, and each of its
    ids becomes an index condition. (As a join or an IN, the planner weighed the ids it
    expected and, for a DISTINCT with a LIMIT, walked the whole table in the column's order
    looking each row up.) SQLite gets `column IN (subquery)`, which it reads first as well.
    """

    lookup_name = "among_selected"
    prepare_rhs = False

    def __init__(self, column: str, rows: models.QuerySet) -> None:
        super().__init__(F(column), rows)

    # (the stubs type parameters as numbers and strings; the subquery's are those)
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.lhs)
        rows, row_params = compiler.compile(self.rhs)
        rows = rows if rows.startswith("(") else f"({rows})"
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{rows})", [*params, *row_params]
        return f"{column} IN {rows}", [*params, *row_params]


class SourceQuerySet(models.QuerySet):
    def by_actor(
        self, actor: ActorLike, *, include_children: bool = True, affiliated: bool = False
    ) -> SourceQuerySet:
        """The sources that speak for the actor (with those that belong to it: `affiliated`)."""
        ids = _actor_ids(actor, include_children)
        return self.filter(spoken_for(ids, affiliated=affiliated, via=""))


class AttributionQuerySet(models.QuerySet):
    def for_list(self) -> AttributionQuerySet:
        """Everything a row of attributions shows, in one query (the body stays unloaded)."""
        return self.select_related(
            "claim", "source", "source__actor", "article", "article__outlet"
        ).defer("article__body")

    def by_actor(
        self, actor: ActorLike, *, include_children: bool = True, affiliated: bool = False
    ) -> AttributionQuerySet:
        """Attributions to sources that speak for the actor (and, by default, its sub-actors);
        with `affiliated`, to those that only belong to it as well."""
        ids = _actor_ids(actor, include_children)
        return self.filter(spoken_for(ids, affiliated=affiliated))

    def with_stance(self, *stances: str) -> AttributionQuerySet:
        return self.filter(stance__in=expand_stances(stances))

    def responses(self) -> AttributionQuerySet:
        """Denials, refusals to comment and non-responses: what a source did when asked."""
        return self.filter(stance__in=RESPONSES)

    def assertions(self) -> AttributionQuerySet:
        return self.filter(stance=Stance.ASSERTS)

    def by_anonymity(self, anonymity: str) -> AttributionQuerySet:
        return self.filter(anonymity=anonymity)

    def anonymous(self) -> AttributionQuerySet:
        return self.by_anonymity(Anonymity.ANONYMOUS)

    def named(self) -> AttributionQuerySet:
        return self.by_anonymity(Anonymity.NAMED)

    def unattributed(self) -> AttributionQuerySet:
        return self.by_anonymity(Anonymity.UNATTRIBUTED)

    def stance_counts(self) -> dict[str, int]:
        """How many attributions have each stance (stances with none are left out): one GROUP BY."""
        # order_by() drops the model's ordering, which would otherwise join the GROUP BY.
        rows = self.order_by().values("stance").annotate(n=models.Count("pk"))
        return {row["stance"]: row["n"] for row in rows}

    def newest_of_stance(self, stance: str, limit: int) -> AttributionQuerySet:
        """The newest `limit` attributions of one stance: a LIMIT the database stops at early
        (a window over every row ranked them all to keep a few)."""
        return self.filter(stance=stance).order_by("-article__published_on", "-pk")[:limit]

    def newest_by_stance(
        self, actor: ActorLike, *, stances: Iterable[str], affiliated: bool = False, limit: int
    ) -> dict[str, list]:
        """For each stance, the newest `limit` attributions that count for the actor and its
        sub-tree (the rule of spoken_for), as for_list() loads them: newest first, and within
        a day the last recorded first. One query, whatever the sub-tree's size: the ids come
        from the kept actor reach rows (tracker/counters/reach.py), one index range read up to
        a LIMIT per stance and tie, where ordering the sub-tree's rows by their articles' dates
        sorted them all."""
        stances = list(stances)
        ties = [SourceTie.SPEAKS_FOR, *([SourceTie.BELONGS_TO] if affiliated else [])]
        reach = self.model._meta.get_field("reach").related_model
        assert reach is not None  # a reverse relation always has a model at the other end
        connection = connections[self.db]
        parts, params = [], []
        for i, (stance, tie) in enumerate((stance, tie) for stance in stances for tie in ties):
            newest = (
                reach._default_manager.filter(actor_id=actor.pk, stance=stance, tie=tie)
                .order_by("-published_on", "-attribution_id")
                .values_list("attribution_id")[:limit]
            )
            sql, part_params = newest.query.get_compiler(connection=connection).as_sql()
            parts.append(f"SELECT * FROM ({sql}) AS newest_{i}")
            params.extend(part_params)
        rows = self.for_list().filter(pk__in=RawSQL(" UNION ALL ".join(parts), params)).order_by()
        found: dict[str, list] = {stance: [] for stance in stances}
        for row in sorted(rows, key=lambda row: (row.article.published_on, row.pk), reverse=True):
            if len(found[row.stance]) < limit:
                found[row.stance].append(row)
        return found


# From this many claims about an actor on, its newest are found by walking the claims in order.
WALK_FROM = 2000


class ClaimQuerySet(models.QuerySet):
    def _attributions(self) -> models.QuerySet:
        # The related model, reached through the relation: this module imports no model.
        related = self.model._meta.get_field("attributions").related_model
        assert related is not None  # a reverse relation always has a model at the other end
        return related._default_manager.all()

    def _with_attribution(self, **conditions) -> ClaimQuerySet:
        return self.filter(Exists(self._attributions().filter(claim=OuterRef("pk"), **conditions)))

    def by_actor(
        self,
        actor: ActorLike,
        *,
        include_children: bool = True,
        stances: Iterable[str] | None = None,
        affiliated: bool = False,
    ) -> ClaimQuerySet:
        """Claims that the actor's sources (and its sub-actors' by default) spoke about: those
        speaking for it, and with `affiliated` those belonging to it."""
        ids = _actor_ids(actor, include_children)
        attributions = self._attributions().filter(
            spoken_for(ids, affiliated=affiliated), claim=OuterRef("pk")
        )
        if stances:
            attributions = attributions.filter(stance__in=expand_stances(stances))
        return self.filter(Exists(attributions))

    def about(self, actor: ActorLike, *, include_children: bool = True) -> ClaimQuerySet:
        return self.filter(about__in=_actor_ids(actor, include_children)).distinct()

    def newest_about(self, actor_ids: list[int], limit: int) -> list:
        """The newest `limit` claims about any of the actors (a literal list: planners count it
        well), in the claims' own order. Two queries: how many links there are, read no further
        than WALK_FROM; then, for an actor many claims are about, the newest claims walked in
        order until `limit` of them are about it (stopping early), and for one few are about,
        those few read and sorted (a walk would pass every claim)."""
        field = self.model._meta.get_field("about")
        assert isinstance(field, models.ManyToManyField)  # the claim's actors it is about
        through = field.remote_field.through
        assert through is not None  # Django makes one where none is named
        links = through._default_manager.filter(actor_id__in=actor_ids)
        if links[:WALK_FROM].count() < WALK_FROM:
            return list(self.filter(pk__in=links.values("claim_id"))[:limit])
        return list(self.filter(Exists(links.filter(claim_id=OuterRef("pk"))))[:limit])

    def search(self, text: str) -> ClaimQuerySet:
        """Claims where every term of the text matches somewhere: the claim's text, its quotes
        and wordings, its sources' names, their actors' names and aliases (with the actors
        above them), its articles' titles. The rules, and the indexes behind them on each
        database, are in tracker/search.py; a text with no word in it finds nothing."""
        found = search.terms(text)
        if not found:
            return self.none()
        sql, params = search.claim_ids_sql(connections[self.db].vendor, found)
        return self.filter(pk__in=RawSQL(sql, params))

    def search_ids(self, text: str, *, limit: int) -> list[int]:
        """The ids of at most `limit` claims that search(text) finds (in no order): one query,
        on the search indexes alone."""
        found = search.terms(text)
        if not found:
            return []
        connection = connections[self.db]
        sql, params = search.claim_ids_sql(connection.vendor, found)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s", [*params, limit])
            return [pk for (pk,) in cursor.fetchall()]

    def responses(self) -> ClaimQuerySet:
        """Claims with at least one denial, refusal to comment or non-response."""
        return self._with_attribution(stance__in=RESPONSES)

    def newest_first(self) -> ClaimQuerySet:
        """Newest first reported first; within a day, in the order recorded (an article's order)."""
        return self.order_by(models.F("first_reported_on").desc(nulls_last=True), "pk")


def summarize_sourcing(attributions: Iterable[Any]) -> dict[str, int]:
    """How well a claim is sourced, from its attributions read with their sources (the claim
    page shows them all, so no query of its own).

    Who spoke to the claim (asserted or denied it: `spoke`) is counted apart from who was
    asked and did not answer (declined or did not respond: `asked`). people counts the
    people who asserted or denied it, as the wording stands for them ("five sources" is 5),
    leaving out documents and unattributed statements, which are nobody; `unspecified`
    counts their attributions to an unspecified number ("some experts"), each at least two
    people, so that `people_at_least` is what the text allows one to say for sure.
    `only_anonymous` says that every assertion rests on anonymous sources.
    """
    rows = list(attributions)
    spoke = {Stance.ASSERTS, Stance.DENIES}
    people = [
        a
        for a in rows
        if a.stance in spoke
        and a.anonymity != Anonymity.UNATTRIBUTED
        and a.source.kind not in NOT_PEOPLE
    ]

    def count(test) -> int:
        return sum(1 for a in rows if test(a))

    summary = {
        "attributions": len(rows),
        "sources": len({a.source_id for a in rows}),
        "named": count(lambda a: a.anonymity == Anonymity.NAMED),
        "anonymous": count(lambda a: a.anonymity == Anonymity.ANONYMOUS),
        "on_record": count(lambda a: a.anonymity == Anonymity.ON_RECORD),
        "unattributed": count(lambda a: a.anonymity == Anonymity.UNATTRIBUTED),
        "people": sum(a.count for a in people if a.count is not None),
        "unspecified": sum(1 for a in people if a.count is None),
        "documents": count(lambda a: a.source.kind == SourceKind.DOCUMENT),
        "asserts": count(lambda a: a.stance == Stance.ASSERTS),
        "denies": count(lambda a: a.stance == Stance.DENIES),
        "declined": count(lambda a: a.stance == Stance.DECLINED),
        "no_response": count(lambda a: a.stance == Stance.NO_RESPONSE),
        "responses": count(lambda a: a.stance in RESPONSES),
        "spoke": count(lambda a: a.stance in spoke),
        "asked": count(lambda a: a.stance in (Stance.DECLINED, Stance.NO_RESPONSE)),
        "asserts_anonymous": count(
            lambda a: a.stance == Stance.ASSERTS and a.anonymity == Anonymity.ANONYMOUS
        ),
    }
    # An unspecified number is more than one: two at least.
    summary["people_at_least"] = summary["people"] + 2 * summary["unspecified"]
    summary["only_anonymous"] = 0 < summary["asserts"] == summary["asserts_anonymous"]
    return summary
