"""Acronym expansions shown on hover (<abbr title>), in the page's own language.

Python-Markdown's abbr extension turns a definition line `*[OIM]: Organización ...` into an
<abbr> around every "OIM" of the page. Definitions come from the organizations vocabulary and
the glossary's acronyms; each page gets only those it uses, so pages stay small.
"""

from __future__ import annotations

import re
from functools import cached_property

from rcmkb.model import SiteModel

# Characters kept in an expansion. The abbr extension writes it into an attribute, where our
# usual entity escaping would show up literally, so anything unusual is simply dropped.
_UNSAFE_IN_TITLE = re.compile(r"[^\w\s.,'’/()\-]", re.UNICODE)


class Acronyms:
    def __init__(self, model: SiteModel, lang: str) -> None:
        self.model = model
        self.lang = lang

    @cached_property
    def table(self) -> dict[str, str]:
        expansions: dict[str, str] = {}
        for term in self.model.vocab["organizations"].terms.values():
            acronym = (term.get("acronym") or {}).get(self.lang)
            if acronym and acronym != term[self.lang]:
                expansions.setdefault(acronym, term[self.lang])
        for item in self.model.glossary.get("acronyms", []):
            pair = item.get(self.lang) or {}
            if pair.get("short") and pair.get("long"):
                expansions.setdefault(pair["short"], pair["long"])
        return {short: _UNSAFE_IN_TITLE.sub("", long).strip() for short, long in expansions.items()
                if re.fullmatch(r"[\w. ]+", short)}

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.table:
            return None
        alternatives = "|".join(re.escape(s) for s in sorted(self.table, key=len, reverse=True))
        return re.compile(rf"(?<![\w&#]){'(?:' + alternatives + ')'}(?!\w)")

    def definitions_for(self, page_text: str) -> str:
        """Abbreviation definition lines for the acronyms that occur in `page_text`."""
        if self._pattern is None:
            return ""
        used = sorted(set(self._pattern.findall(page_text)))
        if not used:
            return ""
        return "\n" + "".join(f"*[{short}]: {self.table[short]}\n" for short in used)
