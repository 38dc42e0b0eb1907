"""`python -m bench` (what `make bench` runs): its options; the work itself is in bench.run."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench",
                                description="Benchmark synthetic catalogs of 100, 1,000 and 5,000 entries against "
                                            "stock MkDocs; writes bench/results.json, results.md and chart.svg.")
    p.add_argument("--quick", action="store_true",
                   help="reduced run (N = 50 and 200), a few minutes; reports go to bench/work/quick/")
    p.add_argument("--sizes", help="comma-separated N values instead of the default ones")
    p.add_argument("--queries", type=int, help="how many of the search queries to time (default: the plan's)")
    p.add_argument("--out", help="folder for the reports (default: bench/, or bench/work/quick/ with --quick)")
    p.add_argument("--work-dir", help="folder for the throwaway repository copies (default: bench/work/)")
    p.add_argument("--keep", action="store_true", help="keep the copies and their built sites")
    p.add_argument("--no-readme", action="store_true", help="do not update the README's Benchmark section")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: rewrite results.md, chart.svg (and the README section) from results.json")
    return p


def main(argv: list[str] | None = None) -> int:
    from bench.run import main as run_main

    return run_main(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
