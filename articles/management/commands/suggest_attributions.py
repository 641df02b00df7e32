"""manage.py suggest_attributions --jsonl FILE: attribution suggestions for texts, as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.suggest import batch


class Command(BaseCommand):
    help = (
        'Suggest attributions. --jsonl FILE reads lines {"id": ..., "text": ...} ("-" for '
        'standard input) and prints one line per input: {"id": ..., "attributions": [...]}, '
        "offsets being string indices into the text, end exclusive. A bad line is named on "
        "standard error and skipped; the command then exits non-zero after the other lines. "
        "Storing suggestions for an ARTICLE is not available yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("article", nargs="?", metavar="ARTICLE", help="not available yet")
        parser.add_argument("--jsonl", metavar="FILE", help='JSON lines in ("-": standard input)')

    def handle(self, *args, article: str | None, jsonl: str | None, **options) -> None:
        if article is not None:
            raise CommandError(
                f"ARTICLE {article!r}: storing suggestions for an article is not available yet; "
                "use --jsonl FILE to print suggestions for texts."
            )
        if jsonl is None:
            raise CommandError("give --jsonl FILE (or --jsonl - for standard input).")
        if jsonl == "-":
            texts, found, bad = batch.run(sys.stdin.buffer, self.stdout, self.stderr)
        else:
            path = Path(jsonl)
            if not path.is_file():
                raise CommandError(f"--jsonl {jsonl}: no such file.")
            with path.open("rb") as lines:
                texts, found, bad = batch.run(lines, self.stdout, self.stderr)
        # The summary goes to standard error: standard output is one line per input.
        self.stderr.write(f"Suggested {found} attribution(s) for {texts} text(s).")
        if bad:
            raise CommandError(f"{bad} bad line(s) skipped (named above).")
