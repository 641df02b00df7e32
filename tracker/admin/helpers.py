"""Admin parts shared by every model admin: capped counts, preloaded autocompletes."""

from __future__ import annotations

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows: a changelist over millions never runs a full COUNT.

    Past the cap the count stops, the page links end there (a search or filter narrows it
    down) and the changelist says "more than" (templates/admin/pagination.html).
    """

    cap = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        # Only the rows' keys are counted: no ordering, no per-row annotations.
        counted = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """A correlated COUNT for the displayed rows only (a page), not a GROUP BY of the table."""
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

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(selected):
            label = self.choices.field.label_from_instance(self.known[key])
            options.append(self.create_option(name, key, label, selected, len(options)))
        return [(None, options, 0)]


class PreloadedRelationsFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, KnownAutocompleteSelect) or instance.pk is None:
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_cached(instance):
                related = model_field.get_cached_value(instance)
                if related is not None:
                    widget.known = {str(related.pk): related}
        return form


class KnownAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """KnownAutocompleteSelect for a multiple choice: labels from the rows the form was given."""

    known: dict[str, object] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        label = self.choices.field.label_from_instance
        options = [
            self.create_option(name, key, label(self.known[key]), True, index)
            for index, key in enumerate(sorted(selected))
        ]
        return [(None, options, 0)]


class PreloadedAutocompleteInline:
    """An inline whose autocompletes label their selected rows from the rows already loaded."""

    formset = PreloadedRelationsFormSet

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if type(field.widget) is AutocompleteSelect:
            field.widget.__class__ = KnownAutocompleteSelect
        return field
