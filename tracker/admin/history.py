"""The editors' history: every change with its old and new values, revert, and safe deletes.

HistoryAdmin is the base of every editorial ModelAdmin (django-simple-history's
SimpleHistoryAdmin underneath): its History page lists each version with who, when, why and
the fields it changed ("Stance: Asserts → Denies"), and a version's page reverts to it through
the same form and checks as a save. A save that changes nothing writes nothing; a delete that
something rests on is refused, naming what.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import ObjDiffDisplay

from tracker.admin.forms import StoredTextField
from tracker.history import (
    changes,
    created_by,
    recorded_as,
    revert_reason,
    unchanged,
)
from tracker.integrity import blockers, dependants_in_words

# Long values (an article body) are shown around their first difference, at most this long.
SHOWN_CHARS = 120


def _concrete(obj: models.Model) -> models.Model:
    # A proxy's saves and deletes signal the proxy, which history does not follow; the row is
    # the concrete model's (a proxy adds behaviour, never fields), so it is saved as that.
    concrete = obj._meta.concrete_model
    assert concrete is not None  # Django sets it when it builds the model class
    if type(obj) is not concrete:
        obj.__class__ = concrete
    return obj


class HistoryAdmin(SimpleHistoryAdmin):
    """The base of every editorial admin: see the module docstring."""

    # A textarea comes back from the browser with CRLF line endings: stored as every text is
    # (articles/text.py), an untouched one is no change.
    formfield_overrides = {models.TextField: {"form_class": StoredTextField}}

    object_history_list_template = "admin/tracker/object_history_list.html"
    delete_confirmation_template = "admin/tracker/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/tracker/delete_selected_confirmation.html"

    # -- Who made the row ---------------------------------------------------------------------

    @admin.display(description="created by")
    def created_by(self, obj: models.Model) -> str:
        return created_by(obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[str]:
        return (*super().get_readonly_fields(request, obj), "created_by")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Sequence[Any]:
        fields = list(super().get_fields(request, obj))
        # A new row has no creator yet; the fieldsets below add the line to a saved one.
        return [field for field in fields if field != "created_by"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or "created_by" in flatten_fieldsets(fieldsets):
            return fieldsets
        return [*fieldsets, ("Record", {"fields": ("created_by",)})]

    # -- Saving and reverting ----------------------------------------------------------------

    def _reverted_version(self, request: HttpRequest) -> Any | None:
        match = request.resolver_match
        if match is None or not match.url_name or not match.url_name.endswith("_simple_history"):
            return None
        history = self.model._meta.concrete_model.history
        return history.filter(history_id=match.args[1]).first()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj = _concrete(obj)
        if change and unchanged(obj):
            return  # a save that changes nothing writes nothing (and no history row)
        version = self._reverted_version(request)
        if version is not None:
            obj._change_reason = revert_reason(version)
        super().save_model(request, obj, form, change)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if self.model._meta.proxy:
            return HttpResponseRedirect(self._concrete_url("history", object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if self.model._meta.proxy:
            url = self._concrete_url("simple_history", object_id, version_id)
            return HttpResponseRedirect(url)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _concrete_url(self, view: str, *args: str) -> str:
        opts = self.model._meta.concrete_model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args
        )

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        # Newest first: each version against the one before it, in editors' words.
        shorten = ObjDiffDisplay(max_length=SHOWN_CHARS).common_shorten_repr
        previous = None
        for current in historical_records:
            if previous is not None:
                previous.history_delta_changes = [
                    dict(
                        zip(("field", "old", "new"), (c.field, *shorten(c.old, c.new)), strict=True)
                    )
                    for c in changes(previous, current)
                ]
            previous = current

    # -- Deleting ----------------------------------------------------------------------------

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Django names protected rows by their str(); say what each is and why it matters.
            protected = dependants_in_words(blockers(objs))
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        obj = _concrete(obj)
        # The rows deleted with it (an article's attributions) say so in their history.
        with recorded_as(f"{obj._meta.verbose_name} “{obj}” deleted in the admin"):
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        model = queryset.model._meta.concrete_model
        if model is not queryset.model:
            queryset = model._base_manager.filter(
                pk__in=list(queryset.values_list("pk", flat=True))
            )
        with recorded_as(f"{model._meta.verbose_name_plural} deleted in the admin"):
            super().delete_queryset(request, queryset)
