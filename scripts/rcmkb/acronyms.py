"""Acronym expansions shown on hover (<abbr title>), in the page's own language.

Python-Markdown's abbr extension turns a definition line `*[OIM]: Organización ...` into an
<abbr> around every "OIM" of the page. Definitions come from the organizations vocabulary and
the glossary's acronyms; each page gets only those it uses, so pages stay small.

Which acronyms a page uses is found from the catalog values it shows (an entry's fields, the
titles and labels a listing prints), each value scanned once per build and the result reused by
every page that shows it, rather than by scanning each rendered page. A definition the page
turns out not to need is harmless: the extension only marks text that is there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from markupsafe import Markup

from rcmkb.catalog import ENTRY_TERM_FIELDS
from rcmkb.model import SiteModel, as_list
from rcmkb.text import inert

_Used = frozenset[str]
_NONE: _Used = frozenset()

# Characters kept in an expansion. The abbr extension writes it into an attribute, where our
# usual entity escaping would show up literally, so anything unusual is simply dropped.
_UNSAFE_IN_TITLE = re.compile(r"[^\w\s.,'’/()\-]", re.UNICODE)


def _any_of(acronyms: Iterable[str]) -> re.Pattern[str] | None:
    """A whole-word match of any of `acronyms`, the longest first; never inside an entity (&#65;).

    The lookahead names the characters an acronym can start with, so that the search skips all the
    others in compiled code (the lookbehind tried at every position took 2.3 times as long)."""
    ordered = sorted(acronyms, key=len, reverse=True)
    if not ordered:
        return None
    alternatives = "|".join(re.escape(short) for short in ordered)
    first = "".join(sorted({re.escape(short[0]) for short in ordered}))
    return re.compile(rf"(?=[{first}])(?<![\w&#])(?:{alternatives})(?!\w)")


class Acronyms:
    def __init__(self, model: SiteModel, lang: str) -> None:
        self.model = model
        self.lang = lang
        self._by_text: dict[str, _Used] = {}
        self._by_entry: dict[str, _Used] = {}
        self._titles: dict[str, _Used] = {}
        self._marked: dict[str, Markup] = {}

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
        return _any_of(self.table)

    @cached_property
    def _escaped(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        """The acronyms as `inert` writes them, and their <abbr> elements."""
        elements = {str(inert(short)): f'<abbr title="{html.escape(long, quote=True)}">{inert(short)}</abbr>'
                    for short, long in self.table.items()}
        return _any_of(elements), elements

    def mark(self, value: str) -> Markup:
        """`value` made inert, with each acronym in the <abbr> that the abbr extension would put
        around it: for raw-HTML listings, which Python-Markdown leaves as they are. Made once per
        value: a title is printed by several listings, a type's label by thousands of lines."""
        marked = self._marked.get(value)
        if marked is None:
            marked = escaped = inert(value)
            pattern, elements = self._escaped
            if pattern is not None:
                marked = Markup(pattern.sub(lambda found: elements[found.group(0)], escaped))
            self._marked[value] = marked
        return marked

    def definitions_for(self, page_text: str) -> str:
        """Abbreviation definition lines for the acronyms that occur in `page_text`."""
        if self._pattern is None:
            return ""
        used = sorted(set(self._pattern.findall(page_text)))
        if not used:
            return ""
        return "\n" + "".join(f"*[{short}]: {self.table[short]}\n" for short in used)

    def definitions(self, used: Iterable[str]) -> str:
        """Definition lines for these acronyms (in a fixed order)."""
        chosen = sorted(set(used))
        if not chosen:
            return ""
        return "\n" + "".join(f"*[{short}]: {self.table[short]}\n" for short in chosen)

    def in_text(self, value: str) -> _Used:
        """The acronyms in one value, found once per build."""
        found = self._by_text.get(value)
        if found is None:
            found = frozenset(self._pattern.findall(value)) if self._pattern is not None and value else _NONE
            self._by_text[value] = found
        return found

    def in_texts(self, values: Iterable[str]) -> _Used:
        found: set[str] = set()
        for value in values:
            found |= self.in_text(value)
        return frozenset(found)

    def in_title(self, entry: dict[str, Any]) -> _Used:
        """What a listing line of the entry can show: its title and its type."""
        found = self._titles.get(entry["id"])
        if found is None:
            found = self.in_texts((entry["title"][self.lang], self.model.label("types", entry["type"], self.lang)))
            self._titles[entry["id"]] = found
        return found

    def in_entry(self, entry: dict[str, Any]) -> _Used:
        """Everything the entry's own page shows from its fields (both languages where it shows both)."""
        found = self._by_entry.get(entry["id"])
        if found is None:
            lang = self.lang
            values: list[str] = [*entry["title"].values(), entry["summary"][lang]]
            for name in ("date_note",):
                if isinstance(entry.get(name), dict):
                    values.append(entry[name].get(lang, ""))
            for name in ("aliases", "keywords"):
                for words in (entry.get(name) or {}).values():
                    values += [w for w in as_list(words) if isinstance(w, str)]
            for link in entry.get("links", []):
                values += [v for v in (link.get("label") or {}).values() if isinstance(v, str)]
            for field_name, vocab_name in ENTRY_TERM_FIELDS.items():
                for term in as_list(entry.get(field_name)):
                    data = self.model.vocab[vocab_name].terms.get(term, {})
                    values += [data.get("es", ""), data.get("en", ""), *(data.get("acronym") or {}).values()]
            found = self.in_texts(values)
            self._by_entry[entry["id"]] = found
        return found
