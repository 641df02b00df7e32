"""manage.py suggest_attributions ARTICLE: store an article's suggested attributions for its
editors; --jsonl FILE: attribution suggestions for texts, as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles import suggestions
from articles.history import recorded_as
from articles.models import Article
from articles.suggest import batch


class Command(BaseCommand):
    help = (
        'Suggest attributions. --jsonl FILE reads lines {"id": ..., "text": ...} ("-" for '
        'standard input) and prints one line per input: {"id": ..., "attributions": [...]}, '
        "offsets being string indices into the text, end exclusive. A bad line is named on "
        "standard error and skipped; the command then exits non-zero after the other lines. "
        "ARTICLE (an article's id) instead stores the suggestions for that article's text for "
        "its editors to accept or reject; running it again keeps what they decided."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "article", nargs="?", metavar="ARTICLE", help="an article's id: store its suggestions"
        )
        parser.add_argument("--jsonl", metavar="FILE", help='JSON lines in ("-": standard input)')

    def handle(self, *args, article: str | None, jsonl: str | None, **options) -> None:
        if article is not None and jsonl is not None:
            raise CommandError("give either ARTICLE or --jsonl FILE, not both.")
        if article is not None:
            self._store(article)
            return
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

    def _store(self, key: str) -> None:
        if not key.isdigit():
            raise CommandError(f"ARTICLE {key!r}: give the article's id (a number).")
        article = Article.objects.filter(pk=int(key)).first()
        if article is None:
            raise CommandError(f"ARTICLE {key}: there is no article with this id.")
        with recorded_as("suggest_attributions"):
            stored = suggestions.store(article)
        self.stdout.write(f"Article {article.pk} “{article.title}”: {stored}.")
