"""Getting article text in: the plain article file format, and importing files as articles.

An article file is the word ``date``, an ISO date (YYYY-MM-DD), then the body; it has no title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from articles.history import recorded_as
from articles.models import Article, Outlet
from articles.slugs import unique_slug
from articles.text import BodyChangeRefused, body_changing, normalise_text

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


def body_size_problem(size: int) -> str | None:
    """Why a body of this many UTF-8 bytes is refused, if it is (settings.ARTICLE_MAX_BYTES)."""
    limit = settings.ARTICLE_MAX_BYTES
    if size <= limit:
        return None
    return (
        f"is {size:,} bytes, more than the {limit:,} an article may hold "
        "(the ARTICLE_MAX_BYTES setting)"
    )


def nul_line(text: str) -> int | None:
    """The line of the first NUL character, if the text holds one (no database stores it)."""
    at = text.find("\x00")
    return None if at < 0 else text.count("\n", 0, at) + 1


@dataclass(frozen=True)
class ArticleText:
    path: Path
    published_on: date
    body: str


def parse_article_text(text: str, *, path: Path | str = "<text>") -> ArticleText:
    """Split an article file's text into its date and its body, or say what is wrong."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if problem := body_size_problem(len(text.encode("utf-8", "surrogatepass"))):
        raise ArticleFileError(path, problem)
    if (line := nul_line(text)) is not None:
        raise ArticleFileError(path, "holds a NUL character (\\x00), which is not text", line=line)
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
    body = normalise_text(text[match.end() :])
    if not body:
        raise ArticleFileError(path, "there is no article body after the date", line=line)
    return ArticleText(path=Path(path), published_on=published_on, body=body)


def read_article_file(path: Path) -> ArticleText:
    try:
        # Refused before it is read: a huge file would otherwise be held in memory whole.
        if problem := body_size_problem(path.stat().st_size):
            raise ArticleFileError(path, problem)
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


def _fields(text: ArticleText, **given: object) -> dict[str, object]:
    values: dict[str, object] = {"published_on": text.published_on, "body": text.body}
    values.update({name: value for name, value in given.items() if value is not None})
    return values


def article_under_key(key: str) -> Article | None:
    """The article imported under this key (a seed's or a file's name, or a key given)."""
    return Article.objects.filter(source_file=key).first() if key else None


def create_article(
    text: ArticleText,
    *,
    key: str,
    title: str | None = None,
    outlet: Outlet | None = None,
    url: str | None = None,
    byline: str | None = None,
    language: str | None = None,
) -> Article:
    """A new article from a file's text, under its import key."""
    values = _fields(text, title=title, outlet=outlet, url=url, byline=byline, language=language)
    values.setdefault("title", title_from_body(text.body))
    slug = unique_slug(Article, f"{text.published_on} {values['title']}", max_length=SLUG_MAX)
    return Article.objects.create(source_file=key, slug=slug, **values)


def update_article(
    article: Article,
    text: ArticleText,
    *,
    title: str | None = None,
    outlet: Outlet | None = None,
    url: str | None = None,
    byline: str | None = None,
    language: str | None = None,
    placed: Collection[int] = (),
) -> bool:
    """Replace an article's date and text (and the fields given) with a file's; True if changed.

    Fields not given keep what editors set; nothing is written when nothing changed. A new text
    is announced first (articles.text.body_changing): the attributions resting on the old one
    follow their passages, or a receiver refuses with BodyChangeRefused and nothing is written.
    `placed`: ids of the attributions the caller places itself.
    """
    values = _fields(text, title=title, outlet=outlet, url=url, byline=byline, language=language)
    changed = [name for name, value in values.items() if getattr(article, name) != value]
    if not changed:
        return False
    with transaction.atomic():
        if "body" in changed:
            body_changing.send(sender=Article, article=article, body=text.body, placed=placed)
        for name in changed:
            setattr(article, name, values[name])
        article.save(update_fields=[*changed, "updated_at"])
    return True


def _taken(key: str, url: str | None) -> str | None:
    """Why a new article cannot be imported under this key or URL, if it cannot."""
    for found, what in (
        (article_under_key(key), f"imported under the key {key!r}"),
        (Article.objects.filter(url=url).first() if url else None, f"at the URL {url}"),
    ):
        if found is not None:
            return (
                f"an article is already {what}: article {found.pk}, “{found.title}” "
                f"({found.published_on}). To replace its text with this file, give "
                f"--update {found.pk}; to import the file as another article, give it a key of "
                "its own with --key."
            )
    return None


def import_article_files(
    paths: list[Path],
    *,
    title: str | None = None,
    outlet: Outlet | None = None,
    url: str | None = None,
    key: str | None = None,
    update: Article | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> list[ImportResult]:
    """Import every file or none: all are read and checked before anything is written.

    Each file becomes a new article under its key (`key`, else the file's name); a key or URL
    already taken is refused, never overwritten. `update` replaces that one article's text with
    the (single) file's, moving its attributions to their passages or refusing. `progress`
    hears (files written, files) as the articles are written.
    """
    texts, errors = [], []
    for path in paths:
        try:
            texts.append(read_article_file(path))
        except ArticleFileError as exc:
            errors.append(exc)
    if update is None:
        seen: dict[str, Path] = {}
        for text in texts:
            name = key or text.path.name
            if name in seen:
                message = (
                    f"the key {name!r} is also the key of {seen[name]}; import the files one by "
                    "one, each with a --key of its own"
                )
                errors.append(ArticleFileError(text.path, message))
            elif problem := _taken(name, url):
                errors.append(ArticleFileError(text.path, problem))
            seen.setdefault(name, text.path)
    if errors:
        raise ArticleImportErrors(errors)
    # Every history row written names the command (a command has no request, so no user).
    with transaction.atomic(), recorded_as("import_article"):
        if update is not None:
            try:
                changed = update_article(update, texts[0], title=title, outlet=outlet, url=url)
            except BodyChangeRefused as exc:
                raise ArticleImportErrors([ArticleFileError(texts[0].path, str(exc))]) from None
            return [ImportResult(update, created=False, changed=changed)]
        results = []
        for text in texts:
            article = create_article(
                text, key=key or text.path.name, title=title, outlet=outlet, url=url
            )
            results.append(ImportResult(article, created=True, changed=True))
            if progress is not None:
                progress(len(results), len(texts))
        return results


class ArticleImportErrors(ValueError):
    def __init__(self, errors: list[ArticleFileError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
