"""The `rcmkb bench` subcommand's options (the work itself is imported only when it runs)."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from rcmkb.bench.run import main

    return main(args)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmark synthetic catalogs of 100, 1,000 and 5,000 entries against stock "
                                     "MkDocs; writes bench/results.json, results.md and chart.svg")
    p.add_argument("--quick", action="store_true", help="reduced run (N = 50 and 200), a few minutes")
    p.add_argument("--sizes", help="comma-separated N values instead of the default ones")
    p.add_argument("--out", help="folder for the reports (default: bench/)")
    p.add_argument("--work-dir", help="folder for the throwaway repository copies (default: bench/work/)")
    p.add_argument("--keep", action="store_true", help="keep the copies and their built sites")
    p.add_argument("--no-readme", action="store_true", help="do not update the README's Benchmark section")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: rewrite results.md, chart.svg (and the README section) from results.json")
    p.set_defaults(func=_run)
