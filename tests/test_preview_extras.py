"""The preview's extras (short links, QR codes, open data, search index), made in a child process:
they reach the served folder whole, a build that starts stops them at once, and nothing of them
outlives the preview."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bench.support import wait_until
from conftest import KEY_ENTRY, copy_repo

pytestmark = pytest.mark.build

BASE = "http://127.0.0.1:8000/"


def _served_folder(tmp_path: Path) -> Path:
    """A served folder as MkDocs leaves it: one searchable page, and a short link an older run wrote."""
    site = tmp_path / "served" / "site"
    (site / "t" / "gone").mkdir(parents=True)
    (site / "t" / "gone" / "index.html").write_text("old", encoding="utf-8")
    (site / "index.html").write_text(
        '<!doctype html><html lang="es"><head><title>Inicio</title></head>'
        "<body><div data-pagefind-body><h1>Inicio</h1><p>zafiroverde</p></div></body></html>", encoding="utf-8")
    return site


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _extras_processes(*markers: str) -> list[int]:
    """Processes whose command line holds every one of `markers` (the child, the Pagefind it runs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if all(marker in command for marker in markers):
            found.append(int(entry.name))
    return found


def test_the_extras_reach_the_served_folder_and_what_they_no_longer_make_goes(tmp_path: Path) -> None:
    from rcmkb.preview_extras import add_site_extras

    repo = copy_repo(tmp_path / "repo")
    site = _served_folder(tmp_path)
    written = add_site_extras(site, BASE, repo, written_before={"t/gone/index.html"})
    assert f"t/{KEY_ENTRY}/index.html" in written and f"t/{KEY_ENTRY}/es/qr.svg" in written
    assert f"catalogo/{KEY_ENTRY}/" in (site / "t" / KEY_ENTRY / "index.html").read_text(encoding="utf-8")
    assert (site / "data" / "catalog.json").is_file()
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "t" / "gone" / "index.html").exists()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "its working folders are left behind"


def test_a_build_that_starts_stops_the_extras_at_once_and_leaves_the_served_folder_as_it_was(
        tmp_path: Path) -> None:
    from rcmkb.preview_extras import ExtrasCancelled, add_site_extras

    repo = copy_repo(tmp_path / "repo")
    site = _served_folder(tmp_path)
    before = _files(site)
    started = time.monotonic()
    building = threading.Event()
    threading.Timer(0.5, building.set).start()  # a save, half a second into the child's work
    leftovers: list[Path] = []
    with pytest.raises(ExtrasCancelled):
        add_site_extras(site, BASE, repo, cancelled=building.is_set, leftovers=leftovers)
    assert time.monotonic() - started < 5, "the extras kept the build waiting"
    assert _files(site) == before
    assert _extras_processes(str(site)) == []
    # Its folders are deleted by the next run, not while the build that stopped it writes pages.
    assert len(leftovers) == 2 and all(folder.is_dir() for folder in leftovers)
    kept = list(leftovers)
    with pytest.raises(ExtrasCancelled):
        add_site_extras(site, BASE, repo, cancelled=lambda: True, leftovers=leftovers)
    assert not any(folder.exists() for folder in kept)


def test_the_extras_child_does_not_outlive_the_preview(tmp_path: Path) -> None:
    """`mkdocs serve` ended abruptly (SIGKILL, a closed terminal): its extras child and that child's
    Pagefind stop by themselves and delete their folders."""
    repo = copy_repo(tmp_path / "repo")
    site = _served_folder(tmp_path)
    preview = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(repo / "scripts")!r})
        from rcmkb.preview_extras import add_site_extras
        add_site_extras(Path({str(site)!r}), {BASE!r}, Path({str(repo)!r}))
    """)], cwd=repo, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        # The child's own command line (the preview's, a script, names the module but not with -m).
        wait_until(lambda: _extras_processes("-m rcmkb.preview_extras", str(site)), 30, "the extras child starting")
        assert len(list(site.parent.iterdir())) == 3, "its two working folders beside the served one"
    finally:
        preview.send_signal(signal.SIGKILL)
        preview.wait(timeout=10)
    wait_until(lambda: not _extras_processes(str(site)), 15, "the extras child stopping")
    wait_until(lambda: sorted(p.name for p in site.parent.iterdir()) == ["site"], 15, "its folders going")
