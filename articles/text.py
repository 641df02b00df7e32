"""Article text as it is stored: one normalisation for every way text comes in, and the notice
sent before an article's text is replaced.

Every text that enters (the admin, the API, an imported file, a seed) is normalised here, once,
so that what a browser or a file changes invisibly never changes what is stored:

- a byte order mark at the start is dropped;
- line endings become LF (a browser posts a textarea with CRLF; old files have CR);
- Unicode is composed (NFC): "é" typed as e + accent is stored as the one character;
- whitespace around the whole text is dropped (the admin's text fields strip it anyway, so a
  body stored with it would shift every span on its next save).

Nothing else changes. Typographic quotes, dashes, no-break spaces and the spaces inside the
text are the outlet's and are kept: passages are matched past those differences instead
(tracker/spans.py).
"""

from __future__ import annotations

import unicodedata

from django.dispatch import Signal

# Sent (sender=Article, article=, body=, placed=) inside the writer's transaction before an
# article's text is replaced on purpose; `placed` holds the ids of attributions the writer places
# itself. A receiver refuses the change by raising BodyChangeRefused.
body_changing = Signal()


class BodyChangeRefused(ValueError):
    """The new text would lose what rests on the old one; the message says what, in words."""


def normalise_text(text: str) -> str:
    """The text as it is stored."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def normalised_offset(raw: str, offset: int) -> int:
    """Where a character offset into text as it was sent falls once the text is normalised."""
    prefix = raw[:offset].removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return min(len(unicodedata.normalize("NFC", prefix).lstrip()), len(normalise_text(raw)))
