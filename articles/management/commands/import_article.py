"""manage.py import_article FILE...: import plain article files (date line, then the body)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.importing import ArticleImportErrors, import_article_files
from articles.models import Outlet


class Command(BaseCommand):
    help = (
        "Import article files: each is the word 'date', an ISO date, then the body. "
        "The title is the body's first sentence unless --title is given. Re-importing a file "
        "updates its article. All files are checked first; if any is broken, nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--title", help="Title for the article (only with a single FILE).")
        parser.add_argument("--outlet", metavar="SLUG", help="Slug of an existing outlet.")

    def handle(self, *args, files: list[Path], title: str | None, outlet: str | None, **options):
        if title and len(files) > 1:
            raise CommandError("--title applies to one file; give a single FILE with it.")
        outlet_obj = None
        if outlet:
            outlet_obj = Outlet.objects.filter(slug=outlet).first()
            if outlet_obj is None:
                known = ", ".join(Outlet.objects.values_list("slug", flat=True)[:20]) or "none yet"
                raise CommandError(f"--outlet {outlet!r}: no such outlet (known: {known}).")
        try:
            results = import_article_files(files, title=title, outlet=outlet_obj)
        except ArticleImportErrors as exc:
            message = f"nothing imported; {len(exc.errors)} file(s) broken:\n{exc}"
            raise CommandError(message) from None
        created = sum(r.created for r in results)
        updated = sum(r.changed and not r.created for r in results)
        for result in results:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {result.article.slug}: {result.article.title}")
        self.stdout.write(
            f"Imported {len(results)} article file(s): {created} created, {updated} updated, "
            f"{len(results) - created - updated} unchanged."
        )
