"""The one set of filters that the claim list, the matrix, the exports and the API all share.

Filters apply to attributions, so that "actor=russia&stance=denies" means one attribution that
is both Russia's and a denial, not a claim that Russia spoke about and somebody denied. The
claim list shows the claims with at least one matching attribution.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from articles.models import Outlet
from tracker.caching import cache_key, cached
from tracker.credibility import contradicted
from tracker.models import (
    Actor,
    ActorKind,
    Anonymity,
    Attribution,
    Claim,
    ClaimStatus,
    SourceKind,
    Stance,
)
from tracker.querysets import expand_stances

STANCE_CHOICES = [*Stance.choices, ("responses", "Any response (denied, declined, no response)")]

# The parameters that select data (everything else on the URL is presentation: sort, cursor...).
FILTER_PARAMS = (
    "actor",
    "actor_exact",
    "stance",
    "anonymity",
    "outlet",
    "article",
    "status",
    "date_from",
    "date_to",
    "q",
    "contradicted_denials",
)


class StrictBooleanField(forms.NullBooleanField):
    """1/0/true/false, or an error naming the value (the stock field reads junk as unset)."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        lowered = str(value).strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise forms.ValidationError(f"{value!r} is not 1 or 0.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class ActorField(forms.ModelChoiceField):
    """An actor by slug, with the ids of its sub-tree, looked up together and cached.

    The ids go into the queries as a literal list: PostgreSQL's planner cannot estimate a
    `path LIKE '/1/%'` sub-select (it guessed 2 rows for 71 and chose plans a thousand times
    slower), but it estimates `actor_id IN (...)` well. The lookup is cached under the data
    version, so on a warm cache an actor filter costs no query of its own.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = cached(
            f"actor-subtree:{cache_key('slug', [('slug', value)])}", lambda: _subtree(value)
        )
        if found is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        pk, slug, name, path, subtree_ids = found
        actor = Actor(pk=pk, slug=slug, name=name, path=path)
        actor.subtree_ids = subtree_ids
        return actor


def _subtree(slug: str) -> tuple | None:
    """(pk, slug, name, path, [ids of the actor and everything under it]) in one query."""
    root_path = Actor.objects.filter(slug=slug).values("path")[:1]
    rows = list(
        Actor.objects.filter(path__startswith=Subquery(root_path)).values_list(
            "pk", "slug", "name", "path"
        )
    )
    actor = next((row for row in rows if row[1] == slug), None)
    return None if actor is None else (*actor, [row[0] for row in rows])


class ActorFilter(django_filters.ModelChoiceFilter):
    field_class = ActorField


class AttributionFilterSet(django_filters.FilterSet):
    actor = ActorFilter(
        queryset=Actor.objects.only("pk", "slug", "path", "name"),
        to_field_name="slug",
        method="filter_actor",
        label="Actor (with its sub-actors)",
        error_messages={"invalid_choice": "There is no actor with the slug %(value)s."},
    )
    actor_exact = StrictBooleanFilter(method="filter_nothing", label="This actor alone")
    stance = django_filters.MultipleChoiceFilter(
        choices=STANCE_CHOICES, method="filter_stance", label="Stance"
    )
    anonymity = django_filters.ChoiceFilter(choices=Anonymity.choices, label="Anonymity")
    outlet = django_filters.ModelChoiceFilter(
        queryset=Outlet.objects.only("pk", "slug", "name"),
        to_field_name="slug",
        field_name="article__outlet",
        label="Outlet",
        error_messages={"invalid_choice": "There is no outlet with the slug %(value)s."},
    )
    article = django_filters.NumberFilter(field_name="article_id", label="Article id")
    status = django_filters.ChoiceFilter(
        field_name="claim__status", choices=ClaimStatus.choices, label="Claim status"
    )
    date_from = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="gte", label="Published from"
    )
    date_to = django_filters.DateFilter(
        field_name="article__published_on", lookup_expr="lte", label="Published until"
    )
    q = django_filters.CharFilter(method="filter_q", label="Search claims and quotes")
    contradicted_denials = StrictBooleanFilter(
        method="filter_contradicted",
        label="Denials later contradicted (and assertions later refuted)",
    )

    class Meta:
        model = Attribution
        fields: list[str] = []

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_actor

    def filter_actor(self, queryset: QuerySet, name: str, actor: Actor) -> QuerySet:
        exact = bool(self.form.cleaned_data.get("actor_exact"))
        ids = [actor.pk] if exact else actor.subtree_ids
        return queryset.filter(source__actor_id__in=ids)

    def filter_stance(self, queryset: QuerySet, name: str, stances: list[str]) -> QuerySet:
        return queryset.filter(stance__in=expand_stances(stances)) if stances else queryset

    def filter_q(self, queryset: QuerySet, name: str, text: str) -> QuerySet:
        text = text.strip()
        if not text:
            return queryset
        return queryset.filter(claim__in=Claim.objects.search(text).values("pk"))

    def filter_contradicted(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # 1: denials of claims since confirmed or mostly true, assertions of claims since refuted
        # or mostly false. 0 asks for nothing in particular.
        return queryset.filter(contradicted()) if value else queryset

    @property
    def is_filtered(self) -> bool:
        return any(self.form.cleaned_data.get(name) not in (None, "", []) for name in FILTER_PARAMS)

    def claims(self) -> QuerySet[Claim]:
        """The claims with at least one matching attribution (all claims when nothing is asked)."""
        if not self.is_filtered:
            return Claim.objects.all()
        return Claim.objects.filter(Exists(self.qs.filter(claim=OuterRef("pk"))))

    def error_messages(self) -> list[tuple[str, str]]:
        """(parameter, message) for every bad parameter, for a 400 that names them."""
        return [
            (name, " ".join(str(message) for message in messages))
            for name, messages in self.form.errors.items()
        ]


# -- Track records: the /credibility/ page and /api/track-records/ --------------------------

# One `kind` parameter for both lists: a source kind, an actor kind, or "person" (both).
RANKING_KINDS = [
    *SourceKind.choices,
    *[(value, label) for value, label in ActorKind.choices if value not in SourceKind.values],
]


class RankingForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *RANKING_KINDS], required=False)
    actor = forms.ModelChoiceField(
        queryset=Actor.objects.only("pk", "slug", "name", "path"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "There is no actor with the slug %(value)s."},
    )
