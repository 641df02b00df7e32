"""Long commands' progress (articles/progress.py and the commands that use it): a bar with the
totals and the time left on a terminal, a plain line now and then otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.progress import Progress
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_output_gets_occasional_lines_with_totals_and_time_left():
    out = io.StringIO()
    with Progress(out, "Importing", total=4, unit="files", every=0) as progress:
        for _ in range(3):
            progress.advance()
        progress.update(4)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Importing: 1 of 4 files (25%), ")
    assert lines[0].endswith(" left") and "about" in lines[0]
    assert lines[-1].startswith("Importing: 4 of 4 files (100%), ")
    assert "left" not in lines[-1]


def test_plain_output_is_quiet_between_intervals():
    out = io.StringIO()
    with Progress(out, "Recounting", total=1000, every=3600) as progress:
        for done in range(1, 1001):
            progress.update(done)
    assert out.getvalue() == ""  # a short run says nothing more than its summary


def test_a_terminal_gets_a_bar_with_totals_and_time_left():
    out = Terminal()
    with Progress(out, "Generating", total=200, unit="claims") as progress:
        progress.update(50)
        assert progress.time_left() is not None
        progress.update(200)
    text = out.getvalue()
    assert "Generating" in text and "200/200" in text and "claims" in text and "left" in text


def test_a_total_known_only_later_is_taken():
    out = io.StringIO()
    with Progress(out, "Loading seeds", unit="articles", every=0) as progress:
        progress.update(1, 2)
    assert out.getvalue().startswith("Loading seeds: 1 of 2 articles (50%)")


def test_import_article_prints_each_new_articles_id_and_address(tmp_path: Path):
    paths = []
    for n in (1, 2):
        path = tmp_path / f"story-{n}.txt"
        path.write_text(f"date 2026-11-2{n}\nStory number {n} says little. Nobody answered.\n")
        paths.append(str(path))
    out = io.StringIO()
    call_command("import_article", *paths, stdout=out)
    lines = out.getvalue().splitlines()
    articles = list(Article.objects.order_by("pk"))
    for article in articles:
        assert f"  {article.pk} /articles/{article.pk}/" in lines
    assert lines[-1] == "Imported 2 article file(s): 2 created, 0 updated, 0 unchanged."


def test_load_seeds_and_recount_on_a_terminal_show_their_bars():
    out = Terminal()
    call_command("load_seeds", str(SEEDS), stdout=out)
    assert "Loading seeds" in out.getvalue() and "1/1" in out.getvalue()
    assert "Loaded seeds from" in out.getvalue().rstrip().splitlines()[-1]
    out = Terminal()
    call_command("recount", stdout=out)
    assert "Recounting" in out.getvalue() and "5/5" in out.getvalue()  # RECOUNT_STEPS
    assert "Recounted " in out.getvalue().rstrip().splitlines()[-1]
