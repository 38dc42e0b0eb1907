"""The `rcmkb` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rcmkb.findings import Findings


def _print_findings(findings: Findings, *, github: bool) -> None:
    for finding in findings.sorted():
        print(finding.format(), file=sys.stderr)
        if github:
            print(finding.github_annotation())


def cmd_validate(args: argparse.Namespace) -> int:
    from rcmkb.messages import lang_from_environment
    from rcmkb.validate import RULES, validate

    if args.list_rules:  # the rules table, for the guide and for anyone wondering what is checked
        for rule in RULES:
            print(f"{rule.id:<20} {rule.severity:<8} {rule.summary}")
        return 0

    catalog, findings = validate(Path(args.catalog_dir), lang=args.lang or lang_from_environment())
    if args.strict:
        findings.promote_warnings()
    _print_findings(findings, github=args.github or os.environ.get("GITHUB_ACTIONS") == "true")
    errors, warnings = len(findings.errors), len(findings.warnings)
    files = len(catalog.entries) + len(catalog.decisions)
    if errors:
        print(f"{errors} error(s), {warnings} warning(s) in {args.catalog_dir}. Each line above gives the file, line "
              "and column, the rule in [brackets] and how to fix it; CONTRIBUTING (docs/contribuir.md) explains "
              "every rule.", file=sys.stderr)
        return 1
    print(f"ok: {len(catalog.entries)} entries and {len(catalog.decisions)} decisions valid "
          f"({files} files, {warnings} warning(s))")
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from rcmkb.generate import GenerationError, generate_site_pages

    try:
        result = generate_site_pages(Path(args.catalog_dir), Path(args.docs_dir))
    except GenerationError as error:
        _print_findings(error.findings, github=os.environ.get("GITHUB_ACTIONS") == "true")
        print(str(error), file=sys.stderr)
        return 1
    print(f"generated: {result.written} written, {result.removed} removed, {result.unchanged} unchanged")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from rcmkb.build import BuildError, build_site

    try:
        build_site(Path(args.root), Path(args.site_dir), search=not args.no_search)
    except BuildError as error:
        print(f"build failed, {args.site_dir}/ left as it was: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from rcmkb.new import run

    return run(args)


def cmd_check_links(args: argparse.Namespace) -> int:
    from rcmkb.checklinks import run

    return run(args)


def cmd_offline(args: argparse.Namespace) -> int:
    from rcmkb.build import BuildError
    from rcmkb.offline import build_offline

    try:
        path = build_offline(Path(args.root), Path(args.output))
    except BuildError as error:
        print(f"offline build failed, {args.output} left as it was: {error}", file=sys.stderr)
        return 1
    print(f"{args.output}: {path.stat().st_size / 1_000_000:.1f} MB ({path.stat().st_size} bytes)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rcmkb", description="RCM child-protection tools catalog.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the catalog; every problem is reported as path:line:col")
    p.add_argument("catalog_dir", nargs="?", default="catalog")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    p.add_argument("--lang", choices=("es", "en"), help="language of the messages (default: Spanish when "
                                                        "LC_ALL, LC_MESSAGES or LANG starts with es, else English)")
    p.add_argument("--list-rules", action="store_true", help="print every rule id, its severity and what it checks")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("generate", help="write the catalog pages into docs/catalogo/")
    p.add_argument("--catalog-dir", default="catalog")
    p.add_argument("--docs-dir", default="docs")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("build", help="validate, generate and build the whole site into site/ (atomically)")
    p.add_argument("--root", default=".")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("offline", help="build the site for use from disk (no server) as a zip")
    p.add_argument("--root", default=".")
    p.add_argument("--output", default="dist/offline.zip")
    p.set_defaults(func=cmd_offline)

    from rcmkb.new import add_arguments as new_arguments

    p = sub.add_parser("new", help="write a new annotated entry from a few questions (or flags)")
    new_arguments(p)
    p.set_defaults(func=cmd_new)

    from rcmkb.checklinks import add_arguments as check_links_arguments

    p = sub.add_parser("check-links", help="check every link of the built site (external ones with --external)")
    check_links_arguments(p)
    p.set_defaults(func=cmd_check_links)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
