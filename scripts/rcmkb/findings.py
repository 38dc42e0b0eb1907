"""Findings: what validation reports, in the `path:line:col: error [rule] message` form."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

# Characters that must never reach a terminal or a CI log as themselves: C0/C1 controls (terminal
# escapes start with ESC, U+001B), DEL, line and paragraph separators, and the invisible or
# direction-changing marks that make a line read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x1F\x7F-\x9F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]")


def escape(text: str) -> str:
    r"""Text safe to print on one line: each unsafe character shown as its code (\n, \x1b, \u202e)."""
    def code(match: re.Match[str]) -> str:
        char = match.group()
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
        if char in named:
            return named[char]
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNSAFE.sub(code, text)


def _annotation_property(text: str) -> str:
    # GitHub's workflow-command escaping for a property value (file=, title=).
    return (text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A")
            .replace(",", "%2C"))


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    rule: str
    message: str

    def format(self) -> str:
        where = f"{escape(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.severity} [{escape(self.rule)}] {escape(self.message)}"

    def github_annotation(self) -> str:
        # GitHub Actions workflow command: shows the finding on the changed line of a pull request.
        # The message is escaped first, so no newline (and so no second `::command`) survives.
        level = "error" if self.severity == "error" else "warning"
        message = escape(self.message).replace("%", "%25")
        return (f"::{level} file={_annotation_property(escape(self.path))},line={self.line},col={self.col},"
                f"title={_annotation_property(escape(self.rule))}::{message}")


def display_path(path: Path) -> str:
    """A path as a maintainer would type it: relative to the working directory when possible."""
    try:
        return str(path.absolute().relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)


class Findings:
    """Collects every finding of a run so that all problems are reported at once.

    `lang` is the language of the messages (es or en); `say` writes one from its template in
    templates/messages.yml.
    """

    def __init__(self, lang: str = "en") -> None:
        self.items: list[Finding] = []
        self.lang = lang

    def add(self, path: Path | str, line: int, col: int, rule: str, message: str, *, severity: str = "error") -> None:
        shown = display_path(path) if isinstance(path, Path) else path
        self.items.append(Finding(shown, max(line, 1), max(col, 1), severity, rule, message))

    def say(self, path: Path | str, line: int, col: int, rule: str, template: str, *, severity: str = "error",
            **params: Any) -> None:
        """Add a finding whose message is `template` (a key of messages.yml) in this run's language."""
        from rcmkb.messages import text

        self.add(path, line, col, rule, text(template, self.lang, **params), severity=severity)

    def extend(self, other: Findings) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    def apply_severities(self, severities: dict[str, str]) -> None:
        """Give each finding the severity its rule has in the rules table."""
        self.items = [replace(f, severity=severities.get(f.rule, f.severity)) for f in self.items]

    def promote_warnings(self) -> None:
        """--strict: every warning counts as an error."""
        self.items = [replace(f, severity="error") if f.severity == "warning" else f for f in self.items]

    def sorted(self) -> list[Finding]:
        return sorted(set(self.items))
