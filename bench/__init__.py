"""The benchmark, `python -m bench` (`make bench`): scale, speed and page weight of the site, side by
side with stock MkDocs. Dev only: it imports rcmkb's public functions, rcmkb never imports it, and
the wheel does not ship it (setuptools finds packages under scripts/ only)."""
