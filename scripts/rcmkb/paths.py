"""Where things are in the repository."""

from __future__ import annotations

from pathlib import Path

from rcmkb.routes import GENERATED_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def project_root(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml, searched upwards from `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


GENERATED_DIRNAME = GENERATED_DIR  # docs/catalogo/: the only folder the generator owns (see routes.py)
