"""Our stylesheets and scripts as the built site serves them: minified.

Every page view loads them, on a phone over a slow link. docs/assets/*.css and *.js keep their
comments for maintainers (they say why each rule and step exists); the built site gets the same
code without comments and spaces (rcssmin and rjsmin, from one author, both pinned), which halves
their compressed size: about 4 KB of a 70 KB cold entry view, and more of the first search.
`make serve` serves the sources as they are, comments included, so an edit shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

from rcmkb.model import SiteModel
from rcmkb.routes import ASSETS_DIR

MINIFIERS: dict[str, Callable[[str], str]] = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_assets(site: Path, model: SiteModel | None = None, base: str = "") -> list[Path]:
    """Minify the stylesheets and scripts MkDocs copied from docs/assets/ (a step after MkDocs).

    Only the top of the assets folder: Material's own files (assets/stylesheets/, javascripts/)
    come minified, and vendored files (assets/vendor/) stay as their authors wrote them.
    """
    done = []
    for path in sorted((site / ASSETS_DIR).iterdir()):
        minify = MINIFIERS.get(path.suffix)
        if minify is None or path.is_symlink() or not path.is_file():
            continue  # the build copied regular files; anything else is not ours to rewrite
        path.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")
        done.append(path)
    return done
