"""Progress of a long management command: on a terminal a bar with the totals and the time left
(rich), otherwise (a log, a pipe) a plain line now and then. Used by every long command."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bar

# Seconds between two plain lines when the output is no terminal.
PLAIN_EVERY = 10.0


def _file(out: Any) -> TextIO:
    """The stream under Django's OutputWrapper (the command's self.stdout), or out itself."""
    return getattr(out, "_out", out)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class Progress:
    """`with Progress(self.stdout, "Importing", total=n, unit="files") as progress:` then
    `progress.advance()` (or `progress.update(done)`) as the work goes."""

    def __init__(
        self,
        out: Any,
        what: str,
        *,
        total: int = 0,
        unit: str = "",
        every: float = PLAIN_EVERY,
        terminal: bool | None = None,
    ) -> None:
        self.file = _file(out)
        self.what, self.total, self.unit, self.every = what, max(total, 0), unit, every
        isatty = getattr(self.file, "isatty", None)
        self.terminal = bool(isatty and isatty()) if terminal is None else terminal
        self.done = 0
        self.started = self.last = time.monotonic()
        self._bar: Bar | None = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.terminal:
            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(self.unit),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=Console(file=self.file),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=self.total)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None and self.done and self.last != self.started:
            self._line()  # the last of the plain lines says where it ended

    def advance(self, by: int = 1) -> None:
        self.update(self.done + by)

    def update(self, done: int, total: int | None = None) -> None:
        """Where the work is (and its total, when it is known only once the work has begun):
        the callback the long functions take, `progress(done, total)`."""
        self.done = done
        if total is not None:
            self.total = max(total, 0)
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=self.total)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self._line()

    def time_left(self) -> float | None:
        """Seconds left at the pace so far (None before any progress or without a total)."""
        if not self.done or not self.total:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * max(self.total - self.done, 0) / self.done

    def _line(self) -> None:
        unit = f" {self.unit}" if self.unit else ""
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        left = self.time_left()
        rest = (
            f", about {_duration(left)} left" if left is not None and self.done < self.total else ""
        )
        elapsed = _duration(time.monotonic() - self.started)
        self.file.write(
            f"{self.what}: {self.done:,} of {self.total:,}{unit}{share}, {elapsed} so far{rest}\n"
        )
        self.file.flush()
