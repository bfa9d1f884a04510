"""How long something has waited for an officer, in working days, against its target.

The service's targets (docs/glossary.md): first contact within 20 working days of
registering or of the police's referral. Queues show the longest wait first
and mark what is overdue, so that nothing waits unseen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.domain.case_timeline import CONTACT_WITHIN_WORKING_DAYS
from portal.domain.working_days import add_working_days, working_days_between


@dataclass(frozen=True)
class Wait:
    since: date
    waited: int  # working days so far
    target: int  # working days allowed
    due_on: date

    @property
    def overdue(self) -> bool:
        return self.waited > self.target

    @property
    def left(self) -> int:
        """Working days left before it is overdue (0 once due or overdue)."""
        return max(self.target - self.waited, 0)


def wait(since: date, today: date, target: int = CONTACT_WITHIN_WORKING_DAYS) -> Wait:
    return Wait(
        since=since,
        waited=working_days_between(since, today),
        target=target,
        due_on=add_working_days(since, target),
    )
