"""Where a new entry's link was seen: the choices, defaults and checks of the source questions.

Every link records `source:` (document, item, seen_as, confidence) and every entry a `provenance:`
list that includes each link's source (tests/test_content.py holds the catalog to this). `rcmkb new`
asks once, for the link, and writes the same document, item and confidence as the entry's provenance.
The choices come from the schema; what the item looks like for the team's own sources is said here,
in the words of the schema's description of `sourceRef.item`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from rcmkb import fields

SOURCE_DOCUMENTS = fields.enum_values(("links", fields.ANY, "source", "document"))
SEEN_AS = fields.enum_values(("links", fields.ANY, "source", "seen_as"))
CONFIDENCE = fields.enum_values(("links", fields.ANY, "source", "confidence"))

# A maintainer cites what they consulted; that is the normal answer.
DEFAULT_DOCUMENT = "maintainer"
DEFAULT_SEEN_AS = "page"
# Only a link on the issuer's own site (kind official) is, by default, as sure as a source gets.
CONFIDENT_KIND = "official"
DEFAULT_CONFIDENCE = "high"

# How an item of the team's source documents is written (the schema's sourceRef.item description);
# a maintainer's citation is free text.
ITEM_FORMS: dict[str, re.Pattern[str]] = {
    "dossier": re.compile(r"^([A-J]\.\d{1,2}|other|mandates|facts|gaps)$"),
    "addendum-2": re.compile(r"^(\d\.\d{1,2}|P3|P4|other)$"),
    "report-2017": re.compile(r"^(\d{1,2}|whole)$"),
    "maintainer": re.compile(r"\S"),
}
ITEM_EXAMPLES = {"dossier": "A.1, C.24", "addendum-2": "1.28, P3, P4", "report-2017": "5, whole"}


def item_ok(document: str, item: str) -> bool:
    form = ITEM_FORMS.get(document)
    return form is None or bool(form.search(item))


def default_confidence(kind: str) -> str:
    """high for the issuer's own page; anything else the maintainer must judge (no default)."""
    return DEFAULT_CONFIDENCE if kind == CONFIDENT_KIND else ""


def proposed_citation(url: str, today: str, template: str) -> str:
    """A citation to accept or edit: the site consulted and the day, e.g. "www.iom.int, consultado el 2026-12-01"."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return template.format(host=host, date=today) if host else ""


def provenance_of(source: dict[str, str]) -> list[dict[str, str]]:
    """The entry's provenance: the one source the maintainer consulted, for the whole entry."""
    return [{key: source[key] for key in ("document", "item", "confidence")}]
