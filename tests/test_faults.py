"""Faults a user's disk can throw at the `newsqa` command: damage, a full disk. One line, exit 1, no loss."""

import os
import resource
import signal
import subprocess

from rag.pipeline import Pipeline
from tests.conftest import make_settings
from tests.test_cli import NEWSQA, run

KILLED = "How many people were killed in the clashes in Guayaquil?"


def test_damaged_store_is_one_clear_line_that_names_the_remedy(tmp_path, seed_copy):
    data_dir = tmp_path / "data"
    assert run(data_dir, "ingest", str(seed_copy)).returncode == 0
    db = data_dir / "index" / "articles.sqlite"
    for extra in ("-wal", "-shm"):
        (data_dir / "index" / f"articles.sqlite{extra}").unlink(missing_ok=True)
    db.write_bytes(b"garbage!" * 512 + db.read_bytes()[4096:])

    asked = run(data_dir, "ask", KILLED)
    assert asked.returncode == 1 and "Traceback" not in asked.stderr
    assert asked.stderr.count("\n") == 1 and "is damaged" in asked.stderr and "newsqa reindex" in asked.stderr
    rebuilt = run(data_dir, "reindex")
    assert rebuilt.returncode == 1 and "nothing can be read" in rebuilt.stderr and "Traceback" not in rebuilt.stderr


def _full_disk_at(limit: int):
    """Files cannot grow past `limit` bytes: writes fail as they do on a full disk (EFBIG, not a signal)."""

    def limit_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_files


def _state(data_dir, embedder):
    pipeline = Pipeline(make_settings(data_dir), embedder=embedder)
    try:
        return pipeline.index.list()[0], [(p.chunk_id, p.text, p.score) for p in pipeline.search(KILLED, 5)]
    finally:
        pipeline.index.close()


def test_full_disk_at_save_is_a_clear_error_and_the_index_stays_intact(tmp_path, seed_copy, embedder):
    data_dir = tmp_path / "data"
    assert run(data_dir, "ingest", str(seed_copy)).returncode == 0
    before = _state(data_dir, embedder)
    biggest = max(f.stat().st_size for f in (data_dir / "index").iterdir())
    big = tmp_path / "big" / "long-report.txt"
    big.parent.mkdir()
    big.write_text(" ".join(f"Sentence {i} of the long report names the harbour." for i in range(3_000)))

    env = {**os.environ, "NEWSQA_DATA_DIR": str(data_dir)}
    full = subprocess.run(
        [NEWSQA, "ingest", str(big.parent)], capture_output=True, text=True, env=env, timeout=600,
        preexec_fn=_full_disk_at(biggest + 65_536),
    )
    assert full.returncode == 1, full.stderr
    assert "cannot write" in full.stderr and "Traceback" not in full.stderr
    assert _state(data_dir, embedder) == before
    assert "1 unchanged" in run(data_dir, "ingest", str(seed_copy)).stdout
    assert "1 added" in run(data_dir, "ingest", str(big.parent)).stdout
