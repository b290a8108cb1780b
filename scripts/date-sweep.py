#!/usr/bin/env -S sh -c 'exec "$(dirname "$0")/../.venv/bin/python" "$0" "$@"'
"""Runs the date-sensitive tests once per day over a run of consecutive days.

    scripts/date-sweep.py [--from YYYY-MM-DD] [--days 30] [--all | --only PATH ...] [-j 1]
                          [-- PYTEST_ARGS]

Each day is a pytest session started with `--today=DAY` (tests/conftest.py: the whole session
travels to that day, 09:00 WIB, with the clock ticking). Prints one line per day — date,
passed, failed (and the failing tests) — and exits 1 if any day failed.

By default it runs the tests that read "today": the demo stories, the DPRD hearing, blanko
statistics, tickets (but their process races) and training; `--all` runs the whole suite except the browser tests,
`--only` the given test paths.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DATE_SENSITIVE = sorted(
    [str(p.relative_to(ROOT)) for p in ROOT.glob("tests/*/test_demo.py")]
    + ["tests/hearing", "tests/blanko/test_stats.py", "tests/tickets", "tests/training"]
) + ["--ignore=tests/tickets/test_concurrency.py"]  # process races, not dates; the slowest
WHOLE_SUITE = ["tests", "--ignore=tests/browser"]


def run_day(day: date, targets: list[str], extra: list[str]) -> tuple[date, int, int, list[str]]:
    cmd = [
        str(PYTHON if PYTHON.exists() else sys.executable),
        "-m",
        "pytest",
        f"--today={day.isoformat()}",
        "-rfE",
        "--no-header",
        *targets,
        *extra,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    counts = {k: 0 for k in ("passed", "failed", "error", "errors")}
    tail = out.strip().splitlines()[-1] if out.strip() else ""
    for n, kind in re.findall(r"(\d+) (passed|failed|errors?)\b", tail):
        counts[kind] += int(n)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    names = re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.MULTILINE)
    if proc.returncode not in (0, 1) and not failed:
        failed = 1  # pytest itself failed (usage, collection, internal error)
        names = names or [f"pytest exited {proc.returncode}: {tail}"]
    return day, counts["passed"], failed, names


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=date.today())
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--all", action="store_true", help="whole suite except tests/browser")
    parser.add_argument("--only", action="append", metavar="PATH", help="test path (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="days run in parallel")
    args = parser.parse_args(argv)

    targets = args.only or (WHOLE_SUITE if args.all else DATE_SENSITIVE)
    days = [args.start + timedelta(days=i) for i in range(args.days)]
    bad = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for day, passed, failed, names in pool.map(lambda d: run_day(d, targets, extra), days):
            line = f"{day.isoformat()}  passed {passed:5d}  failed {failed:3d}"
            if names:
                line += "  " + " ".join(names)
            print(line, flush=True)
            bad += failed > 0
    print(f"{len(days) - bad}/{len(days)} hari lulus", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
