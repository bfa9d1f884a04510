"""One question a page: the order of a journey's questions, and where a person is.

Both journeys use it: registering (the questions are declared in
`portal/questions/`) and the eligibility checker (`portal.domain.eligibility`).
A `Step` is what the order needs to know of a question: its slug, the answer
keys it writes, when it applies and when it counts as answered. A question
counts as answered when its keys are in the answers, even when an optional
answer was left blank, so the journey knows where a person is; changing an
early answer can make a later question apply that was not answered yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple


class Choice(NamedTuple):
    """One answer offered: its value, its words, and a hint (GOV.UK radios and checkboxes).
    An `exclusive` choice ("None of these") unticks the others."""

    value: str
    text: Any
    hint: Any = None
    exclusive: bool = False


def always(answers: dict) -> bool:
    return True


@dataclass(frozen=True, kw_only=True)
class Step:
    slug: str
    #: The answer keys this page writes; it is answered when all are present.
    keys: tuple[str, ...]
    applies: Callable[[dict], bool] = always
    answered: Callable[[dict], bool] | None = None
    #: Drops answers of this page that no longer count while it applies.
    tidy: Callable[[dict], dict] | None = None

    def is_answered(self, answers: dict) -> bool:
        if self.answered is not None:
            return self.answered(answers)
        return all(key in answers for key in self.keys)


class Journey:
    """The steps in the order they are asked."""

    def __init__(self, steps: Iterable[Step]) -> None:
        self.steps = tuple(steps)
        self.by_slug = {step.slug: step for step in self.steps}

    def __contains__(self, slug: object) -> bool:
        return slug in self.by_slug

    def applicable(self, answers: dict) -> list:
        return [step for step in self.steps if step.applies(answers)]

    def first_unanswered(self, answers: dict) -> str | None:
        """The first step that applies and has no answer yet; None when all are answered."""
        for step in self.applicable(answers):
            if not step.is_answered(answers):
                return step.slug
        return None

    def can_ask(self, slug: str, answers: dict) -> bool:
        """A step can be shown when it applies and every step before it is answered."""
        for step in self.applicable(answers):
            if step.slug == slug:
                return True
            if not step.is_answered(answers):
                return False
        return False

    def next_after(self, slug: str, answers: dict) -> str | None:
        """The step after `slug` for these answers; None after the last one."""
        slugs = [step.slug for step in self.applicable(answers)]
        position = slugs.index(slug) if slug in slugs else -1
        later = slugs[position + 1 :]
        return later[0] if later else None

    def previous_before(self, slug: str, answers: dict) -> str | None:
        """The last step before `slug` that applies; None for the first, and for a step
        that does not apply (its page is not shown: the journey starts again)."""
        slugs = [step.slug for step in self.applicable(answers)]
        if slug not in slugs:
            return None
        position = slugs.index(slug)
        return slugs[position - 1] if position > 0 else None

    def relevant(self, answers: dict) -> dict:
        """Drop the answers of steps that no longer apply (a changed early answer),
        except keys a step that applies also writes, and tidy the rest."""
        applicable = self.applicable(answers)
        kept_keys = {key for step in applicable for key in step.keys}
        kept = {
            key: value
            for key, value in answers.items()
            if key in kept_keys or not any(key in step.keys for step in self.steps)
        }
        for step in applicable:
            if step.tidy is not None:
                kept = step.tidy(kept)
        return kept
