"""Editorial history: what changed between two versions, who made a row, saves that change nothing.

Every editorial model keeps its versions with django-simple-history (`history =
HistoricalRecords()`); this module reads them in editors' terms and keeps them meaningful:
a save that changes no value writes no history row (connected in TrackerConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import DeletedObject

from articles.history import current_reason, recorded_as, short_reason

__all__ = [
    "Change",
    "changes",
    "connect",
    "created_by",
    "current_reason",
    "first_version",
    "is_tracked",
    "recorded_as",
    "revert_reason",
    "short_reason",
    "unchanged",
]

EMPTY = "(empty)"


def _concrete(model: type[models.Model]) -> type[models.Model]:
    """The model a proxy stands for (the model itself when it is not a proxy)."""
    concrete = model._meta.concrete_model
    assert concrete is not None  # Django sets it when it builds the model class
    return concrete


def is_tracked(model: type[models.Model]) -> bool:
    """Whether the model (or the model a proxy stands for) keeps its history."""
    return hasattr(_concrete(model)._meta, "simple_history_manager_attribute")


def _history_model(model: type[models.Model]) -> Any:
    return model._meta.concrete_model.history.model  # type: ignore[union-attr]


def _automatic(field: models.Field) -> bool:
    # Timestamps the database keeps move on every save; they are not what an editor changed.
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def compared_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose values make a version: the tracked ones, without key and timestamps."""
    return [
        field
        for field in _history_model(model).tracked_fields
        if not field.primary_key and not _automatic(field)
    ]


# -- Saves that change nothing ---------------------------------------------------------------


def unchanged(instance: models.Model, fields: Iterable[str] | None = None) -> bool:
    """True when saving `instance` would store exactly what is stored (one query).

    Values are compared as the field reads them (a date given as "2020-06-07" is that date);
    fields not loaded (deferred) cannot have been edited and are left out.
    """
    model = type(instance)
    if instance.pk is None or instance._state.adding or not is_tracked(model):
        return False
    deferred = instance.get_deferred_fields()
    wanted = set(fields) if fields is not None else None
    compared = [
        field
        for field in compared_fields(model)
        if field.attname not in deferred
        and (wanted is None or field.name in wanted or field.attname in wanted)
    ]
    if not compared:
        return wanted is not None
    rows = _concrete(model)._base_manager
    stored = rows.filter(pk=instance.pk).values(*[field.attname for field in compared]).first()
    if stored is None:
        return False
    for field in compared:
        value = getattr(instance, field.attname)
        try:
            value = field.to_python(value)
        except ValidationError:
            return False
        if value != stored[field.attname]:
            return False
    return True


def _before_save(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    state = instance.__dict__
    if state.pop("_history_unchanged", False):
        state.pop("skip_history_when_saving", None)
    if raw or "skip_history_when_saving" in state:
        return  # a fixture load, or a writer that asked for no history row itself
    if unchanged(instance, kwargs.get("update_fields")):
        state["skip_history_when_saving"] = True
        state["_history_unchanged"] = True


def _after_save(sender: type, instance: models.Model, **kwargs: Any) -> None:
    # After simple-history's own receiver (connected when the model was prepared) has looked.
    if instance.__dict__.pop("_history_unchanged", False):
        instance.__dict__.pop("skip_history_when_saving", None)


def connect() -> None:
    """No history row for a save that changes no value, whichever path saved it."""
    for model in apps.get_models():
        if not is_tracked(model):
            continue
        uid = f"history-unchanged-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")


# -- Differences between versions ------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field's change between two versions, in editors' words."""

    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"


def _shown(field: models.Field, value: Any) -> str:
    if isinstance(value, DeletedObject):
        return f"{field.related_model._meta.verbose_name} {value.pk} (deleted)"  # type: ignore[union-attr]
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def changes(record: Any, previous: Any) -> list[Change]:
    """What `record` changed from `previous` (two history rows of one object), in field order.

    Related rows are shown by name; the rows' select_related (the admin's history page loads
    them with the versions) keeps this free of queries.
    """
    model = record.instance_type
    order = {field.name: index for index, field in enumerate(model._meta.fields)}
    names = [field.name for field in compared_fields(model) if field.editable]
    delta = record.diff_against(previous, included_fields=names, foreign_keys_are_objs=True)
    found = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order))):
        field = model._meta.get_field(change.field)
        found.append(
            Change(
                capfirst(str(field.verbose_name)),
                _shown(field, change.old),
                _shown(field, change.new),
            )
        )
    return found


# -- Who made a row, and reverts -------------------------------------------------------------


def first_version(instance: models.Model) -> Any | None:
    """The oldest history row of a row (its creation, when history was kept from the start)."""
    history = instance._meta.concrete_model.history  # type: ignore[union-attr]
    return (
        history.filter(**{instance._meta.pk.attname: instance.pk})
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )


def created_by(instance: models.Model) -> str:
    """Who created a row and when: "ed, 2024-05-01 12:00" or "load_seeds, ..."."""
    if instance.pk is None:
        return "you, once saved"
    first = first_version(instance)
    if first is None:
        return "not recorded (made before history was kept)"
    who = (
        (first.history_user.get_full_name() or first.history_user.get_username())
        if first.history_user
        else first.history_change_reason or "a script"
    )
    when = f"{timezone.localtime(first.history_date):%Y-%m-%d %H:%M}"
    if first.history_type != "+":
        return f"not recorded; first seen in history as changed by {who}, {when}"
    return f"{who}, {when}"


def revert_reason(record: Any) -> str:
    return short_reason(
        f"reverted to the version of {timezone.localtime(record.history_date):%Y-%m-%d %H:%M}"
    )
