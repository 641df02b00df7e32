"""Admin parts shared by every model admin: capped counts, preloaded autocompletes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    ForeignKey,
    IntegerField,
    Manager,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.forms import ModelChoiceField, ModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.functional import cached_property

# What ChoiceWidget.optgroups returns: (group name, options, index) for each group.
Optgroups = list[tuple[str | None, list[dict[str, Any]], int | None]]


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows: a changelist over millions never runs a full COUNT.

    Past the cap the count stops, the page links end there (a search or filter narrows it
    down) and the changelist says "more than" (templates/admin/pagination.html).
    """

    cap = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        # Only the rows' keys are counted: no ordering, no per-row annotations. The admin's
        # changelist pages a QuerySet, never a list (the stubs type any sliceable sequence).
        rows = cast("QuerySet[Any]", self.object_list)
        counted = rows.order_by().values("pk")[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def count_of(queryset: QuerySet[Any] | Manager[Any], field: str) -> Coalesce:
    """A correlated COUNT for the displayed rows only (a page), not a GROUP BY of the table.

    `queryset` is the rows to count (a QuerySet or a model's manager), `field` their foreign key
    to the displayed model."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class KnownAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that renders its selected option from the row already loaded.

    The stock widget runs one query per widget to label the selected value: in an inline of
    fifty attributions that is a hundred queries. The formset below hands each widget the
    related object its row was loaded with (select_related), so a change form costs the same
    number of queries however many attributions it shows.
    """

    known: dict[str, object] | None = None

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> Optgroups:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(self.known[key])
            options.append(self.create_option(name, key, label, True, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsFormSet(BaseInlineFormSet):
    def add_fields(self, form: ModelForm[Any], index: int | None) -> None:
        # Formsets call add_fields once per form, with the form's instance (the row loaded
        # with its relations) already in place: the public hook to reach every form.
        super().add_fields(form, index)
        instance = form.instance
        if instance.pk is None:
            return
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, KnownAutocompleteSelect):
                continue
            model_field = instance._meta.get_field(name)
            # Only a foreign key caches its row; a widget on anything else keeps its own query.
            if isinstance(model_field, ForeignKey) and model_field.is_cached(instance):
                related = model_field.get_cached_value(instance)
                if related is not None:
                    widget.known = {str(related.pk): related}


class KnownAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """KnownAutocompleteSelect for a multiple choice: labels from the rows the form was given."""

    known: dict[str, object] | None = None

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> Optgroups:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        label = self.choices.field.label_from_instance
        options = [
            self.create_option(name, key, label(self.known[key]), True, index)
            for index, key in enumerate(sorted(selected))
        ]
        return [(None, options, 0)]


class PreloadedAutocompleteInline(InlineModelAdmin):
    """An inline whose autocompletes label their selected rows from the rows already loaded.

    Listed before StackedInline or TabularInline in an inline's bases."""

    formset = PreloadedRelationsFormSet

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = KnownAutocompleteSelect
        return field
