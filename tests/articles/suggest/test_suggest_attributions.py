"""manage.py suggest_attributions --jsonl: the exact output shape, valid offsets, bad lines."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("suggest_attributions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


TEXT = (
    "“We never sent troops,” said Ivo Marek, a spokesman for the ministry. "
    "Five officials said the drive accelerated. The army did not respond to a request for comment."
)


def test_it_prints_one_line_per_input_in_the_exact_shape(tmp_path: Path) -> None:
    path = write(
        tmp_path, json.dumps({"id": "a1", "text": TEXT}), json.dumps({"id": 7, "text": ""})
    )
    out, err = run("--jsonl", path)
    first, second = (json.loads(line) for line in out.splitlines())
    assert second == {"id": 7, "attributions": []}
    assert first["id"] == "a1"
    assert [set(a) for a in first["attributions"]] == [
        {"source", "cue", "content", "stance", "anonymity", "count"}
    ] * 3
    assert [
        (TEXT[slice(*a["source"])], TEXT[slice(*a["cue"])], a["stance"], a["anonymity"], a["count"])
        for a in first["attributions"]
    ] == [
        ("Ivo Marek, a spokesman for the ministry", "said", "denies", "named", 1),
        ("Five officials", "said", "asserts", "anonymous", 5),
        ("The army", "did not respond to a request for comment", "no_response", "named", 1),
    ]
    assert TEXT[slice(*first["attributions"][0]["content"])] == "We never sent troops"
    assert first["attributions"][2]["content"] is None
    assert "Suggested 3 attribution(s) for 2 text(s)." in err


def test_offsets_are_string_indices_with_non_ascii_text(tmp_path: Path) -> None:
    text = "Ça va mal — « non », dit-il. Zoë Łukasz said the café had closed."
    out, _ = run(
        "--jsonl", write(tmp_path, json.dumps({"id": 1, "text": text}, ensure_ascii=False))
    )
    (attribution,) = json.loads(out)["attributions"]
    assert text[slice(*attribution["source"])] == "Zoë Łukasz"
    assert text[slice(*attribution["content"])] == "the café had closed"


def test_bad_lines_are_named_skipped_and_fail_the_command(tmp_path: Path) -> None:
    good = json.dumps({"id": "ok", "text": "Police said it rained."})
    path = write(
        tmp_path,
        good,
        "{not json",
        json.dumps({"text": "x"}),
        json.dumps({"id": 1, "text": 5}),
        "",
        json.dumps([1, 2]),
        good,
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"4 bad line\(s\) skipped"):
        call_command("suggest_attributions", "--jsonl", path, stdout=out, stderr=err)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["ok", "ok"]
    messages = err.getvalue()
    assert "line 2: not JSON" in messages
    assert "line 3: 'id' is missing" in messages
    assert "line 4: 'text' must be a string, got int" in messages
    assert "line 6: expected an object" in messages
    assert "line 5" not in messages  # a blank line is no input


def test_a_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": 1, "text": "caf\xe9"}\n')
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("suggest_attributions", "--jsonl", str(path), stdout=StringIO(), stderr=err)
    assert "line 1: not UTF-8" in err.getvalue()


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run("--jsonl", str(tmp_path / "nope.jsonl"))


def test_without_an_article_or_a_file_it_says_what_to_give() -> None:
    with pytest.raises(CommandError, match="--jsonl"):
        run()
