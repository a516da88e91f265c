"""The soak in its short CI form (`NEWSQA_SOAK_SECONDS`, default 20; `newsqa soak` runs the full 60 s)."""

import os

from bench.soak import run_soak, write


def test_soak_serves_every_client_and_loses_no_acknowledged_write(tmp_path):
    report = run_soak(tmp_path / "data", seconds=float(os.environ.get("NEWSQA_SOAK_SECONDS", 20)), clients=8)
    write(report, tmp_path / "out")
    print(report.markdown())
    transport = [s for s in report.by_status if s.startswith("transport")]
    assert report.server_errors == {} and not transport, "\n".join(report.server_tracebacks)
    assert report.problems == [] and report.server_tracebacks == []
    assert report.articles_written > 0 and report.articles_deleted > 0
    assert report.latency_ms["ask"]["n"] > 0 and report.by_status.get("200", 0) > 0
    assert report.rss_mb["end"] < report.rss_mb["ready"] + 512, report.rss_mb
