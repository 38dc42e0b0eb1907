"""`mkdocs serve` picks up a catalog edit without a restart (the hook regenerates only what changed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.build


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body and needle in body:
            return True
        time.sleep(0.5)
    return False


def test_catalog_edit_shows_up_under_serve(temp_repo: Path) -> None:
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    env.pop("RCMKB_PAGES_READY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=temp_repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        page = f"http://127.0.0.1:{port}/catalogo/rcm-regional-guidelines-child-protection-2016/"
        assert _wait_for(page, "Lineamientos Regionales", 120), "mkdocs serve did not come up"
        entry = temp_repo / "catalog" / "entries" / "rcm-regional-guidelines-child-protection-2016.yml"
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("Lineamientos Regionales de Actuación", "Lineamientos Editados en Vivo", 1),
                         encoding="utf-8")
        assert _wait_for(page, "Lineamientos Editados en Vivo", 90), "the edit never reached the served page"
        # And it settles: the generator writes only what changed, so serve does not rebuild forever.
        generated = temp_repo / "docs" / "catalogo" / "rcm-regional-guidelines-child-protection-2016.md"
        before = generated.stat().st_mtime_ns
        time.sleep(4)
        assert generated.stat().st_mtime_ns == before
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


HOOK_DRIVER = r"""
import importlib.util, sys, types
from pathlib import Path

repo = Path(sys.argv[1])
spec = importlib.util.spec_from_file_location("catalog_hook", repo / "hooks" / "catalog.py")
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)
config = types.SimpleNamespace(docs_dir=str(repo / "docs"), extra={})
page = repo / "docs" / "catalogo" / "index.md"
hook.on_config(config)
hook.on_pre_build(config)
print("first:", "CODE-EDIT" in page.read_text(encoding="utf-8"), hook._rcmkb("render").__file__)
render = repo / "scripts" / "rcmkb" / "render.py"
source = render.read_text(encoding="utf-8")
anchor = "            self._handouts(put, lang)\n        return out\n"
edited = source.replace(anchor, anchor.replace("return out", 'return {k: v + "CODE-EDIT" for k, v in out.items()}'))
assert edited != source
render.write_text(edited, encoding="utf-8")
hook.on_pre_build(config)  # what `mkdocs serve` calls on its next rebuild, in the same process
print("second:", "CODE-EDIT" in page.read_text(encoding="utf-8"))
"""


def test_a_code_edit_shows_up_on_the_next_serve_rebuild(temp_repo: Path) -> None:
    """The hook runs the package's current code: an edit to render.py reaches the next rebuild without
    a restart (the same in-process calls `mkdocs serve` makes, without its server)."""
    env = {**os.environ}
    env.pop("RCMKB_PAGES_READY", None)
    completed = subprocess.run([sys.executable, "-c", HOOK_DRIVER, str(temp_repo)], capture_output=True, text=True,
                               env=env, cwd=temp_repo, timeout=120)
    assert completed.returncode == 0, completed.stderr
    first, second = completed.stdout.splitlines()
    assert first.startswith("first: False") and str(temp_repo) in first  # the copy's code, not the installed one
    assert second == "second: True"
