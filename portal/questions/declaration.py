"""What a registration question declares: one `Question` in each module of this package.

A question is its order (the journey `Step`: slug, answer keys, when it
applies), its form (how answers are read from the draft and written back),
its page (the generic one-field template, or its own), its title, its rows on
check your answers, and what it puts in the record made at submit. Every word
is a lazy catalogue string, so both languages come from the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from portal.domain.journey import Choice, Step
from portal.language import lazy_gettext as _l
from portal.questions.fields import QuestionForm, radio_field

#: The page of a question with one field (radios, checkboxes or a text input).
ONE_FIELD_TEMPLATE = "register/questions/_one_field.html"
#: The sections of check your answers, in order.
SECTIONS = {
    "you": _l("About you"),
    "contact": _l("How we contact you"),
    "case": _l("About the case"),
}
NOT_GIVEN = _l("Not given")
NOT_KNOWN = _l("I do not know")
NONE = _l("None")


class Row(NamedTuple):
    """One answer on check your answers; `typed` marks what the person wrote (or a
    court's name), not our words."""

    name: Any
    value: Any
    typed: bool = False
    extra: Any = None


def row(name, value, typed: bool = False, extra=None) -> Row:
    given = value not in (None, "")
    return Row(name, value if given else NOT_GIVEN, typed and given, extra)


def choice_text(choices: tuple[Choice, ...], value: str):
    return next(choice.text for choice in choices if choice.value == value)


@dataclass(frozen=True, kw_only=True)
class Question(Step):
    """A registration question. A question of one field needs little: radios get
    their form from `choices` and `error`; its row on check your answers is
    `row_name` with the answer (its choice's words, or what was typed); what it puts
    in the record is its one answer in `column`."""

    #: The form class (portal.questions.fields.QuestionForm): reads and writes the answers.
    #: None for radios, which get one from `choices` and `error`.
    form: type | None = None
    #: What to say when no choice (or a forged one) is sent: radios without a form.
    error: Any = None
    title: Any
    #: A title that depends on the answers ("your name" or "the victim's name").
    title_for_answers: Callable[[dict], Any] | None = None
    #: Where its rows go on check your answers: a key of SECTIONS.
    section: str
    #: Its rows on check your answers, (answers, language) -> [Row]; or one row: `row_name`.
    rows: Callable[[dict, str], list[Row]] | None = None
    row_name: Any = None
    #: What it puts in the record made at submit: "victim.<column>", "case.<column>",
    #: "contacts", "every_contact.<column>", "phone.<column>", "region"; or its one
    #: answer as it is in `column`.
    record: Callable[[dict], dict] | None = None
    column: str | None = None
    #: Its own page under templates/; None for the one-field page, which then needs `kind`.
    template: str | None = None
    #: For the one-field page: "radios", "checkboxes" or "text".
    kind: str | None = None
    hint: Any = None
    choices: tuple[Choice, ...] = ()
    #: More named sets of choices its own page uses.
    options: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    autocomplete: str | None = None
    spellcheck: bool | None = None
    #: A template shown above the form (the court search).
    lead_template: str | None = None
    #: More for its page: (answers, query arguments, language) -> context.
    context: Callable[[dict, Mapping, str], dict] | None = None

    def __post_init__(self) -> None:
        if self.form is None:
            values = tuple(choice.value for choice in self.choices)
            form = type(
                f"{self.keys[0].title().replace('_', '')}Form",
                (QuestionForm,),
                {self.keys[0]: radio_field(self.error, values)},
            )
            object.__setattr__(self, "form", form)

    @property
    def page_template(self) -> str:
        return self.template or ONE_FIELD_TEMPLATE

    def title_for(self, answers: dict):
        return self.title_for_answers(answers) if self.title_for_answers else self.title

    def label(self, value: str):
        """The words of one of its choices."""
        return choice_text(self.choices, value)

    def form_for(self, answers: dict, today, formdata=None):
        """Its form: filled from the answers (formdata None), or from what was posted."""
        options = self.form.options(answers, today)
        if formdata is None:
            return self.form(formdata=None, data=self.form.from_answers(answers), **options)
        return self.form(formdata=formdata, **options)

    def rows_for(self, answers: dict, language: str) -> list[Row]:
        """Its rows on check your answers."""
        if self.rows is not None:
            return self.rows(answers, language)
        answer = answers[self.keys[0]]
        if self.choices:
            return [row(self.row_name, self.label(answer))]
        return [row(self.row_name, answer, typed=True)]

    def record_for(self, answers: dict) -> dict:
        """What it puts in the record made at submit."""
        if self.record is not None:
            return self.record(answers)
        return {self.column: answers[self.keys[0]]} if self.column else {}

    def page_context(self, answers: dict, args: Mapping, language: str) -> dict:
        return self.context(answers, args, language) if self.context else {}
