"""Validation: every rule the catalog must meet, all reported in one run.

Structure comes from the JSON Schemas in catalog/schema/ (the single source of truth that
editors also use); rcmkb.rules holds the table of rules, one small function per rule id, that
turns schema errors into plain words and adds what a schema cannot express: references between
files, vocabulary terms, URL safety, plausible dates, plain-text fields.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rcmkb import clock
from rcmkb.catalog import Catalog, load_catalog
from rcmkb.findings import Findings
from rcmkb.gcpause import collector_paused
from rcmkb.messages import DEFAULT_LANG
from rcmkb.routes import RESERVED_IDS  # names the site's own pages take (the route table)
from rcmkb.rules import RULES, SEVERITY, run
from rcmkb.rules.dates import EARLIEST_YEAR, REVIEW_MAX_AGE_DAYS, review_age_days, review_overdue_on
from rcmkb.rules.view import CatalogView

__all__ = ["EARLIEST_YEAR", "RESERVED_IDS", "REVIEW_MAX_AGE_DAYS", "RULES", "check", "review_age_days",
           "review_overdue_on", "validate"]



def validate(catalog_dir: Path, *, today: dt.date | None = None, lang: str = DEFAULT_LANG
             ) -> tuple[Catalog, Findings]:
    """Load and check the catalog. Messages are in `lang` (es or en); "today" is clock.today() unless given."""
    findings = Findings(lang=lang)
    with collector_paused():
        catalog = load_catalog(catalog_dir, findings)
        check(catalog, findings, today=today or clock.today())
    return catalog, findings


def check(catalog: Catalog, findings: Findings, *, today: dt.date) -> None:
    """Run every rule of the table on a loaded catalog. The catalog is only read, never changed."""
    run(CatalogView(catalog, today), findings)
    findings.apply_severities(SEVERITY)
