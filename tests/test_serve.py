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
