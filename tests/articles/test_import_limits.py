"""import_article's limits: size, NUL characters and web addresses only, refused whole and named."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from articles.importing import ArticleFileError, parse_article_text
from articles.models import Article

pytestmark = pytest.mark.django_db

BODY = "Officials said the fighters were paid. The ministry did not respond."


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    before = Article.objects.count()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert Article.objects.count() == before
    return str(error.value)


def test_the_default_limit_is_a_few_megabytes():
    assert 1_000_000 <= django_settings.ARTICLE_MAX_BYTES <= 20_000_000


def test_a_file_over_the_limit_is_refused_by_name_with_the_setting(tmp_path, settings):
    big = write(tmp_path, "big.txt", "date 2024-02-03\n" + "word " * 400)
    settings.ARTICLE_MAX_BYTES = 1000
    message = refused(str(big))
    assert "big.txt" in message
    assert "2,016 bytes" in message
    assert "ARTICLE_MAX_BYTES" in message


def test_one_file_over_the_limit_stops_the_others(tmp_path, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    small = write(tmp_path, "small.txt", f"date 2024-02-03\n{BODY}")
    big = write(tmp_path, "big.txt", "date 2024-02-03\n" + "é" * 600)  # 1,200 bytes of UTF-8
    message = refused(str(small), str(big))
    assert "big.txt" in message and "small.txt" not in message


def test_a_file_at_the_limit_is_imported(tmp_path, settings):
    text = f"date 2024-02-03\n{BODY}"
    settings.ARTICLE_MAX_BYTES = len(text.encode())
    run(str(write(tmp_path, "a.txt", text)))
    assert Article.objects.get().body == BODY


def test_a_nul_character_in_the_body_is_refused_naming_its_line(tmp_path):
    path = write(tmp_path, "nul.txt", f"date 2024-02-03\n{BODY}\n\nSecond\x00 paragraph.")
    message = refused(str(path))
    assert "nul.txt:4" in message
    assert "NUL character" in message


def test_parsing_names_the_nul_line():
    with pytest.raises(ArticleFileError) as error:
        parse_article_text("date 2024-02-03\nOne.\nTw\x00o.", path="pasted")
    assert (error.value.path, error.value.line) == ("pasted", 3)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/a",
        "https://example.org/\x00",
    ],
)
def test_only_a_web_address_is_taken_as_the_url(tmp_path, url):
    path = write(tmp_path, "a.txt", f"date 2024-02-03\n{BODY}")
    message = refused(str(path), "--url", url)
    assert "--url" in message


@pytest.mark.parametrize("option", ["--title", "--key"])
def test_a_nul_character_in_an_option_is_named(tmp_path, option):
    path = write(tmp_path, "a.txt", f"date 2024-02-03\n{BODY}")
    message = refused(str(path), option, "Paid\x00")
    assert option in message and "NUL" in message
