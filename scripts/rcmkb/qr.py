"""QR codes as SVG, made at build time with zxing-cpp (compiled code, no network).

Each entry's code is made once per build and written as one file (routes.qr_file), which its
pages in both languages and the handouts show as an image: the pages stay small, and no code
is encoded twice. zxing-cpp chooses the mask as the standard says in well under a millisecond,
where a pure-Python encoder spent most of the generator's time on it.

Error correction M survives a crease or a smudge on paper; the 4-module quiet zone the
standard asks for is part of the drawing, so nearby text never touches the code. The SVG has
a viewBox and no fixed size: CSS decides how big it prints.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import zxingcpp
from markupsafe import Markup

_SIZE = re.compile(r'<svg width="(\d+)"')
_PATH = re.compile(r'<path d="([0-9MhvZz .-]+)"')


@lru_cache(maxsize=16384)
def _modules(data: str) -> tuple[int, str]:
    """The code's size in modules (quiet zone included) and its dark modules as one SVG path.

    zxing-cpp draws the path itself (in C++); only its size and path are kept, so the markup
    around them is ours."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    drawing = code.to_svg(add_quiet_zones=True)
    size, path = _SIZE.search(drawing), _PATH.search(drawing)
    if size is None or path is None:
        raise ValueError("zxing-cpp drew a QR code this module cannot read")
    return int(size.group(1)), path.group(1)


def qr_svg_file(data: str) -> bytes:
    """A standalone SVG file of the QR code for `data` (white background, black modules)."""
    size, path = _modules(data)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
            f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>\n'
            ).encode("ascii")


def qr_svg(data: str, label: str) -> Markup:
    """The same code as inline SVG, with `label` as its accessible name."""
    size, path = _modules(data)
    escaped = html.escape(label, quote=True)
    return Markup(f'<svg role="img" aria-label="{escaped}" viewBox="0 0 {size} {size}" class="rcm-qr" '
                  f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
                  f'<path fill="#000" d="{path}"/></svg>')
