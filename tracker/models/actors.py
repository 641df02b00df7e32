"""Who speaks and who is spoken of: actors (nested, with aliases) and the sources cited."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.models import HistoricalRecords

from articles.links import detail_url
from articles.namekeys import NameKeyed, NameKeyedQuerySet, NameWord, word_rows
from articles.slugs import unique_slug
from tracker.choices import ActorKind, Anonymity, SourceKind, SourceTie
from tracker.querysets import ActorQuerySet, SourceQuerySet


class Actor(NameKeyed):
    """An entity analysts filter by; actors nest (ministry -> government -> state)."""

    Kind = ActorKind
    SPELLED_BY = ("name", "slug")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=Kind, default=Kind.OTHER)
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. RU, TR."
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, help_text="e.g. Q159 for Russia."
    )
    description = models.TextField(blank=True)
    # The ids from the root down to this actor, "/1/7/42/": a whole sub-tree is one indexed
    # prefix query. Kept by save(); never edited by hand.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name_key"], name="actor_name_key")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ActorKind]), name="actor_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="actor_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="actor_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)
                self.path = self._compute_path()
                Actor.objects.filter(pk=self.pk).update(path=self.path)
                return
            # The stored path, not the one in memory: another save may have moved this actor.
            old_path = Actor.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            self.path = self._compute_path()
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def get_absolute_url(self) -> str:
        return detail_url("tracker:actor_detail", self.slug, kwarg="slug")

    def new_words(self) -> list[NameWord]:
        return word_rows(ActorWord, {"actor_id": self.pk}, self.name, self.slug)

    @classmethod
    def words_of(cls, pks: Sequence[int]) -> models.QuerySet:
        return ActorWord.objects.filter(actor_id__in=pks, alias=None)

    def clean(self) -> None:
        if self.wikidata_id:
            self.wikidata_id = self.wikidata_id.strip().upper()
        self.country = self.country.strip().upper()
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": f"{self.parent} is {self} itself or one of its sub-actors."}
                    )
                ancestor = ancestor.parent

    def _compute_path(self) -> str:
        prefix = "/"
        if self.parent_id:
            parent_path = Actor.objects.filter(pk=self.parent_id).values_list("path", flat=True)
            prefix = parent_path.get() or "/"
            if f"/{self.pk}/" in prefix:
                raise ValidationError({"parent": "An actor cannot be its own ancestor."})
        return f"{prefix}{self.pk}/"

    def _move_descendants(self, old_path: str) -> None:
        # One UPDATE rewrites the prefix of the whole sub-tree.
        Actor.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=models.functions.Concat(
                models.Value(self.path),
                models.functions.Substr("path", len(old_path) + 1),
                output_field=models.CharField(),
            )
        )

    def subtree_stance_counts(self, *, affiliated: bool = False) -> dict[str, int]:
        """Attributions to the sources speaking for this actor and the actors under it (with
        those that only belong to them when `affiliated`), by stance: read from the counts kept
        with the data (tracker/counters.py), one small query."""
        counts = self.stance_counts.order_by()
        if not affiliated:
            counts = counts.filter(tie=SourceTie.SPEAKS_FOR)
        rows = counts.values_list("stance").annotate(models.Sum("subtree"))
        return {stance: n for stance, n in rows if n}

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class ActorAlias(NameKeyed):
    """Another name the press uses for an actor ("MoD", "Moscow")."""

    SPELLED_BY = ("name", "actor")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    objects = NameKeyedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="alias_unique_per_actor")
        ]
        indexes = [
            models.Index(fields=["name"], name="alias_name"),
            models.Index(fields=["name_key"], name="alias_name_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def new_words(self) -> list[NameWord]:
        return word_rows(ActorWord, {"actor_id": self.actor_id, "alias_id": self.pk}, self.name)

    @classmethod
    def words_of(cls, pks: Sequence[int]) -> models.QuerySet:
        return ActorWord.objects.filter(alias_id__in=pks)


class ActorWord(NameWord):
    """A word key of an actor's name, slug or alias (articles/namekeys.py): what suggestions
    match. An alias's words go with the alias."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    alias = models.ForeignKey(ActorAlias, on_delete=models.CASCADE, null=True, related_name="+")


class Source(models.Model):
    """Who is cited: a person, a body, a document, an anonymous group, or nobody at all."""

    Kind = SourceKind
    Tie = SourceTie

    name = models.CharField(
        max_length=300,
        help_text='A reusable identity: "Joshua Landis", "Russian Defence Ministry", '
        '"Syrian opposition sources", "confidential UN report".',
    )
    slug = models.SlugField(max_length=150, unique=True)
    kind = models.CharField(max_length=16, choices=Kind)
    role = models.CharField(
        max_length=300, blank=True, help_text='e.g. "spokesman", "head of the Center for ..."'
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="The actor this source speaks for or belongs to, if any.",
    )
    tie = models.CharField(
        "tie to the actor",
        max_length=16,
        choices=SourceTie,
        default=SourceTie.SPEAKS_FOR,
        db_default=SourceTie.SPEAKS_FOR,
        help_text="Speaks for the actor (the state, a ministry, its spokesman): its words are "
        "the actor's own. Belongs to it (a member, a former member, an employee, an academic): "
        "its words count for the actor only when an analyst asks for affiliated sources.",
    )
    description = models.TextField(blank=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in SourceKind]), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(tie__in=[t.value for t in SourceTie]), name="source_tie_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Source, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return detail_url("tracker:source_detail", self.pk)

    @property
    def default_anonymity(self) -> str:
        by_kind: dict[str, Anonymity] = {
            self.Kind.ANONYMOUS: Anonymity.ANONYMOUS,
            self.Kind.SPOKESPERSON: Anonymity.ON_RECORD,
            self.Kind.UNATTRIBUTED: Anonymity.UNATTRIBUTED,
        }
        return by_kind.get(self.kind, Anonymity.NAMED)
