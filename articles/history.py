"""Naming why history rows were written: the command, loader or request that made a change.

django-simple-history records who and when on every save; a command has no request, so its rows
would say neither who nor why. Writers wrap their work in `recorded_as("load_seeds")` and every
history row written inside says so. Lives here, below tracker, so the article import can use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

# history_change_reason is a CharField(max_length=100) on every historical table.
REASON_MAX = 100


@dataclass(frozen=True)
class _Recording:
    reason: str
    user: Any = None


_current: ContextVar[_Recording | None] = ContextVar("history_recording", default=None)


def short_reason(reason: str) -> str:
    """A change reason cut to what the history tables hold."""
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


@contextmanager
def recorded_as(reason: str, *, user: Any = None) -> Iterator[None]:
    """Every history row written inside names `reason` (and `user`, when the row has none).

    Nested uses keep the outermost reason: `load_seeds` imports articles, and its rows say
    `load_seeds`, the command that ran.
    """
    if _current.get() is not None:
        yield
        return
    token = _current.set(_Recording(short_reason(reason), user))
    try:
        yield
    finally:
        _current.reset(token)


def current_reason() -> str | None:
    recording = _current.get()
    return recording.reason if recording else None


def current_user() -> Any:
    recording = _current.get()
    return recording.user if recording else None


def reason_with(own: str) -> str:
    """`own` after the writer's name, for history rows written in bulk (no signal reaches them)."""
    writer = current_reason()
    return short_reason(f"{writer}: {own}" if writer and writer != own else own)


@receiver(pre_create_historical_record)
def _name_the_writer(sender: type, history_instance: Any, **kwargs: Any) -> None:
    recording = _current.get()
    if recording is None:
        return
    own = history_instance.history_change_reason
    # A row's own reason ("first-reported date follows ...") is kept after the writer's name.
    reason = f"{recording.reason}: {own}" if own and own != recording.reason else recording.reason
    history_instance.history_change_reason = short_reason(reason)
    user = recording.user
    if getattr(user, "pk", None) is not None and history_instance.history_user_id is None:
        history_instance.history_user = user
