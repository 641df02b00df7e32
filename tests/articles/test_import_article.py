"""manage.py import_article: plain article files in, with clear errors and nothing half-written."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.importing import ArticleFileError, parse_article_text, title_from_body
from articles.models import Article, Outlet
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def test_it_imports_the_seed_article_with_its_first_sentence_as_title():
    out = run(str(SEEDS / "000_4aef31c3c322cd7d.txt"))
    article = Article.objects.get()
    assert "1 created" in out
    assert article.published_on == datetime.date(2020, 6, 7)
    assert article.title.startswith("A Russian drive to recruit Syrians")
    # The first sentence is 221 characters: cut at a word, marked as cut.
    assert article.title.endswith("a regional source…")
    assert len(article.title) <= 200
    assert article.slug.startswith("2020-06-07-a-russian-drive")


def test_it_takes_a_title_and_an_outlet(tmp_path):
    Outlet.objects.create(name="Wire", slug="wire")
    path = write(tmp_path, "a.txt", "date 2024-02-03\nBody text. More.")
    run(str(path), "--title", "My title", "--outlet", "wire")
    article = Article.objects.get()
    assert (article.title, article.outlet.slug, article.body) == (
        "My title",
        "wire",
        "Body text. More.",
    )


def test_reimporting_a_file_updates_its_article(tmp_path):
    path = write(tmp_path, "a.txt", "date 2024-02-03\nFirst version.")
    run(str(path))
    path.write_text("date 2024-02-04\nSecond version.")
    out = run(str(path))
    article = Article.objects.get()
    assert "1 updated" in out
    assert (article.published_on.day, article.body) == (4, "Second version.")
    assert "0 created, 0 updated, 1 unchanged" in run(str(path))


def test_articles_with_the_same_title_get_distinct_slugs(tmp_path):
    run(str(write(tmp_path, "a.txt", "date 2024-02-03\nSame. A")))
    run(str(write(tmp_path, "b.txt", "date 2024-02-03\nSame. B")))
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "2024-02-03-same",
        "2024-02-03-same-2",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "b.txt:1: expected the word 'date'"),
        ("Title\ndate 2024-01-01\nBody", "b.txt:1: expected the word 'date' and an ISO date"),
        ("date\n", "b.txt:1: the word 'date' is not followed by a date"),
        ("date 03/02/2024 Body", "b.txt:1: '03/02/2024' is not an ISO date"),
        ("\n\ndate 2024-02-30 Body", "b.txt:3: '2024-02-30' is not a valid date"),
        ("date 2024-02-03\n   \n", "b.txt:1: there is no article body after the date"),
    ],
    ids=["empty", "title first", "no date", "not iso", "no such day", "no body"],
)
def test_a_broken_file_is_named_with_its_line_and_nothing_is_imported(tmp_path, text, expected):
    good = write(tmp_path, "a.txt", "date 2024-02-03\nFine.")
    bad = write(tmp_path, "b.txt", text)
    with pytest.raises(CommandError) as error:
        run(str(good), str(bad))
    assert expected in str(error.value)
    assert "nothing imported" in str(error.value)
    assert not Article.objects.exists()


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("date 2024-02-03\nCaf\xe9".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin.txt:2: is not UTF-8 text"):
        run(str(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"nope.txt: cannot be read"):
        run(str(tmp_path / "nope.txt"))


def test_an_unknown_outlet_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="--outlet 'ghost': no such outlet"):
        run(str(write(tmp_path, "a.txt", "date 2024-02-03\nx")), "--outlet", "ghost")


def test_windows_line_endings_and_a_byte_order_mark_are_normalised():
    text = parse_article_text("\ufeffdate 2024-02-03\r\nLine one.\r\n\r\nLine two.")
    assert text.body == "Line one.\n\nLine two."


def test_parse_errors_carry_path_and_line():
    with pytest.raises(ArticleFileError) as error:
        parse_article_text("date nope", path="x.txt")
    assert (error.value.path, error.value.line) == ("x.txt", 1)


def test_a_long_first_sentence_is_cut_at_a_word():
    title = title_from_body("word " * 100 + ". Next.")
    assert len(title) <= 200
    assert title.endswith("word…")
