"""Ids for a new entry: proposed from the title, checked against the catalog and the site's own pages."""

from __future__ import annotations

import re
import unicodedata

from rcmkb.catalog import Catalog
from rcmkb.fields import ID, ID_MAX_LENGTH
from rcmkb.new.strings import strings

MAX_ID_WORDS = 5
MAX_ID_LENGTH = 70
# Words left out of a proposed id: it stays short and says what the document is.
_STOP_WORDS = frozenset((
    "a", "al", "an", "and", "as", "at", "by", "con", "de", "del", "during", "e", "el", "en", "for", "from", "in",
    "into", "la", "las", "los", "o", "of", "on", "or", "para", "por", "sobre", "the", "to", "u", "under", "with", "y",
))

# Words that make no sense at the end of a cut title.
_DANGLING = frozenset(("no", "not", "sin", "without", "non", "ni", "nor"))


def slug_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


def propose_id(title: str, organizations: list[str], year: int | None) -> str:
    """An id from the title: ASCII kebab-case, accents stripped, organization first and year last.

    e.g. ("Protocolo de atención a niñez migrante", ["iom"], 2016) -> "iom-protocolo-atencion-ninez-migrante-2016".
    """
    main_title = re.split(r"[:(]", title)[0]  # "Children on the Run: Unaccompanied..." -> "Children on the Run"
    words = [w for w in slug_words(main_title) if w not in _STOP_WORDS]
    if len(words) < 2:
        words = [w for w in slug_words(title) if w not in _STOP_WORDS]
    prefix = slug_words(organizations[0]) if organizations else []
    if prefix and words[: len(prefix)] == prefix:
        prefix = []
    if year is not None and words and words[-1] == str(year):
        words = words[:-1]
    chosen = prefix + words[:MAX_ID_WORDS]
    while len(chosen) > 1 and chosen[-1] in _DANGLING:  # "...-migrante-no-2016" would misread
        chosen = chosen[:-1]
    suffix = [str(year)] if year is not None else []
    while len("-".join(chosen + suffix)) > MAX_ID_LENGTH and len(chosen) > 1:
        chosen = chosen[:-1]
    return "-".join(chosen + suffix) or "entry"


def id_problem(entry_id: str, catalog: Catalog, lang: str) -> str | None:
    """Why `entry_id` cannot be used, in the maintainer's language, or None."""
    p = strings()[lang]["prompts"]
    if not ID.match(entry_id) or len(entry_id) > ID_MAX_LENGTH:
        return p["id_format"]
    from rcmkb.validate import RESERVED_IDS

    if entry_id in RESERVED_IDS:
        return p["id_reserved"]
    existing = catalog.root / "entries" / f"{entry_id}.yml"
    if existing.exists() or entry_id in catalog.entries:
        return p["id_taken"].format(path=existing.as_posix())
    for stem, doc in catalog.entries.items():
        former = doc.data.get("former_ids") if isinstance(doc.data, dict) else None
        if isinstance(former, list) and entry_id in former:
            return p["id_former"].format(owner=stem)
    return None


