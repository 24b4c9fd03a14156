"""Sessions with deputies and attendance, for the session tests."""

from __future__ import annotations

import datetime as dt

from congress.models import Deputy, Town, User
from sittings import services as svc
from sittings.models import Attendance, Session
from tests import factories


def session(town: Town, by: User, *, kind: str = "february", year: int = 2026, day: int = 15) -> Session:
    month = {"february": 2, "july": 7}.get(kind, 11)
    start = dt.date(year, month, day)
    return svc.schedule_session(by=by, town=town, year=year, kind=kind, starts_on=start, ends_on=start)


def deputies(town: Town, n: int, **kw: object) -> list[Deputy]:
    constituency = factories.ConstituencyFactory(town=town)
    return [factories.DeputyFactory(town=town, constituency=constituency, **kw) for _ in range(n)]


def attend(s: Session, by: User, present: list[Deputy], leave: list[Deputy] = (), absent: list[Deputy] = ()) -> None:  # type: ignore[assignment]
    statuses = {d.pk: Attendance.Status.PRESENT for d in present}
    statuses |= {d.pk: Attendance.Status.LEAVE for d in leave}
    statuses |= {d.pk: Attendance.Status.ABSENT for d in absent}
    svc.record_attendance(by=by, session=s, statuses=statuses)
