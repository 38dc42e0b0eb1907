"""Rules on dates: real, plausible, not in the future, reviews kept up, years that agree with dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.linkexceptions import check_expiry, check_length, check_real_dates, check_reviewed_not_future
from rcmkb.rules.view import CatalogView, File, say

EARLIEST_YEAR = 1900
REVIEW_MAX_AGE_DAYS = 365
_YEAR_DATES = ("adopted", "published", "dated")  # the date printed on the document counts too
_PARTIAL = fields.whole(str(fields.schemas()[fields.ENTRY]["$defs"]["partialDate"]["pattern"]))


def parse_partial_date(value: str) -> dt.date | None:
    """"2016" -> 2016-01-01, "2016-11" -> 2016-11-01; None for a date that does not exist."""
    try:
        parts = [int(p) for p in value.split("-")]
        year, month, day = (parts + [1, 1])[:3]
        return dt.date(year, month, day)
    except ValueError:
        return None


def review_age_days(reviewed: str | dt.date, today: dt.date) -> int | None:
    """Days since an entry was last reviewed (the one review-age rule: validation and the maintainers' page)."""
    day = parse_partial_date(reviewed) if isinstance(reviewed, str) else reviewed
    return None if day is None else (today - day).days


def review_overdue_on(reviewed: str | dt.date, today: dt.date) -> bool:
    age = review_age_days(reviewed, today)
    return age is not None and age > REVIEW_MAX_AGE_DAYS


def _dates(view: CatalogView) -> Iterator[tuple[File, tuple[Any, ...], str, dt.date | None]]:
    """(file, path, text, parsed) for every well-formed date of entries and decisions."""
    for file in view.of_kind("entry", "decision"):
        for field_path in fields.date_fields(file.schema):
            for path, value in file.values(field_path):
                if isinstance(value, str) and _PARTIAL.match(value):  # a malformed one is date-format
                    yield file, path, value, parse_partial_date(value)


def _label(path: tuple[Any, ...]) -> str:
    return ".".join(map(str, path))


def implausible_date(view: CatalogView, findings: Findings) -> None:
    from rcmkb.rules.structure import schema_implausible_year

    schema_implausible_year(view, findings)
    for file, path, value, parsed in _dates(view):
        if parsed is None:
            say(findings, file, path, "implausible-date", "not-a-real-date", field=_label(path), value=value)
        elif parsed.year < EARLIEST_YEAR:
            say(findings, file, path, "implausible-date", "date-too-early", field=_label(path), value=value,
                earliest=EARLIEST_YEAR)
    for file in view.of_kind("entry"):
        data = file.data if isinstance(file.data, dict) else {}
        added, reviewed = (parse_partial_date(data[k]) if isinstance(data.get(k), str) and _PARTIAL.match(data[k])
                           else None for k in ("added", "reviewed"))
        if added and reviewed and reviewed < added:
            say(findings, file, ("reviewed",), "implausible-date", "reviewed-before-added")
    for file in view.of_kind("link-exceptions"):
        if view.valid(file):
            check_real_dates(file.doc, findings)


def future_date(view: CatalogView, findings: Findings) -> None:
    for file, path, value, parsed in _dates(view):
        if parsed is not None and parsed.year >= EARLIEST_YEAR and parsed > view.today:
            say(findings, file, path, "future-date", "future-date", field=_label(path), value=value)
    for file in view.of_kind("entry"):
        year = file.data.get("year") if isinstance(file.data, dict) else None
        if isinstance(year, int) and not isinstance(year, bool) and year > view.today.year:
            say(findings, file, ("year",), "future-date", "future-year", value=year)
    for file in view.of_kind("link-exceptions"):
        if view.valid(file):
            check_reviewed_not_future(file.doc, findings, view.today)


def review_overdue(view: CatalogView, findings: Findings) -> None:
    for file in view.of_kind("entry"):
        reviewed = file.data.get("reviewed") if isinstance(file.data, dict) else None
        if isinstance(reviewed, str) and _PARTIAL.match(reviewed) and review_overdue_on(reviewed, view.today):
            say(findings, file, ("reviewed",), "review-overdue", "review-overdue", value=reviewed)


def year_mismatch(view: CatalogView, findings: Findings) -> None:
    """`year` is the year of adoption or publication: when those dates are given, it is one of their years.

    A launch or event date may fall in another year (a handbook launched in December before its
    publication year), so only `adopted`, `published` and `dated` (the date printed on it) count.
    """
    for file in view.of_kind("entry"):
        data = file.data if isinstance(file.data, dict) else {}
        year, dates = data.get("year"), data.get("dates")
        if not isinstance(year, int) or isinstance(year, bool) or not isinstance(dates, dict):
            continue
        counted = {key: value for key, value in dates.items()
                   if key in _YEAR_DATES and isinstance(value, str) and _PARTIAL.match(value)}
        if counted and str(year) not in {value[:4] for value in counted.values()}:
            shown = ", ".join(f"{key} {value}" for key, value in counted.items())
            say(findings, file, ("year",), "year-mismatch", "year-mismatch", value=year, dates=shown)


def exception_too_long(view: CatalogView, findings: Findings) -> None:
    for file in view.of_kind("link-exceptions"):
        if view.valid(file):
            check_length(file.doc, findings, view.today)


def exception_expired(view: CatalogView, findings: Findings) -> None:
    for file in view.of_kind("link-exceptions"):
        if view.valid(file):
            check_expiry(file.doc, findings, view.today)
