"""catalog/link-exceptions.yml: links the link checker must not count as broken, each for a limited time.

Validated like the rest of the catalog (`rcmkb validate`) and read by `rcmkb check-links`. An
exception names one url or a prefix, gives a reason, the date a maintainer checked the link by
hand and an expiry at most a year later, so that no exception silently outlives its reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rcmkb.findings import Findings
from rcmkb.load import load_yaml
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


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def load_exceptions(catalog_dir: Path, findings: Findings, today: dt.date) -> list[LinkException]:
    """The valid, unexpired exceptions; every problem of the file goes to `findings`."""
    path = catalog_dir / FILE_NAME
    if not path.is_file():
        return []
    doc = load_yaml(path, findings)
    if doc is None or not check_schema(doc, SCHEMA, catalog_dir / "schema", findings, "the link exceptions file"):
        return []
    result: list[LinkException] = []
    for index, item in enumerate(doc.data["exceptions"]):
        where = ("exceptions", index)
        target = item.get("url", item.get("prefix", ""))
        field = "url" if "url" in item else "prefix"
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            findings.add(path, *doc.where(where + (field,)), "url-scheme",
                         f"{field} {target!r} must be a full address starting with https:// (or http://).")
            continue
        reviewed, expires = _date(item["reviewed"]), _date(item["expires"])
        bad = [(key, item[key]) for key, value in (("reviewed", reviewed), ("expires", expires)) if value is None]
        for key, value in bad:
            findings.add(path, *doc.where(where + (key,)), "implausible-date",
                         f'{key} is "{value}", which is not a real date (check month and day).')
        if reviewed is None or expires is None:
            continue
        if reviewed > today:
            findings.add(path, *doc.where(where + ("reviewed",)), "future-date",
                         f'reviewed is "{item["reviewed"]}", which is in the future: write the day you checked '
                         "the link.")
            continue
        if expires > _one_year_after(reviewed):
            findings.add(path, *doc.where(where + ("expires",)), "exception-too-long",
                         f'expires is "{item["expires"]}", more than a year after reviewed ("{item["reviewed"]}"). '
                         f'An exception lasts at most a year: write "{_one_year_after(reviewed).isoformat()}" '
                         "or earlier.")
            continue
        if expires < today:
            findings.add(path, *doc.where(where + ("expires",)), "exception-expired",
                         f'the exception for {target} expired on {item["expires"]}. Open the link in a browser: '
                         "if it works, set reviewed to today and expires to at most a year later; if not, fix "
                         "or remove the link in the catalog and delete this exception.")
            continue
        result.append(LinkException(target, field == "prefix", item["reason"], expires))
    return result
