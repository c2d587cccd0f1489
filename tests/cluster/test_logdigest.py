"""Log digests: the lines that matter first, repeats folded, secrets masked, bounded."""

from __future__ import annotations

import pytest

from cluster.logdigest import digest

LOG = """\
2026-03-01T10:00:00Z starting worker
2026-03-01T10:00:01Z GET /health 200 3ms
2026-03-01T10:00:02Z GET /health 200 4ms
2026-03-01T10:00:03Z GET /health 200 2ms
2026-03-01T10:00:04Z dial tcp 10.0.0.5:5432: connect: connection refused
Traceback (most recent call last):
  File "/app/main.py", line 12, in <module>
ValueError: bad config
2026-03-01T10:00:05Z connecting to postgres://app:hunter2@db:5432/app
Killed
"""


@pytest.mark.parametrize(
    "line, category",
    [
        ("ERROR failed to open file", "error"),
        ("java.lang.OutOfMemoryError: Java heap space", "oom"),
        ("Killed", "oom"),
        ("    at com.acme.Main.run(Main.java:42)", "trace"),
        ("goroutine 1 [running]:", "trace"),
        ("Error: connect ECONNREFUSED 127.0.0.1:6379", "refused"),
        ("served 200 requests", ""),
        # "errors=0" is a counter, not an error line
        ("stats: requests=10 ok", ""),
    ],
)
def test_categories(line: str, category: str) -> None:
    (only,) = digest(line).tail
    assert only.category == category


def test_important_lines_first_and_repeats_folded() -> None:
    result = digest(LOG)
    assert [line.category for line in result.important] == ["refused", "trace", "trace", "oom"]
    health = [line for line in result.tail if "/health" in line.text]
    assert len(health) == 1 and health[0].count == 3
    assert result.total == 10 and not result.cut


def test_secrets_are_masked() -> None:
    text = "\n".join(line.text for line in digest(LOG).tail)
    assert "hunter2" not in text and "[REDACTED]" in text


def test_grep_keeps_matching_lines_only() -> None:
    result = digest(LOG, grep="HEALTH")
    assert [line.count for line in result.tail] == [3]
    assert result.important == ()


def test_bounded_in_lines_and_bytes() -> None:
    noisy = "\n".join(f"line {i} {'x' * 90} tag{i % 7}" for i in range(1000))
    by_lines = digest(noisy.replace(" tag", "-tag"), max_lines=20)
    assert len(by_lines.tail) <= 20 and by_lines.cut
    by_bytes = digest(noisy, max_bytes=1000)
    assert sum(len(line.text) for line in by_bytes.tail) <= 1000 and by_bytes.cut
    # the latest line is always the one kept last
    assert by_bytes.tail[-1].text.startswith("line 999")
