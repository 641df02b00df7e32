"""The one set of filters that the claim list, the matrix, the exports and the API all share.

Filters apply to attributions, so that "actor=russia&stance=denies" means one attribution that
is both Russia's and a denial, not a claim that Russia spoke about and somebody denied. The
claim list shows the claims with at least one matching attribution.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet

from articles.models import Outlet
from tracker.models import Actor, Anonymity, Attribution, Claim, ClaimStatus, Stance
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


class AttributionFilterSet(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
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

    class Meta:
        model = Attribution
        fields: list[str] = []

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_actor

    def filter_actor(self, queryset: QuerySet, name: str, actor: Actor) -> QuerySet:
        exact = bool(self.form.cleaned_data.get("actor_exact"))
        return queryset.by_actor(actor, include_children=not exact)

    def filter_stance(self, queryset: QuerySet, name: str, stances: list[str]) -> QuerySet:
        return queryset.filter(stance__in=expand_stances(stances)) if stances else queryset

    def filter_q(self, queryset: QuerySet, name: str, text: str) -> QuerySet:
        text = text.strip()
        if not text:
            return queryset
        return queryset.filter(claim__in=Claim.objects.search(text).values("pk"))

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
