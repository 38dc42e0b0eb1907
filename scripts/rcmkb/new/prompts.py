"""Asking the maintainer: one question at a time, the allowed values shown, asked again until it fits."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from rcmkb.new.strings import strings
from rcmkb.rules.references import guess_term


class Cancelled(Exception):
    """The maintainer stopped the questions (Ctrl+C or end of input): nothing is written."""


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def match_terms(values: list[str], terms: dict[str, dict[str, Any]], lang: str) -> tuple[list[str], str | None]:
    """Map what the maintainer typed to vocabulary ids; or say which value is wrong.

    Case does not matter, and an organization may be typed by its acronym in either language
    (OIM or IOM -> iom), as people know them.
    """
    by_folded = {term.casefold(): term for term in terms}
    for term_id, data in terms.items():
        for acronym in (data.get("acronym") or {}).values():
            by_folded.setdefault(str(acronym).casefold(), term_id)
    chosen: list[str] = []
    for value in values:
        term = by_folded.get(value.casefold())
        if term is None:
            p = strings()[lang]["prompts"]
            message = p["unknown_term"].format(value=value)
            # The validator's guess first: a label in either language ("Protección consular") or a near spelling.
            guessed = guess_term(value, terms)
            close = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
            if guessed or close:
                message += " " + p["did_you_mean"].format(guess=guessed or by_folded[close[0]])
            return [], message
        if term not in chosen:
            chosen.append(term)
    return chosen, None


def allowed_list(terms: dict[str, dict[str, Any]], lang: str) -> str:
    def label(data: dict[str, Any]) -> str:
        acronym = (data.get("acronym") or {}).get(lang)
        return f"{acronym} · {data.get(lang, '')}" if acronym else str(data.get(lang, ""))

    return "\n".join(f"    {term:<26} {label(data)}" for term, data in terms.items())


def _url_ok(url: str) -> bool:
    return bool(re.match(r"^https?://[^\s/…]+\.[^\s/…]+(/\S*)?$", url)) and "…" not in url


@dataclass
class Asker:
    """Asks on `out`, reads answers from `read` (input()); re-asks until an answer is acceptable."""

    lang: str
    out: TextIO = sys.stderr
    read: Callable[[], str] = input
    shown: set[str] = field(default_factory=set)

    def _line(self) -> str:
        try:
            return self.read()
        except (EOFError, KeyboardInterrupt):
            raise Cancelled from None

    def ask(self, label: str, *, default: str = "", required: bool = True,
            check: Callable[[str], str | None] | None = None) -> str:
        p = strings()[self.lang]["prompts"]
        while True:
            print(f"{label}" + (f" [{default}]" if default else "") + ": ", end="", file=self.out, flush=True)
            answer = " ".join(self._line().split()) or default
            if not answer:
                if not required:
                    return ""
                print("  " + p["required"], file=self.out)
                continue
            problem = check(answer) if check else None
            if problem is None:
                return answer
            print("  " + problem, file=self.out)

    def ask_terms(self, label: str, terms: dict[str, dict[str, Any]], *, vocab: str, default: str = "",
                  required: bool = True, single: bool = False) -> list[str]:
        p = strings()[self.lang]["prompts"]
        if vocab not in self.shown:
            print(f"{p['allowed']}\n{allowed_list(terms, self.lang)}", file=self.out)
            self.shown.add(vocab)
        result: list[str] = []

        def check(answer: str) -> str | None:
            values = _split(answer)
            if single and len(values) != 1:
                return p["unknown_term"].format(value=answer)
            chosen, problem = match_terms(values, terms, self.lang)
            result[:] = chosen
            return problem

        answer = self.ask(label, default=default, required=required, check=check)
        return result if answer else []


