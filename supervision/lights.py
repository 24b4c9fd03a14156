"""The traffic light of a project in a review round (调度亮灯): a pure function of the facts."""

from __future__ import annotations

from supervision.models import Light, LightReason


def light_for(
    *,
    planned: int,
    actual: int,
    amber_gap: int,
    red_gap: int,
    target_overdue: bool = False,
    past_deadline_unfinished: bool = False,
    previous: str = "",
) -> tuple[str, str]:
    """(light, reason) for a project `planned - actual` points behind plan.

    Green when behind by at most `amber_gap`; yellow when behind by more than `amber_gap` and at most
    `red_gap`, or when a monthly target is overdue; red when behind by more than `red_gap` or past the
    deadline unfinished. A project that was red last round and is now within `amber_gap` shows yellow
    (recovered) for one round, so a single good month does not wipe out the warning.
    """
    behind = planned - actual
    if past_deadline_unfinished:
        return Light.RED, LightReason.PAST_DEADLINE
    if behind > red_gap:
        return Light.RED, LightReason.FAR_BEHIND
    if behind > amber_gap:
        return Light.YELLOW, LightReason.BEHIND
    if target_overdue:
        return Light.YELLOW, LightReason.OVERDUE_TARGET
    if previous == Light.RED:
        return Light.YELLOW, LightReason.RECOVERED
    return Light.GREEN, LightReason.ON_TRACK
