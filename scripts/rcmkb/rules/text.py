"""Rules on text: invisible characters in any file, blank texts, markup in plain text, split list items."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from rcmkb import fields
from rcmkb.findings import Findings
from rcmkb.rules.view import CatalogView, File, say
from rcmkb.schema import field_label

# Characters that are invisible or reorder text on screen (a title could display differently from
# what it says; a label breaks feed.xml), and zero-width ones pasted from PDFs that break search.
HIDDEN = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064"
                    "\u2066-\u2069\uFEFF]")
# Text that would turn into markup if it reached a page unescaped: tags, Markdown links and images,
# HTML entities, code spans. Titles and summaries are plain text.
# The lookahead lets the search skip, in compiled code, every character that can start none of them.
_MARKUP = re.compile(r"(?=[<\]!&`j])(?:<\s*/?\s*[A-Za-z!?]|\]\s*\(|!\[|&[#A-Za-z0-9]+;|`|\bjavascript\s*:)",
                     re.IGNORECASE)
_HEADING = re.compile(r"\s*#")  # a Markdown heading: only at the start of the text (match, not search)
# Words that join two parts of one name: an unquoted item starting a list entry with one of them
# ("Girls and Adolescents") was most likely cut from the item before it by a comma.
_JOINING = frozenset(("and", "or", "nor", "y", "e", "o", "u", "ni", "&"))


def control_character(view: CatalogView, findings: Findings) -> None:
    """In every catalog file (entries, decisions, vocabularies, glossary, link exceptions), keys included."""
    for file in view.files:
        texts = file.texts
        if not HIDDEN.search("\n".join(text for _, text, _ in texts)):
            continue  # one search per file finds nothing in nearly every file (a newline is not HIDDEN)
        for path, text, is_key in texts:
            hidden = HIDDEN.search(text)
            if hidden:
                char = hidden.group()
                say(findings, file, path, "control-character", "control-character-key" if is_key
                    else "control-character", at_key=is_key, field=field_label(path, findings.lang),
                    code=f"{ord(char):04X}", char_name=unicodedata.name(char, "control character"),
                    position=hidden.start() + 1)


def _visible(text: str) -> bool:
    return any(unicodedata.category(char)[0] not in "ZC" for char in text)


def blank_text(view: CatalogView, findings: Findings) -> None:
    """Text of spaces or invisible characters counts as missing: it would build an empty title or link."""
    for file in view.files:
        for path, text, is_key in file.texts:
            if not is_key and text and not _visible(text):
                say(findings, file, path, "blank-text", "blank-text", field=field_label(path, findings.lang))


def _plain_texts(file: File) -> Iterator[tuple[tuple[Any, ...], str]]:
    for field_path in fields.plain_text_fields(file.schema):
        for path, value in file.values(field_path):
            if isinstance(value, str):
                yield path, value


def markup_in_text(view: CatalogView, findings: Findings) -> None:
    for file in view.files:
        for path, text in _plain_texts(file):
            match = _HEADING.match(text) or _MARKUP.search(text)
            if match:
                rest = text[match.start():].split()
                shown = rest[0][:20] if rest else match.group(0)
                say(findings, file, path, "markup-in-text", "markup-in-text", field=field_label(path, findings.lang),
                    shown=shown)


def comma_in_list(view: CatalogView, findings: Findings) -> None:
    for file in view.files:
        for field_path in fields.inline_list_fields(file.schema):
            for path, value in file.values(field_path):
                if not isinstance(value, str) or path not in file.doc.inline_plain_items or path[-1] == 0:
                    continue
                before_path = path[:-1] + (path[-1] - 1,)
                before = next((v for p, v in file.values(field_path) if p == before_path), None)
                words = value.split()
                if (isinstance(before, str) and before_path in file.doc.inline_plain_items and len(words) >= 2
                        and value[:1].isupper() and before[:1].isupper()
                        and len(before.split()) >= 3 and any(w.casefold() in _JOINING for w in words[1:-1])):
                    say(findings, file, path, "comma-in-list", "comma-in-list", field=field_label(path[:-1]),
                        before=before, value=value)
