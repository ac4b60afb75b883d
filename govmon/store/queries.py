"""Reads of stored measurements that more than one layer needs (checks judge them, reports show them).

Kept in the store so that neither has to reach them through the probes that wrote them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govmon.store.models import AvailabilityProbe, MediaCheck, Run


def availability_probes(session: Session, site_id: str, start: datetime, end: datetime) -> list[AvailabilityProbe]:
    """A site's availability probes from start to end, both included."""
    return list(session.scalars(select(AvailabilityProbe).where(
        AvailabilityProbe.site_id == site_id, AvailabilityProbe.at >= start, AvailabilityProbe.at <= end)))


def latest_checks(session: Session, site_id: str, moment: datetime) -> list[MediaCheck]:
    """The newest check of each of a site's accounts up to moment."""
    newest = (select(MediaCheck.account_id, func.max(MediaCheck.id).label("id"))
              .where(MediaCheck.site_id == site_id, MediaCheck.checked_at <= moment)
              .group_by(MediaCheck.account_id).subquery())
    return list(session.scalars(select(MediaCheck).join(newest, MediaCheck.id == newest.c.id)
                                .order_by(MediaCheck.account_id)))


def latest_run(session: Session, site_id: str, end: datetime) -> Run | None:
    """The site's latest crawl that started before ``end`` and fetched something (complete or partial): the run a
    period ending at ``end`` judges the site on."""
    return session.scalars(select(Run).where(
        Run.site_id == site_id, Run.status.in_(("complete", "partial")), Run.started_at < end)
        .order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).first()
