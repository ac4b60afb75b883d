"""What time it is for everything govmon stamps: the system clock, or a pinned moment.

``GOVMON_NOW`` (an ISO time with its zone) pins the clock for this process and the crawls it
starts, so monitoring can be run day by day over simulated days (tests, replays) without
waiting for the days to pass.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

PINNED = "GOVMON_NOW"


def now() -> datetime:
    """The current moment, timezone-aware (UTC unless the pinned value names another zone)."""
    pinned = os.environ.get(PINNED)
    if not pinned:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(pinned)
    if moment.tzinfo is None:
        raise ValueError(f"{PINNED}={pinned!r} needs a time zone, e.g. 2026-10-08T09:00:00+08:00")
    return moment
