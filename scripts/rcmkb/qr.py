"""QR codes as SVG, made at build time with zxing-cpp (compiled code, no network).

Each entry's code is made once per build and language and written as one file of the built site,
beside the short link it encodes (routes.qr_site_file, by the post-build step in shortlinks.py),
which its page and the handouts show as an image: the pages stay small, no code is encoded
twice, and MkDocs never reads them. zxing-cpp chooses the mask as the standard says in well under a millisecond,
where a pure-Python encoder spent most of the generator's time on it. Even so, encoding was a
third of the generator's time when the generator made them: each code is also kept between
builds in a cache named by its content (<repository>/.cache/qr/, git-ignored), so a later build reads it back.

Error correction M survives a crease or a smudge on paper; the 4-module quiet zone the
standard asks for is part of the drawing, so nearby text never touches the code. The SVG has
a viewBox and no fixed size: CSS decides how big it prints.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import zxingcpp

_DARK_RUN = re.compile(rb"\x00+")  # dark modules are 0 in zxing-cpp's image
_CACHED_PATH = re.compile(r"(M\d+ \d+h\d+v\d+h-\d+Z)+")  # what a cache file may hold: rectangles only
# A code depends on its text, the error correction level and the encoder: all three name a cache file.
_CACHE_KEY = f"zxing-cpp {version('zxing-cpp')}\0ec M\0"
CACHE_ENV = "RCMKB_QR_CACHE"  # a folder for the cache instead of <repository>/.cache/qr; "off": none


def cache_dir(repository: Path) -> Path | None:
    """Where the QR codes of a repository's builds are kept between builds (git-ignored)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen == "off":
        return None
    return Path(chosen) if chosen else repository / ".cache" / "qr"


def forget_made_codes() -> None:
    """Forget the codes this process has made, as a new build process starts (the bench times that)."""
    _cached_modules.cache_clear()


@lru_cache(maxsize=16384)  # the preview renders the same codes on every save
def _cached_modules(data: str, cache: Path | None) -> tuple[int, str]:
    """_modules(data), kept in `cache` by content: a code made once is read back by later builds
    (a file read instead of about a millisecond of encoding). A cache file that does not hold a
    plain list of rectangles (damaged, or written by hand) is ignored and made again."""
    if cache is None:
        return _modules(data)
    target = cache / hashlib.sha256((_CACHE_KEY + data).encode("utf-8")).hexdigest()
    try:
        size_text, _, path = target.read_text(encoding="ascii").partition("\n")
        if size_text.isdigit() and _CACHED_PATH.fullmatch(path):
            return int(size_text), path
    except (OSError, UnicodeDecodeError):
        pass
    size, path = _modules(data)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_text(f"{size}\n{path}", encoding="ascii")
        os.replace(temporary, target)  # another build reading it sees all of it or nothing
    except OSError:
        pass  # a read-only or full disk: the code is simply made again next time
    return size, path


def _modules(data: str) -> tuple[int, str]:
    """The code's size in modules (quiet zone included) and its dark modules as one SVG path.

    The path is the one zxing-cpp's to_svg draws (checked identical on thousands of addresses),
    built here from the code's image: each row's runs of dark modules as rectangles, a run that
    repeats exactly in the rows below merged into one taller rectangle. to_svg takes as long as
    the encoding itself to write its markup; the image is made in a few microseconds."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=True)  # light quiet zone: no run spans two rows
    height, size = image.shape
    if height != size:
        raise ValueError("zxing-cpp made a QR code that is not square")
    rects: list[list[int]] = []  # [x, y, width, height], in the order of their top-left module
    last: dict[tuple[int, int], list[int]] = {}  # (x, width) -> the latest rectangle of that run
    modules = bytes(image)  # type: ignore[call-overload]  # a buffer, which the stubs do not say
    for run in _DARK_RUN.finditer(modules):
        start, end = run.span()
        y, x = divmod(start, size)
        key = (x, end - start)
        rect = last.get(key)
        if rect is not None and rect[1] + rect[3] == y:
            rect[3] += 1
        else:
            rect = [x, y, end - start, 1]
            rects.append(rect)
            last[key] = rect
    return size, "".join([f"M{x} {y}h{w}v{h}h-{w}Z" for x, y, w, h in rects])


def qr_svg_file(data: str, cache: Path | None = None) -> bytes:
    """A standalone SVG file of the QR code for `data` (white background, black modules)."""
    size, path = _cached_modules(data, cache)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>\n'
            ).encode("ascii")

