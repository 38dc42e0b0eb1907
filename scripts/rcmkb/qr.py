"""QR codes as inline SVG, made at build time with segno (pure Python, no network).

Each entry's QR code appears on its page in both languages and on one or more handouts, so
codes are cached per (address, label): the build makes each code once.
"""

from __future__ import annotations

import html
from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=16384)
def _qr_drawing(data: str) -> str:
    # Encoding (segno tries all 8 masks in pure Python) is most of the generator's time at
    # scale: each address is encoded once, whatever the language of the label.
    code = segno.make(data, error="m", micro=False, boost_error=False)
    return code.svg_inline(scale=1, border=4, omitsize=True, svgclass="rcm-qr", lineclass=None)


def qr_svg(data: str, label: str) -> Markup:
    """An SVG QR code for `data`, with `label` as its accessible name.

    Error correction M survives a crease or a smudge on paper; the 4-module quiet zone
    the standard asks for is part of the drawing, so nearby text never touches the code.
    The SVG has a viewBox and no fixed size: CSS decides how big it prints.
    """
    # segno writes no role; screen readers then announce the drawing by its <title>.
    escaped = html.escape(label, quote=True)
    return Markup(_qr_drawing(data).replace("<svg ", f'<svg role="img" aria-label="{escaped}" ', 1))
