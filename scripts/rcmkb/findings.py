"""Findings: what validation reports, in the `path:line:col: error [rule] message` form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    rule: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} [{self.rule}] {self.message}"

    def github_annotation(self) -> str:
        # GitHub Actions workflow command: shows the finding on the changed line of a pull request.
        level = "error" if self.severity == "error" else "warning"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.path},line={self.line},col={self.col},title={self.rule}::{message}"


def display_path(path: Path) -> str:
    """A path as a maintainer would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Findings:
    """Collects every finding of a run so that all problems are reported at once."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, path: Path | str, line: int, col: int, rule: str, message: str, *, severity: str = "error") -> None:
        shown = display_path(path) if isinstance(path, Path) else path
        self.items.append(Finding(shown, max(line, 1), max(col, 1), severity, rule, message))

    def extend(self, other: Findings) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]

    def promote_warnings(self) -> None:
        """--strict: every warning counts as an error."""
        self.items = [
            Finding(f.path, f.line, f.col, "error", f.rule, f.message) if f.severity == "warning" else f
            for f in self.items
        ]

    def sorted(self) -> list[Finding]:
        return sorted(set(self.items))
