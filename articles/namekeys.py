"""Names as analysts type them: one folding for actors, their aliases and outlets, kept with each
row so that finding a row by name is an indexed equality and suggesting one an indexed prefix,
whatever the number of rows.

A name's key is the name folded: no accents, case-folded, whitespace (and - _) as one space, no
leading "the" ("The Wagner Group" -> "wagner group"). Its word keys are the key from each word on
("wagner group", "group"), kept in a word table per app (tracker.ActorWord, articles.OutletWord),
so that what is typed finds a name by the start of any of its words.

Here rather than in tracker: outlets need the same folding, and articles imports nothing from
tracker. Every write keeps the keys: save() (the admin, the seeds, scripts), and on the
querysets bulk_create(), update() and bulk_update(); raw SQL writes them itself (bench/corpus.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Self, cast

from django.db import connections, models, transaction
from django.db.models import Lookup, Q

# Long enough for any name's key (names are at most 200 characters; folding may lengthen them).
KEY_LENGTH = 300
# The words of a name from which it is found: enough for any real name, bounded for any other.
MAX_WORDS = 12
# Past every character a key can hold: `prefix <= key < prefix + TOP` is "key starts with prefix".
TOP = "\U0010ffff"

# Whitespace, - and _ are one space; so are control characters (a NUL never reaches a query).
_SPACES = re.compile(r"[\s\-_\x00-\x1f\x7f]+")


def fold(text: str) -> str:
    """The text as compared: no accents, case-folded, whitespace (and - _) as one space, no
    leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = _SPACES.sub(" ", bare.casefold()).strip()
    return folded.removeprefix("the ").strip()[:KEY_LENGTH]


def word_keys(name: str, slug: str = "") -> set[str]:
    """The name's key from each of its words on, and the slug's key whole (a slug is typed from
    its start): "The Wagner Group", "wagner" -> wagner group, group, wagner."""
    words = fold(name).split(" ")
    keys = {" ".join(words[i:]) for i in range(min(len(words), MAX_WORDS))}
    keys.add(fold(slug))
    keys.discard("")
    return keys


def slug_spellings(key: str) -> list[str]:
    """The slugs that fold to the key, as slugify() writes them (lower case, hyphens): a slug is
    a spelling too, and this finds it by the slug's unique index instead of a key of its own."""
    if not key:
        return []
    slug = key.replace(" ", "-")
    return [slug, f"the-{slug}"]


class KeyPrefix(Lookup):
    """The key starts with the value, in a way the key's B-tree index serves: a range on SQLite
    (whose LIKE is not indexed by default), a LIKE on PostgreSQL (served by the index's pattern
    operator class under any collation, where a range would follow the collation's order).
    Whatever was typed is a value, never pattern syntax."""

    lookup_name = "keyprefix"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        params = (*lhs_params, self.rhs, *lhs_params, self.rhs + TOP)
        return f"({lhs} >= %s AND {lhs} < %s)", params

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        pattern = connection.ops.prep_for_like_query(self.rhs) + "%"
        return f"{lhs} LIKE %s", (*lhs_params, pattern)


def key_field() -> models.CharField:
    return models.CharField(
        max_length=KEY_LENGTH,
        editable=False,
        default="",
        help_text="The name folded (articles/namekeys.py); kept by every write, never edited.",
    )


class NameWord(models.Model):
    """A word key of a row's names; the concrete tables say whose."""

    key = models.CharField(max_length=KEY_LENGTH)

    class Meta:
        abstract = True
        indexes = [
            # Pattern operators on PostgreSQL (LIKE 'x%', and =); a plain B-tree elsewhere.
            models.Index(
                fields=["key"],
                name="%(app_label)s_%(class)s_key",
                opclasses=["varchar_pattern_ops"],
            )
        ]


class NameKeyedQuerySet(models.QuerySet):
    """Writes that skip save() keep the keys too."""

    @property
    def _keyed(self) -> type[NameKeyed]:
        return cast("type[NameKeyed]", self.model)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.name_key = fold(obj.name)
        with transaction.atomic(using=self.db, savepoint=False):
            created: list[Any] = super().bulk_create(objs, *args, **kwargs)
            self._keyed.write_words([obj for obj in created if obj.pk is not None], fresh=True)
        return created

    def update(self, **kwargs: Any) -> int:
        # bulk_update() comes here too.
        if not set(kwargs) & set(self._keyed.SPELLED_BY):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            changed = super().update(**kwargs)
            self._keyed.rekey(pks, using=self.db)
        return changed


class NameKeyed(models.Model):
    """A row found by its name: `name_key` kept from `name`, and word rows from its spellings.

    A model says which fields its word rows come from (SPELLED_BY), makes them (new_words) and
    finds them (words_of); saving rewrites them only when one of those fields changed.
    """

    SPELLED_BY: ClassVar[Sequence[str]] = ("name",)

    name: str  # each model's own field
    name_key = key_field()

    # (name_key, spelling) as loaded or last saved; None when not known.
    _spelled: tuple[Any, ...] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not set(update_fields) & set(self.SPELLED_BY):
                super().save(*args, **kwargs)
                return
            kwargs["update_fields"] = {*update_fields, "name_key"}
        adding = self._state.adding
        unchanged = not adding and self._spelled == (self.name_key, self._spelling())
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            super().save(*args, **kwargs)
            if not unchanged:
                type(self).write_words([self], fresh=adding)
        self._spelled = (self.name_key, self._spelling())

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any, **kwargs: Any) -> Self:
        row = super().from_db(db, field_names, values, **kwargs)
        fields = {field.name for field in cls._meta.concrete_fields if field.attname in field_names}
        if {"name_key", *cls.SPELLED_BY} <= fields:
            row._spelled = (row.name_key, row._spelling())
        return row

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._spelled = None  # not known: the next save rewrites the word rows

    def new_words(self) -> list[NameWord]:
        """Its word rows, unsaved."""
        raise NotImplementedError

    @classmethod
    def words_of(cls, pks: Sequence[int]) -> models.QuerySet:
        """The stored word rows of these rows."""
        raise NotImplementedError

    def _spelling(self) -> tuple[Any, ...]:
        fields = self._meta.concrete_fields
        return tuple(getattr(self, f.attname) for f in fields if f.name in self.SPELLED_BY)

    @classmethod
    def write_words(cls, rows: Sequence[NameKeyed], *, fresh: bool = False) -> None:
        """Replace the word rows of these saved rows (`fresh`: they have none yet)."""
        if not rows:
            return
        using = rows[0]._state.db
        if not fresh:
            cls.words_of([row.pk for row in rows]).using(using).delete()
        words = [word for row in rows for word in row.new_words()]
        if words:
            type(words[0])._default_manager.using(using).bulk_create(words, batch_size=2000)

    @classmethod
    def rekey(cls, pks: Sequence[int], *, using: str | None = None) -> None:
        """Keys and word rows made again from these rows' stored names (after update())."""
        manager = cls._base_manager.using(using)
        for start in range(0, len(pks), 2000):
            rows = list(manager.filter(pk__in=pks[start : start + 2000]))
            stale = [(row.pk, fold(row.name)) for row in rows if row.name_key != fold(row.name)]
            set_keys(cls, stale, using=manager.db)
            cls.write_words(rows)


def set_keys(model: type[models.Model], keys: Sequence[tuple[int, str]], *, using: str) -> None:
    """Store these (pk, key) pairs, a thousand to a statement (a bulk_update's CASE over as many
    rows costs far more, and a statement a row means a round trip a row on PostgreSQL)."""
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    # VALUES names its columns column1, column2 on both databases.
    statement = f"UPDATE {table} SET name_key = v.column2 FROM (VALUES {{}}) AS v"
    _values(connection, f"{statement} WHERE {table}.id = v.column1", keys)


def _values(connection: Any, statement: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Run the statement, whose {} is a VALUES list, over the rows a thousand at a time."""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            row = "(" + ", ".join(["%s"] * len(chunk[0])) + ")"
            params = [value for values in chunk for value in values]
            cursor.execute(statement.format(", ".join([row] * len(chunk))), params)


def word_rows(
    word_model: type[NameWord], owner: dict[str, Any], name: str, slug: str = ""
) -> list[Any]:
    """Unsaved word rows of one row's name (and slug)."""
    return [word_model(key=key, **owner) for key in sorted(word_keys(name, slug))]


def fill_keys(
    model: type[models.Model],
    word_model: type[models.Model],
    *,
    slug: bool,
    owner: dict[str, str],
    using: str,
    batch: int = 5000,
) -> None:
    """Keys and word rows for every row of a model that has no word rows yet, in raw statements
    (the migrations see models without their methods). `slug`: whether the rows have one;
    `owner`: the word table's columns and the row's fields that fill them ({"actor_id": "pk"})."""
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in [*owner, "key"])
    insert = f"INSERT INTO {quote(word_model._meta.db_table)} ({columns}) VALUES {{}}"
    spellings = ["name", "slug"] if slug else ["name"]
    fields = list(dict.fromkeys(["pk", *spellings, *owner.values()]))
    rows = model._base_manager.using(using).order_by("pk").values_list(*fields)
    last = 0
    while True:
        chunk = [dict(zip(fields, row, strict=True)) for row in rows.filter(pk__gt=last)[:batch]]
        if not chunk:
            return
        last = chunk[-1]["pk"]
        set_keys(model, [(row["pk"], fold(row["name"])) for row in chunk], using=using)
        words = [
            (*(row[field] for field in owner.values()), key)
            for row in chunk
            for key in sorted(word_keys(*(row[name] for name in spellings)))
        ]
        _values(connection, insert, words)


def by_key(key: str, *, slug: bool = True) -> Q:
    """Rows whose name (or, with `slug`, slug) folds to the key: indexed equalities."""
    found = Q(name_key=key)
    return found | Q(slug__in=slug_spellings(key)) if slug else found
