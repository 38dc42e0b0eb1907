"""The thin engine surface: the Material partials we copy stay the installed Material's, plus our marked lines.

Material has no template blocks inside these partials, so a one-line change means a copy. When
Material is upgraded, this test fails and prints the new difference: carry our lines over to the
new original, then refresh the expected difference with UPDATE_MATERIAL_DIFF=1.
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import Any

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


def _hook_module() -> object:
    """hooks/catalog.py, imported as MkDocs imports it (a file, not a package module)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("rcm_catalog_hook_under_test", REPO / "hooks" / "catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_preview_s_remembered_i18n_files_are_what_the_plugin_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make serve` makes each of mkdocs-static-i18n's per-language files once (hooks/catalog.py,
    _remember_i18n_files). Each copy it hands out must equal what the plugin itself makes, for every
    kind of file this site has, in both languages and on every build; and no build's changes to a
    file may reach the next build's."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files
    from mkdocs_static_i18n import suffix

    monkeypatch.setattr(suffix, "create_i18n_file", suffix.create_i18n_file)  # put back after the test
    original = suffix.create_i18n_file
    hook: Any = _hook_module()
    hook._remember_i18n_files()
    remembered = suffix.create_i18n_file
    assert remembered is not original

    config = load_config(str(REPO / "mkdocs.yml"))
    docs, site = config.docs_dir, config.site_dir
    files = list(get_files(config))  # the hand-written pages and assets (and generated pages, if any)
    files += [File(path, docs, site, config.use_directory_urls) for path in (
        "catalogo/x.md", "catalogo/x.en.md", "catalogo/tema/t.en.md", "catalogo/pais/bz/origin.md",
        "catalogo/pais/bz/index.en.md", "catalogo/folleto/index.md", "README.md", "sub/README.en.md",
        "assets/extra.css", "datos/catalog.en.json")]
    assert len(files) > 20
    languages = ["es", "en"]

    def facts(made: Any, lang: str) -> dict[str, Any]:
        assert made.alternates == {lang: made}  # lists itself, as the plugin's does
        return {key: value for key, value in vars(made).items() if key != "alternates"}

    for _build in range(2):  # a second build gets copies too
        for lang in languages:
            for file in files:
                ours = remembered(file, lang, "es", languages, config)
                theirs = original(file, lang, "es", languages, config)
                assert facts(ours, lang) == facts(theirs, lang), file.src_uri
                ours.url, ours.alternates["xx"] = "changed/by/a/build/", ours  # what a build may do to its files
    again = remembered(files[0], "en", "es", languages, config)
    assert again.url != "changed/by/a/build/" and "xx" not in again.alternates
