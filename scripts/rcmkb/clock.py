"""What day it is, for every rule that depends on it (future dates, overdue reviews, expiries).

The one place that reads the clock. `RCMKB_TODAY=YYYY-MM-DD` fixes the day, so the tests (and a
maintainer checking how the catalog will look next year) never depend on the real date.
"""

from __future__ import annotations

import datetime as dt
import os

ENVIRONMENT_VARIABLE = "RCMKB_TODAY"


def today() -> dt.date:
    fixed = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            raise SystemExit(f"{ENVIRONMENT_VARIABLE}={fixed!r} is not a date: write it as YYYY-MM-DD.") from None
    return dt.date.today()
