"""QR codes: the SVG path drawn from zxing-cpp's image is the one zxing-cpp's own SVG writer draws."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest
import zxingcpp

from rcmkb.qr import CACHE_ENV, _cached_modules, _modules, cache_dir, qr_svg_file


def _zxing_svg(data: str) -> tuple[int, str]:
    drawing = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_svg(add_quiet_zones=True)
    size = re.search(r'<svg width="(\d+)"', drawing)
    path = re.search(r'<path d="([^"]+)"', drawing)
    assert size and path
    return int(size.group(1)), path.group(1)


def _addresses(count: int) -> list[str]:
    rng = random.Random(13)
    alphabet = string.ascii_lowercase + string.digits + "-"
    return [f"https://rcm.example.org/{'herramientas/' * rng.randint(0, 1)}t/"
            f"{''.join(rng.choice(alphabet) for _ in range(rng.randint(3, 150)))}/{rng.choice(['es', 'en'])}/"
            for _ in range(count)]


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000/t/x/es/", "https://a.b/", *_addresses(300)])
def test_qr_path_matches_zxing_cpps_own_drawing(address: str) -> None:
    assert _modules(address) == _zxing_svg(address)


def test_qr_file_is_a_standalone_svg_with_the_quiet_zone() -> None:
    svg = qr_svg_file("https://rcm.example.org/t/sample-handbook-2021/es/").decode("ascii")
    size = _zxing_svg("https://rcm.example.org/t/sample-handbook-2021/es/")[0]
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert 'd="M4 4h7v1h-7Z' in svg  # the finder pattern's top edge, 4 modules in: the quiet zone is drawn


ADDRESS = "https://rcm.example.org/t/sample-handbook-2021/en/"


def _cache_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def test_a_code_made_once_is_read_back_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "qr"
    first = qr_svg_file(ADDRESS, cache)
    [kept] = _cache_files(cache)
    _cached_modules.cache_clear()
    size = _zxing_svg(ADDRESS)[0]
    kept.write_text(f"{size}\nM4 4h1v1h-1Z", encoding="ascii")  # a different, still well-formed drawing
    assert qr_svg_file(ADDRESS, cache) != first  # the cache was read, not the encoder
    assert b'd="M4 4h1v1h-1Z"' in qr_svg_file(ADDRESS, cache)


@pytest.mark.parametrize("damage", ['41\nM4 4h7v1h-7Z"/><script>alert(1)</script>', "", "x\nM4 4h1v1h-1Z",
                                    "41", "\xff\xfe"])
def test_a_damaged_cache_file_never_reaches_the_page(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "qr"
    expected = qr_svg_file(ADDRESS)  # no cache
    qr_svg_file(ADDRESS, cache)
    [kept] = _cache_files(cache)
    kept.write_bytes(damage.encode("latin-1"))
    _cached_modules.cache_clear()
    assert qr_svg_file(ADDRESS, cache) == expected
    assert kept.read_text(encoding="ascii").startswith(f"{_zxing_svg(ADDRESS)[0]}\n")  # made again, and kept


def test_the_cache_lives_in_the_repository_unless_told_otherwise(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert cache_dir(tmp_path) == tmp_path / ".cache" / "qr"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    assert cache_dir(tmp_path) == tmp_path / "elsewhere"
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir(tmp_path) is None
