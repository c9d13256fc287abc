"""The parser fuzzer and the parse benchmark run in a tiny mode, so neither can rot unnoticed."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import REPO

BENCH = REPO / "bench"


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_fuzz_parsers_tiny_run() -> None:
    done = run("fuzz_parsers.py", "--count", "2000", "--seed", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"^inputs: 2000 \(seed 1; \d+ corpus files;", out, re.M), out
    assert re.search(r"^unexpected exceptions: 0$", out, re.M), out
    items = int(re.search(r"^items: (\d+)$", out, re.M).group(1))  # type: ignore[union-attr]
    rejections = int(re.search(r"^rejections: (\d+)$", out, re.M).group(1))  # type: ignore[union-attr]
    assert items > 0
    assert rejections > 0
    by_code = dict(re.findall(r"^  (\w+): (\d+)$", out, re.M))
    assert sum(map(int, by_code.values())) == rejections
    assert {"malformed_json", "malformed_xml"} <= set(by_code)
    assert re.search(r"^slowest input: [\d.]+ ms, \d+ bytes", out, re.M), out


def test_fuzz_parsers_is_repeatable() -> None:
    first = run("fuzz_parsers.py", "--count", "300", "--seed", "7")
    second = run("fuzz_parsers.py", "--count", "300", "--seed", "7")

    def counts(out: str) -> list[str]:
        return [line for line in out.splitlines() if not line.startswith(("slowest", "wall"))]

    assert counts(first.stdout) == counts(second.stdout)


def test_bench_parse_tiny_run() -> None:
    done = run("bench_parse.py", "--seconds", "0.05")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for fmt in ("dpa_text", "iptc7901", "anpa", "newsml_g2", "newsml12", "ninjs", "digitalwires", "ap_json"):
        row = re.search(rf"^.+ {fmt} +([\d,]+) +([\d,]+) +([\d.]+)", out, re.M)
        assert row, f"no row for {fmt}:\n{out}"
        size, rate = (int(g.replace(",", "")) for g in row.groups()[:2])
        assert size > 0
        assert rate > 0
    newsml_g2 = re.search(r"^.+ newsml_g2 +([\d,]+)", out, re.M)
    assert newsml_g2 and int(newsml_g2.group(1).replace(",", "")) >= 10_000
    assert re.search(r"dpa_text .*≥5,000/s", out)
    assert re.search(r"ninjs .*≥5,000/s", out)
    assert re.search(r"newsml_g2 .*≥2,000/s", out)
    assert re.search(r"^targets missed: ", out, re.M)
