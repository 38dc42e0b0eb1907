"""The thin engine surface: the Material partials we copy stay the installed Material's, plus our marked lines.

Material has no template blocks inside these partials, so a one-line change means a copy. When
Material is upgraded, this test fails and prints the new difference: carry our lines over to the
new original, then refresh the expected difference with UPDATE_MATERIAL_DIFF=1.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import material
import pytest

from conftest import REPO

ORIGINALS = Path(material.__file__).parent / "templates"
EXPECTED = Path(__file__).parent / "fixtures" / "material"
COPIED = ("partials/header.html", "partials/alternate.html", "partials/search.html")
# Partials we replace whole, keeping nothing of Material's markup but its outer element: no diff to keep.
REPLACED = ("partials/copyright.html",)  # the footer line, in the page's language (issue 10)


def _without_leading_comment(text: str) -> list[str]:
    """Both files open with a {#- ... -#} note (Material's 'generated' notice, our 'changed' note)."""
    if text.startswith("{#-"):
        text = text[text.index("-#}") + len("-#}"):].lstrip("\n")
    return text.splitlines(keepends=True)


def difference(name: str) -> str:
    original = _without_leading_comment((ORIGINALS / name).read_text(encoding="utf-8"))
    ours = _without_leading_comment((REPO / "overrides" / name).read_text(encoding="utf-8"))
    return "".join(difflib.unified_diff(original, ours, f"material/{name}", f"overrides/{name}", n=1))


@pytest.mark.parametrize("name", COPIED)
def test_a_copied_material_partial_differs_from_the_installed_one_only_where_marked(name: str) -> None:
    expected_file = EXPECTED / (Path(name).name + ".diff")
    found = difference(name)
    if os.environ.get("UPDATE_MATERIAL_DIFF"):
        expected_file.write_text(found, encoding="utf-8")
    assert found == expected_file.read_text(encoding="utf-8"), found
    assert found, "the copy no longer differs from Material's: delete it from overrides/"


def test_every_copied_partial_is_checked() -> None:
    copies = sorted(p.relative_to(REPO / "overrides").as_posix() for p in (REPO / "overrides" / "partials").iterdir()
                    if (ORIGINALS / "partials" / p.name).is_file())
    assert copies == sorted(COPIED + REPLACED)
