"""Search: what a reader types in q, read into terms and matched in each entity's own index.

What is searched: a claim's text; its attributions' quotes and wordings ("five Syrian opposition
sources"); the names of the sources they cite; the names and aliases of those sources' actors and
of the actors above them ("Moscow", an alias of Russia, finds what the Russian Defence Ministry
said); the titles of the articles that carry it.

The rule, the same on both databases: q is read into terms, a word or a "quoted phrase" each; a
claim matches when every term matches somewhere among those fields (each term may match in a
different one); a term written -word or -"phrase" must match nowhere. Words are stemmed (English:
mercenary finds mercenaries) and accents fold (Pelé finds Pele). Terms made only of common words
("the", "of") are left out, as PostgreSQL's English dictionary leaves them out; a q with no word
at all ("*", "--") finds nothing.

Each entity keeps its own index, so an edit to an alias or a source's name rewrites one small
entry, never the documents of every claim it touches:
- PostgreSQL: the claim's stored vector (kept by a trigger, migration 0003) and GIN indexes on
  expressions over the other tables (migration 0009_search_entities), one text search
  configuration, `tracker_search`: English stemming after unaccent.
- SQLite: FTS5 tables over the same columns (porter stemming, unicode61 without diacritics), kept
  by triggers in the writer's transaction. Django remakes a table to alter it on SQLite and drops
  its triggers with it: `ensure_sqlite_index`, run after every migrate, puts back any missing ones
  and rebuilds what they missed.
User text never reaches SQL as syntax: each term's words are the letters and digits of what was
typed, sent as a parameter, and on SQLite written as one quoted FTS5 phrase.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup

# At most this many terms are read from q (a longer q is refused by the filter with a message).
MAX_TERMS = 12
# PostgreSQL's english.stop: a term of these words alone is left out on both databases.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()  # noqa: SIM905
)
CONFIG = "tracker_search"  # the PostgreSQL text search configuration (migration 0009)

# Typographic quotes, as phones and word processors type them, read as straight quotes.
_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"})
# A chunk of q: an optional minus, then a "quoted phrase" (to the end if unclosed) or a run of
# anything else up to a space or a quote.
_CHUNK = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# The letters and digits of a chunk: its words (what unicode61 and PostgreSQL's parser keep).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One word, or the words of a phrase (which must stand together, in order)."""

    words: tuple[str, ...]
    exclude: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def fts5(self) -> str:
        """The term as one FTS5 phrase: quoted, so no operator or column filter is read in it."""
        return '"' + self.text.replace('"', '""') + '"'


def terms(text: str, *, cap: int | None = MAX_TERMS) -> list[Term]:
    """The terms of q, in order, the first `cap`; terms of stop words alone left out."""
    text = unicodedata.normalize("NFC", text.replace("\x00", " ")).translate(_QUOTES)
    found: list[Term] = []
    for minus, phrase, bare in _CHUNK.findall(text):
        words = tuple(word.lower() for word in _WORD.findall(phrase or bare))
        if not words or all(word in STOP_WORDS for word in words):
            continue
        # A minus alone before a space, or inside a word ("al-Assad"), is not an exclusion.
        found.append(Term(words, exclude=bool(minus)))
    return found if cap is None else found[:cap]


# -- The claims a term matches, as one SQL statement per database ----------------------------

# {claim}, {attribution}, ... are each entity's condition for the term; each takes the term as
# one parameter. A source matches by its name, or by its actor: a matching actor brings the
# actors under it (ActorQuerySet.subtree's sub-tree, walked here by parent from every matching
# actor at once, so that a word many actors share costs what their sub-trees hold, not a prefix
# test of every actor against every match).
_ACTORS_SQL = """
    WITH RECURSIVE below(id) AS (
      SELECT t.id FROM tracker_actor t WHERE {actor}
      UNION SELECT l.actor_id FROM tracker_actoralias l WHERE {alias}
      UNION SELECT child.id FROM tracker_actor child JOIN below ON child.parent_id = below.id
    ) SELECT id FROM below"""
_TERM_SQL = {
    # SQLite walks each IN list by its index.
    "sqlite": """
SELECT c.id FROM tracker_claim c WHERE {claim}
UNION SELECT a.claim_id FROM tracker_attribution a WHERE {attribution}
UNION SELECT a.claim_id FROM tracker_attribution a WHERE a.article_id IN (
  SELECT r.id FROM articles_article r WHERE {article})
UNION SELECT a.claim_id FROM tracker_attribution a WHERE a.source_id IN (
  SELECT s.id FROM tracker_source s WHERE {source}
  UNION SELECT s.id FROM tracker_source s WHERE s.actor_id IN ({actors}))
""",
    # PostgreSQL reads the attributions once: the articles' and sources' ids become arrays
    # first (ARRAY(...) runs once), each an index condition, or-ed with the text's GIN index
    # in one bitmap. (As IN lists, the planner guessed their sizes badly and read every
    # attribution, once per arm.)
    "postgresql": """
SELECT c.id FROM tracker_claim c WHERE {claim}
UNION SELECT a.claim_id FROM tracker_attribution a WHERE {attribution}
  OR a.article_id = ANY(ARRAY(SELECT r.id FROM articles_article r WHERE {article}))
  OR a.source_id = ANY(ARRAY(
    SELECT s.id FROM tracker_source s WHERE {source}
    UNION SELECT s.id FROM tracker_source s WHERE s.actor_id IN ({actors})))
""",
}

# The alias each entity has in _TERM_SQL, and its searched columns.
ENTITIES = {
    "claim": ("c", ("text",)),
    "attribution": ("a", ("quote", "wording")),
    "article": ("r", ("title",)),
    "source": ("s", ("name",)),
    "actor": ("t", ("name",)),
    "alias": ("l", ("name",)),
}
# SQLite's FTS5 tables: entity -> (its FTS5 table, the table it indexes).
FTS5_TABLES = {
    "claim": ("tracker_search_claim", "tracker_claim"),
    "attribution": ("tracker_search_attribution", "tracker_attribution"),
    "article": ("tracker_search_article", "articles_article"),
    "source": ("tracker_search_source", "tracker_source"),
    "actor": ("tracker_search_actor", "tracker_actor"),
    "alias": ("tracker_search_alias", "tracker_actoralias"),
}


def tsvector_sql(entity: str, alias: str = "") -> str:
    """The tsvector of an entity on PostgreSQL: the claim's stored one, else the expression
    that the entity's GIN index is on (a query must spell it the same to use the index)."""
    prefix = f"{alias}." if alias else ""
    if entity == "claim":
        return f"{prefix}search_vector"
    text = " || ' ' || ".join(f"{prefix}{column}" for column in ENTITIES[entity][1])
    return f"to_tsvector('{CONFIG}'::regconfig, {text})"


def _condition(vendor: str, entity: str) -> str:
    alias = ENTITIES[entity][0]
    if vendor == "postgresql":
        return f"{tsvector_sql(entity, alias)} @@ phraseto_tsquery('{CONFIG}'::regconfig, %s)"
    table = FTS5_TABLES[entity][0]
    return f"{alias}.id IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"


def term_sql(vendor: str, term: Term) -> tuple[str, list[str]]:
    """The ids of the claims that a term matches somewhere, as SQL and its parameters."""
    template = _TERM_SQL["postgresql" if vendor == "postgresql" else "sqlite"]
    conditions = {entity: _condition(vendor, entity) for entity in ENTITIES}
    sql = template.format(actors=_ACTORS_SQL.format(**conditions), **conditions)
    value = term.text if vendor == "postgresql" else term.fts5
    return sql, [value] * len(ENTITIES)


# A list of ids up to this long goes to SQLite as the parameters of an IN list (its planner
# walks them by index; its limit is 32,766 parameters), to PostgreSQL as an array to semi-join;
# a longer one as one JSON list to SQLite, as an array compared row by row to PostgreSQL (where
# the claim list walks the claims in page order, a semi-join per claim was far slower).
SHORT_ID_LIST = 10_000


class AmongIds(Lookup):
    """A column's value is among a list of ids: a search's claim ids, read once, go back into
    the count, the facets and the page without running the search again. PostgreSQL gets one
    array, SQLite an IN list (see SHORT_ID_LIST). A lookup, not a function, so
    that a filter uses it as it is (a function would be compared with true, which no index
    serves)."""

    lookup_name = "among_ids"
    prepare_rhs = False

    def __init__(self, column: str, ids: list[int], *, tested: bool = False) -> None:
        super().__init__(F(column), [int(pk) for pk in ids])
        self.ids: list[int] = self.rhs
        # Only tested on rows read in another order (the claims walked in page order), never
        # the way to read them: SQLite otherwise reads the ids' rows first and sorts them all.
        self.tested = tested

    # (the stubs type parameters as numbers and strings; an array is one parameter here)
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.lhs)
        if connection.vendor == "sqlite" and self.tested:
            column = f"+{column}"  # (SQLite's way to say "not by an index")
        if connection.vendor == "postgresql" and len(self.ids) > SHORT_ID_LIST:
            return f"{column} = ANY(%s::bigint[])", [*params, self.ids]
        if connection.vendor == "postgresql":
            # A semi-join: beside another id list on the same column (the page's claims, when
            # their attributions are read) an index probes the short list and the long one is
            # hashed; as two arrays, the planner probed both, or read the whole table.
            return f"{column} IN (SELECT unnest(%s::bigint[]))", [*params, self.ids]
        if connection.vendor == "sqlite" and len(self.ids) > SHORT_ID_LIST:
            return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]
        if not self.ids:
            return "1 = 0", list(params)
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]


def claim_ids_sql(vendor: str, found: list[Term]) -> tuple[str, list[str]]:
    """The ids of the claims every term matches and no excluded term does, as SQL (a compound
    of the terms' statements, read from the indexes alone: no walk of the claims)."""
    parts: dict[bool, list[str]] = {False: [], True: []}
    params: dict[bool, list[str]] = {False: [], True: []}
    for index, term in enumerate(found):
        sql, term_params = term_sql(vendor, term)
        parts[term.exclude].append(f"SELECT id FROM ({sql}) AS t{index}")
        params[term.exclude].extend(term_params)
    # INTERSECT binds tighter than EXCEPT on PostgreSQL; SQLite reads left to right: the same.
    sql = " INTERSECT ".join(parts[False]) or "SELECT id FROM tracker_claim"
    for part in parts[True]:
        sql += f" EXCEPT {part}"
    return sql, params[False] + params[True]


# -- SQLite: the FTS5 tables and their triggers ----------------------------------------------


def _triggers(entity: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the three triggers that keep an FTS5 table in step."""
    fts, table = FTS5_TABLES[entity]
    columns = ENTITIES[entity][1]
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    return [
        (f"{fts}_ai", f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END"),
        (f"{fts}_ad", f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END"),
        (
            f"{fts}_au",
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {names} ON {table} "
            f"BEGIN {delete} {insert} END",
        ),
    ]


def create_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    """The FTS5 tables, filled from their tables, and their triggers (migration 0009)."""
    with connection.cursor() as cursor:
        for entity, (fts, table) in FTS5_TABLES.items():
            columns = ENTITIES[entity][1]
            cursor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, content='{table}', "
                "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            for _, create in _triggers(entity):
                cursor.execute(create)


def drop_sqlite_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for entity, (fts, _) in FTS5_TABLES.items():
            for name, _ in _triggers(entity):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {fts}")


def ensure_sqlite_index(connection: BaseDatabaseWrapper) -> list[str]:
    """Put back the triggers a table remake dropped, and rebuild those FTS5 tables.

    Returns the FTS5 tables rebuilt. Does nothing where the tables are not (yet) there.
    """
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {(kind, name) for kind, name in cursor.fetchall()}
        rebuilt = []
        for entity, (fts, table) in FTS5_TABLES.items():
            if ("table", fts) not in present or ("table", table) not in present:
                continue
            missing = [
                create for name, create in _triggers(entity) if ("trigger", name) not in present
            ]
            if not missing:
                continue
            for create in missing:
                cursor.execute(create)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            rebuilt.append(fts)
    return rebuilt
