"""What time it is for everything govmon stamps: the system clock, or a pinned moment.

``GOVMON_NOW`` (an ISO time; one without a zone is China time, as a user there means it) pins the
clock for this process and the crawls it starts, so monitoring can be run day by day over
simulated days (tests, replays) without waiting for the days to pass.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from govmon.config import CHINA_TZ

PINNED = "GOVMON_NOW"


class ClockError(ValueError):
    """``GOVMON_NOW`` is not an ISO time."""


def now() -> datetime:
    """The current moment, timezone-aware: UTC, or the pinned value's zone (China time when it names none)."""
    pinned = os.environ.get(PINNED)
    if not pinned:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(pinned)
    except ValueError:
        raise ClockError(f"{PINNED}={pinned!r} is not an ISO time, e.g. 2026-10-08T09:00:00+08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TZ)
