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


# Blocks of Material's base.html that overrides/main.html replaces whole. site_meta is copied because its
# hreflang loop makes Material fetch a sitemap.xml beside every page (issue 10); our changes are the feed
# link on three pages, the inline icon and the Pagefind summary meta.
COPIED_BLOCKS = ("site_meta",)


def _block(text: str, name: str) -> list[str]:
    start = text.index("{% block " + name + " %}")
    end = text.index("{% endblock %}", start) + len("{% endblock %}")
    return [line.strip() + "\n" for line in text[start:end].splitlines() if line.strip()]


@pytest.mark.parametrize("name", COPIED_BLOCKS)
def test_a_copied_material_block_differs_from_the_installed_one_only_where_expected(name: str) -> None:
    original = _block((ORIGINALS / "base.html").read_text(encoding="utf-8"), name)
    ours = _block((REPO / "overrides" / "main.html").read_text(encoding="utf-8"), name)
    found = "".join(difflib.unified_diff(original, ours, f"material/base.html#{name}", f"overrides/main.html#{name}",
                                         n=0))
    expected_file = EXPECTED / f"base.html.{name}.diff"
    if os.environ.get("UPDATE_MATERIAL_DIFF"):
        expected_file.write_text(found, encoding="utf-8")
    assert found == expected_file.read_text(encoding="utf-8"), found
