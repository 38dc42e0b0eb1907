"""catalog/link-exceptions.yml: links the link checker must not count as broken, each for a limited time.

Validated like the rest of the catalog (`rcmkb validate`) and read by `rcmkb check-links`. An
exception names one url or a prefix, gives a reason, the date a maintainer checked the link by
hand and an expiry at most a year later, so that no exception silently outlives its reason.
Each rule is a small function over the loaded file; `load_exceptions` runs them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rcmkb.findings import Findings
from rcmkb.load import Document, load_yaml
from rcmkb.schema import check_schema

FILE_NAME = "link-exceptions.yml"
SCHEMA = "link-exceptions.schema.json"


@dataclass(frozen=True)
class LinkException:
    target: str  # the url, or the prefix
    is_prefix: bool
    reason: str
    expires: dt.date

    def covers(self, url: str) -> bool:
        return url.startswith(self.target) if self.is_prefix else url == self.target


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _Item:
    index: int
    data: dict[str, Any]

    @property
    def where(self) -> tuple[Any, ...]:
        return ("exceptions", self.index)

    @property
    def field(self) -> str:
        return "url" if "url" in self.data else "prefix"

    @property
    def target(self) -> str:
        return str(self.data.get(self.field, ""))

    @property
    def reviewed(self) -> dt.date | None:
        return _date(self.data.get("reviewed"))

    @property
    def expires(self) -> dt.date | None:
        return _date(self.data.get("expires"))

    @property
    def web(self) -> bool:
        return urlsplit(self.target).scheme.lower() in ("http", "https")


def _items(doc: Document) -> Iterator[_Item]:
    """The exceptions of a schema-valid file."""
    for index, item in enumerate(doc.data["exceptions"]):
        yield _Item(index, item)


def check_scheme(doc: Document, findings: Findings) -> None:
    for item in _items(doc):
        if not item.web:
            findings.say(doc.path, *doc.where(item.where + (item.field,)), "url-scheme", "exception-url-scheme",
                         field=item.field, target=item.target)


def check_real_dates(doc: Document, findings: Findings) -> None:
    for item in _items(doc):
        for key, value in (("reviewed", item.reviewed), ("expires", item.expires)):
            if value is None:
                findings.say(doc.path, *doc.where(item.where + (key,)), "implausible-date", "not-a-real-date",
                             field=key, value=item.data[key])


def check_reviewed_not_future(doc: Document, findings: Findings, today: dt.date) -> None:
    for item in _items(doc):
        if item.web and item.reviewed and item.reviewed > today:
            findings.say(doc.path, *doc.where(item.where + ("reviewed",)), "future-date", "exception-future",
                         value=item.data["reviewed"])


def check_length(doc: Document, findings: Findings, today: dt.date) -> None:
    for item in _items(doc):
        if not (item.web and item.reviewed and item.expires) or item.reviewed > today:
            continue
        if item.expires > _one_year_after(item.reviewed):
            findings.say(doc.path, *doc.where(item.where + ("expires",)), "exception-too-long",
                         "exception-too-long", expires=item.data["expires"], reviewed=item.data["reviewed"],
                         latest=_one_year_after(item.reviewed).isoformat())


def check_expiry(doc: Document, findings: Findings, today: dt.date) -> None:
    for item in _items(doc):
        if not (item.web and item.reviewed and item.expires) or item.reviewed > today:
            continue
        if item.expires <= _one_year_after(item.reviewed) and item.expires < today:
            findings.say(doc.path, *doc.where(item.where + ("expires",)), "exception-expired",
                         "exception-expired", target=item.target, expires=item.data["expires"])


def usable(doc: Document, today: dt.date) -> list[LinkException]:
    """The exceptions that pass every rule and have not expired."""
    result = []
    for item in _items(doc):
        reviewed, expires = item.reviewed, item.expires
        if (item.web and reviewed and expires and reviewed <= today and expires <= _one_year_after(reviewed)
                and expires >= today):
            result.append(LinkException(item.target, item.field == "prefix", str(item.data["reason"]), expires))
    return result


def load_exceptions(catalog_dir: Path, findings: Findings, today: dt.date) -> list[LinkException]:
    """The valid, unexpired exceptions; every problem of the file goes to `findings`."""
    path = catalog_dir / FILE_NAME
    if not (path.exists() or path.is_symlink()):
        return []
    doc = load_yaml(path, findings)
    if doc is None or not check_schema(doc, SCHEMA, catalog_dir / "schema", findings, "link-exceptions"):
        return []
    check_scheme(doc, findings)
    check_real_dates(doc, findings)
    check_reviewed_not_future(doc, findings, today)
    check_length(doc, findings, today)
    check_expiry(doc, findings, today)
    return usable(doc, today)
