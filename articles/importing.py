"""Getting article text in: the plain article file format and the import that upserts articles.

An article file is the word ``date``, an ISO date (YYYY-MM-DD), then the body; it has no title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from articles.models import Article, Outlet
from articles.slugs import unique_slug

_HEADER = re.compile(r"\A\s*(?P<word>\S+)(?:\s+(?P<date>\S+))?\s*", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s")
TITLE_MAX = 200
SLUG_MAX = 120


class ArticleFileError(ValueError):
    """A file that is not an article: names the file, the line and the problem."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None) -> None:
        self.path, self.line, self.message = str(path), line, message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ArticleText:
    path: Path
    published_on: date
    body: str


def parse_article_text(text: str, *, path: Path | str = "<text>") -> ArticleText:
    """Split an article file's text into its date and its body, or say what is wrong."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = _HEADER.match(text)
    if not match or match["word"].lower() != "date":
        found = f"found {match['word']!r}" if match else "the file is empty"
        raise ArticleFileError(
            path, f"expected the word 'date' and an ISO date (YYYY-MM-DD) first; {found}", line=1
        )
    line = text.count("\n", 0, match.start("word")) + 1
    if not match["date"]:
        raise ArticleFileError(path, "the word 'date' is not followed by a date", line=line)
    line = text.count("\n", 0, match.start("date")) + 1
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["date"]):
        raise ArticleFileError(
            path, f"{match['date']!r} is not an ISO date (expected YYYY-MM-DD)", line=line
        )
    try:
        published_on = date.fromisoformat(match["date"])
    except ValueError as exc:
        message = f"{match['date']!r} is not a valid date: {exc}"
        raise ArticleFileError(path, message, line=line) from None
    body = text[match.end() :].strip()
    if not body:
        raise ArticleFileError(path, "there is no article body after the date", line=line)
    return ArticleText(path=Path(path), published_on=published_on, body=body)


def read_article_file(path: Path) -> ArticleText:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleFileError(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ArticleFileError(
            path, f"is not UTF-8 text (byte {exc.start}: {exc.reason})", line=line
        ) from None
    return parse_article_text(text, path=path)


def title_from_body(body: str) -> str:
    """The first sentence, cut at a word boundary if it is too long for a title."""
    first_paragraph = body.split("\n", 1)[0].strip()
    match = _SENTENCE_END.search(first_paragraph + " ")
    sentence = first_paragraph[: match.end()].strip() if match else first_paragraph
    if len(sentence) <= TITLE_MAX:
        return sentence
    return sentence[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool
    changed: bool


def upsert_article(
    text: ArticleText,
    *,
    title: str | None = None,
    outlet: Outlet | None = None,
    url: str | None = None,
    byline: str | None = None,
    language: str | None = None,
) -> ImportResult:
    """Create the article for a file, or update the one imported from it before.

    Fields not given keep what editors set; nothing is written when nothing changed.
    """
    source_file = text.path.name
    article = Article.objects.filter(source_file=source_file).first()
    values: dict[str, object] = {"published_on": text.published_on, "body": text.body}
    for field, value in (
        ("title", title),
        ("outlet", outlet),
        ("url", url),
        ("byline", byline),
        ("language", language),
    ):
        if value is not None:
            values[field] = value
    if article is None:
        values.setdefault("title", title_from_body(text.body))
        slug = unique_slug(Article, f"{text.published_on} {values['title']}", max_length=SLUG_MAX)
        article = Article.objects.create(source_file=source_file, slug=slug, **values)
        return ImportResult(article, created=True, changed=True)
    changed = [name for name, value in values.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, values[name])
    if changed:
        article.save(update_fields=[*changed, "updated_at"])
    return ImportResult(article, created=False, changed=bool(changed))


def import_article_files(
    paths: list[Path], *, title: str | None = None, outlet: Outlet | None = None
) -> list[ImportResult]:
    """Import every file or none: all are read and checked before anything is written."""
    texts, errors = [], []
    for path in paths:
        try:
            texts.append(read_article_file(path))
        except ArticleFileError as exc:
            errors.append(exc)
    if errors:
        raise ArticleImportErrors(errors)
    with transaction.atomic():
        return [upsert_article(text, title=title, outlet=outlet) for text in texts]


class ArticleImportErrors(ValueError):
    def __init__(self, errors: list[ArticleFileError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
