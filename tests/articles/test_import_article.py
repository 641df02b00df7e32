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
from tracker.models import Attribution

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


def test_reimporting_a_file_is_refused_and_update_is_explicit(tmp_path):
    path = write(tmp_path, "a.txt", "date 2024-02-03\nFirst version.")
    run(str(path))
    article = Article.objects.get()
    path.write_text("date 2024-02-04\nSecond version.")
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert "already imported under the key 'a.txt'" in str(error.value)
    assert f"give --update {article.pk}" in str(error.value)
    assert Article.objects.get().body == "First version."
    out = run(str(path), "--update", str(article.pk))
    article.refresh_from_db()
    assert "1 updated" in out
    assert (article.published_on.day, article.body, article.source_file) == (
        4,
        "Second version.",
        "a.txt",
    )
    assert "0 created, 0 updated, 1 unchanged" in run(str(path), "--update", str(article.pk))


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


# -- An article's identity: never the file name alone ------------------------------------------

SEED_NAME = "000_4aef31c3c322cd7d.txt"


def load_seeds() -> None:
    call_command("load_seeds", stdout=StringIO())


def snapshot() -> tuple:
    """Every article and attribution, byte for byte: what a refused import must not change."""
    return (
        list(Article.objects.order_by("pk").values()),
        list(Attribution.objects.order_by("pk").values()),
    )


def test_another_folders_file_with_the_seeds_name_leaves_the_seed_article_alone(tmp_path):
    load_seeds()
    before = snapshot()
    seed = Article.objects.get()
    other = write(tmp_path, SEED_NAME, "date 2024-01-01\nSomething else entirely.")
    with pytest.raises(CommandError) as error:
        run(str(other))
    message = str(error.value)
    assert message.startswith("nothing imported")
    assert str(other) in message  # names the file
    assert f"already imported under the key '{SEED_NAME}': article {seed.pk}" in message
    assert "--key" in message
    assert snapshot() == before


def test_the_same_file_gets_in_as_a_new_article_under_a_key_of_its_own(tmp_path):
    load_seeds()
    before = snapshot()
    other = write(tmp_path, SEED_NAME, "date 2024-01-01\nSomething else entirely.")
    assert "1 created" in run(str(other), "--key", "wire/2024-01-01-else")
    assert Article.objects.count() == 2
    new = Article.objects.get(source_file="wire/2024-01-01-else")
    assert new.body == "Something else entirely."
    # The seed article and its spans are as they were.
    assert [a for a in snapshot()[0] if a["id"] != new.pk] == before[0]
    assert snapshot()[1] == before[1]


def test_an_article_at_the_same_url_is_refused(tmp_path):
    first = write(tmp_path, "a.txt", "date 2024-02-03\nOne.")
    run(str(first), "--url", "https://example.org/one")
    second = write(tmp_path, "b.txt", "date 2024-02-03\nOne again.")
    with pytest.raises(CommandError, match=r"already at the URL https://example\.org/one"):
        run(str(second), "--url", "https://example.org/one")
    assert Article.objects.count() == 1


def test_two_files_of_one_name_in_one_import_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    one = write(tmp_path / "x", "a.txt", "date 2024-02-03\nOne.")
    two = write(tmp_path / "y", "a.txt", "date 2024-02-03\nTwo.")
    with pytest.raises(CommandError, match=r"y/a.txt: the key 'a.txt' is also the key of"):
        run(str(one), str(two))
    assert not Article.objects.exists()


def seed_text_with(tmp_path, change) -> Path:
    seed = Article.objects.get()
    text = f"date {seed.published_on}\r\n{change(seed.body).replace(chr(10), chr(13) + chr(10))}"
    return write(tmp_path, "edited.txt", text)


def test_update_moves_every_attribution_with_its_passage(tmp_path):
    load_seeds()
    passages = {a.pk: a.passage for a in Attribution.objects.select_related("article")}
    lede = "Editor's note: this story was corrected on 8 June 2020."
    path = seed_text_with(tmp_path, lambda body: f"{lede}\n\n{body}")
    seed = Article.objects.get()
    assert "1 updated" in run(str(path), "--update", str(seed.pk))
    seed.refresh_from_db()
    assert seed.body.startswith(lede + "\n\nA Russian drive")
    moved = {a.pk: a.passage for a in Attribution.objects.select_related("article")}
    assert moved == passages  # every span now holds the same words
    assert Attribution.objects.filter(span_start__lt=len(lede)).count() == 0


def test_update_that_removes_a_passage_is_refused_naming_it(tmp_path):
    load_seeds()
    before = snapshot()
    gone = "A former Wagner Group member said it first sent Syrians to Libya in 2019."
    path = seed_text_with(tmp_path, lambda body: body.replace(gone + "\n\n", ""))
    seed = Article.objects.get()
    with pytest.raises(CommandError) as error:
        run(str(path), "--update", str(seed.pk))
    message = str(error.value)
    assert "edited.txt" in message
    assert "The new text no longer has the passage" in message
    assert "Former Wagner Group member" in message  # the source, by name
    assert "“A former Wagner Group member said it first sent Syrians to Libya in 2019.”" in message
    assert snapshot() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--update", "999"], r"--update 999: there is no article with the id 999"),
        (["--key", ""], r"--key must be 1 to 300 characters"),
        (["--url", "not a url"], r"--url 'not a url' is not an http or https address"),
    ],
)
def test_bad_options_are_named(tmp_path, args, message):
    path = write(tmp_path, "a.txt", "date 2024-02-03\nOne.")
    with pytest.raises(CommandError, match=message):
        run(str(path), *args)
    assert not Article.objects.exists()


def test_update_takes_a_single_file(tmp_path):
    one = write(tmp_path, "a.txt", "date 2024-02-03\nOne.")
    two = write(tmp_path, "b.txt", "date 2024-02-03\nTwo.")
    with pytest.raises(CommandError, match="--update applies to one file"):
        run(str(one), str(two), "--update", "1")
