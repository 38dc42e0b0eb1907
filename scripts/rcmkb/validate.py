"""Validation: every rule the catalog must meet, all reported in one run.

Structure comes from the JSON Schemas in catalog/schema/ (the single source of truth that
editors also use); rcmkb.rules holds the table of rules, one small function per rule id, that
turns schema errors into plain words and adds what a schema cannot express: references between
files, vocabulary terms, URL safety, plausible dates, plain-text fields.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rcmkb import clock
from rcmkb.catalog import Catalog, load_catalog
from rcmkb.findings import Findings
from rcmkb.gcpause import collector_paused
from rcmkb.messages import DEFAULT_LANG
from rcmkb.routes import RESERVED_IDS  # names the site's own pages take (the route table)
from rcmkb.rules import RULES, SEVERITY, run
from rcmkb.rules.dates import EARLIEST_YEAR, REVIEW_MAX_AGE_DAYS, review_age_days, review_overdue_on
from rcmkb.rules.view import CatalogView, Memo

if TYPE_CHECKING:
    from rcmkb.preview import ValidationMemo

__all__ = ["EARLIEST_YEAR", "RESERVED_IDS", "REVIEW_MAX_AGE_DAYS", "RULES", "check", "review_age_days",
           "review_overdue_on", "validate"]



def validate(catalog_dir: Path, *, today: dt.date | None = None, lang: str = DEFAULT_LANG,
             memo: ValidationMemo | None = None) -> tuple[Catalog, Findings]:
    """Load and check the catalog. Messages are in `lang` (es or en); "today" is clock.today() unless given.

    With `memo` (the preview's), files unchanged since its last run are not parsed or checked again:
    what was found in them is replayed, so the findings are the same."""
    findings = Findings(lang=lang)
    today = today or clock.today()
    with collector_paused():
        if memo is None:
            catalog = load_catalog(catalog_dir, findings)
        else:
            memo.begin(catalog_dir)
            catalog = load_catalog(catalog_dir, findings, memo.load, parallel=False)  # the memo fills here
            memo.context(catalog, today, lang)
        check(catalog, findings, today=today, memo=memo)
    return catalog, findings


def check(catalog: Catalog, findings: Findings, *, today: dt.date, memo: Memo | None = None) -> None:
    """Run every rule of the table on a loaded catalog. The catalog is only read, never changed."""
    run(CatalogView(catalog, today, memo), findings)
    findings.apply_severities(SEVERITY)
