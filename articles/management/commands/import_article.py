"""manage.py import_article FILE...: import plain article files (date line, then the body)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator

from articles.importing import ArticleImportErrors, import_article_files
from articles.models import Article, Outlet
from articles.progress import Progress

KEY_MAX: int = Article._meta.get_field("source_file").max_length or 300


class Command(BaseCommand):
    help = (
        "Import article files: each is the word 'date', an ISO date, then the body. Each file "
        "becomes a new article, under its file name as key unless --key is given; a key or URL "
        "already in the tracker is refused, never overwritten. --update ARTICLE_ID replaces that "
        "article's date and text with the file's, moving every attribution to its passage in "
        "the new text, or refusing (naming the attributions) if a passage is gone. The title is "
        "the body's first sentence unless --title is given. All files are checked first; if "
        "any is refused, nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--title", help="Title for the article (only with a single FILE).")
        parser.add_argument("--outlet", metavar="SLUG", help="Slug of an existing outlet.")
        parser.add_argument("--url", help="The article's address (only with a single FILE).")
        parser.add_argument(
            "--key", help="The key to import under instead of the file's name (single FILE)."
        )
        parser.add_argument(
            "--update",
            metavar="ARTICLE_ID",
            type=int,
            help="Replace this article's date and text with the (single) FILE's.",
        )

    def handle(
        self,
        *args,
        files: list[Path],
        title: str | None,
        outlet: str | None,
        url: str | None,
        key: str | None,
        update: int | None,
        **options,
    ):
        for name, value in (
            ("--title", title),
            ("--url", url),
            ("--key", key),
            ("--update", update),
        ):
            if value is not None and len(files) > 1:
                raise CommandError(f"{name} applies to one file; give a single FILE with it.")
        for name, value in (("--title", title), ("--url", url), ("--key", key)):
            if value is not None and "\x00" in value:
                raise CommandError(f"{name} holds a NUL character (\\x00), which is not text.")
        if key is not None and not (0 < len(key.strip()) <= KEY_MAX):
            raise CommandError(f"--key must be 1 to {KEY_MAX} characters.")
        if url is not None:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise CommandError(f"--url {url!r} is not an http or https address.") from None
        if key is not None and update is not None:
            raise CommandError("--key names a new article; --update keeps the article's own key.")
        outlet_obj = None
        if outlet:
            outlet_obj = Outlet.objects.filter(slug=outlet).first()
            if outlet_obj is None:
                known = ", ".join(Outlet.objects.values_list("slug", flat=True)[:20]) or "none yet"
                raise CommandError(f"--outlet {outlet!r}: no such outlet (known: {known}).")
        target = None
        if update is not None:
            target = Article.objects.filter(pk=update).first()
            if target is None:
                raise CommandError(f"--update {update}: there is no article with the id {update}.")
        try:
            with Progress(self.stdout, "Importing", total=len(files), unit="files") as progress:
                results = import_article_files(
                    files,
                    title=title,
                    outlet=outlet_obj,
                    url=url,
                    key=key.strip() if key else None,
                    update=target,
                    progress=progress.update,
                )
        except ArticleImportErrors as exc:
            message = f"nothing imported; {len(exc.errors)} file(s) refused:\n{exc}"
            raise CommandError(message) from None
        created = sum(r.created for r in results)
        updated = sum(r.changed and not r.created for r in results)
        for result in results:
            article = result.article
            if result.created or options["verbosity"] > 1:
                # Where to find it: its id, and its page (and the address it came from, if any).
                source = f" (from {article.url})" if article.url else ""
                self.stdout.write(f"  {article.pk} {article.get_absolute_url()}{source}")
        self.stdout.write(
            f"Imported {len(results)} article file(s): {created} created, {updated} updated, "
            f"{len(results) - created - updated} unchanged."
        )
