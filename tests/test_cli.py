"""The `newsqa` command as a user runs it: separate processes, real models, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NEWSQA = str(Path(sys.executable).parent / "newsqa")


def run(data_dir, *args):
    env = {**os.environ, "NEWSQA_DATA_DIR": str(data_dir)}
    return subprocess.run([NEWSQA, *args], capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture()
def data_dir(tmp_path):
    return tmp_path / "data"


def test_ingest_reports_added_then_unchanged(data_dir, seed_copy):
    first = run(data_dir, "ingest", str(seed_copy))
    assert first.returncode == 0, first.stderr
    assert "1 added, 0 updated, 0 unchanged" in first.stdout
    second = run(data_dir, "ingest", str(seed_copy))
    assert "0 added, 0 updated, 1 unchanged" in second.stdout


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda d: d / "missing.txt", "no such file or folder"),
        (lambda d: (d / "bin.txt").write_bytes(b"\xff\xfe\x00") and d / "bin.txt", "not UTF-8"),
        (lambda d: (d / "a.pdf").write_text("x") and d / "a.pdf", "unsupported file type"),
    ],
)
def test_bad_ingest_is_one_line_nonzero_and_keeps_the_index(data_dir, seed_copy, tmp_path, make_input, message):
    assert run(data_dir, "ingest", str(seed_copy)).returncode == 0
    bad = make_input(tmp_path)
    result = run(data_dir, "ingest", str(seed_copy), str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and message in result.stderr
    assert "Traceback" not in result.stderr
    again = run(data_dir, "ingest", str(seed_copy))
    assert "1 unchanged" in again.stdout


def test_empty_question_or_bad_asking_day_is_refused(data_dir):
    result = run(data_dir, "ask", "   ")
    assert result.returncode == 2 and result.stderr.strip() == "error: the question is empty"
    result = run(data_dir, "ask", "--asked-on", "tuesday", "Who won this week?")
    assert result.returncode == 2 and result.stderr.strip() == "error: --asked-on 'tuesday' is not a date (YYYY-MM-DD)"


def test_ask_on_an_empty_index_ingests_the_seeds_and_answers_with_json(data_dir):
    result = run(data_dir, "ask", "--json", "How many people were killed in the clashes in Guayaquil?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answerable"] and "22" in answer["answer"]
    assert any("22 people were killed" in c["quote"] for c in answer["citations"])


@pytest.mark.parametrize(
    ("command", "variable", "value", "message"),
    [
        (["ask", "Guayaquil?"], "NEWSQA_TOP_K", "many", "NEWSQA_TOP_K"),
        (["serve"], "NEWSQA_ASK_QUEUE", "-1", "NEWSQA_ASK_QUEUE"),
        (["serve"], "NEWSQA_ASK_CONCURRENCY", "3", "writes 1 answer at a time"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(data_dir, command, variable, value, message):
    """A mistyped variable, or asking the embedded model for answers it cannot write at once, stops the
    command before it starts anything: one line, exit 2, no traceback."""
    result = subprocess.run([NEWSQA, *command], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NEWSQA_DATA_DIR": str(data_dir), variable: value})
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
