"""Public pages: the start page, information pages, regions, the eligibility checker."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for

from portal.domain import eligibility
from portal.forms import CourtSearchForm
from portal.language import choose_language
from portal.language import lazy_gettext as _l
from portal.public import bp, eligibility_text
from portal.public.forms import eligibility_form
from portal.rendering import render_page
from portal.services import directory
from portal.session_keys import ELIGIBILITY_ANSWERS

#: Information pages, written once per language in templates/public/content/.
INFORMATION_PAGES = {
    "about-the-scheme": _l("What the Victim Contact Scheme is"),
    "what-you-will-be-told": _l("What you will be told, and when"),
    "parole-and-victim-personal-statements": _l("Parole and Victim Personal Statements"),
    "licence-conditions": _l("Asking for licence conditions"),
    "joining-pausing-and-leaving": _l("Joining, pausing and leaving the scheme"),
    "staying-safe-online": _l("Staying safe online"),
    "about-the-probation-service": _l("About the Probation Service"),
    "privacy-notice": _l("Privacy notice"),
    "accessibility-statement": _l("Accessibility statement"),
    "cookies": _l("Cookies"),
    "contact": _l("Contact us"),
}
#: The pages about the scheme itself, listed on the start page and beside each other.
GUIDANCE = [
    "about-the-scheme",
    "what-you-will-be-told",
    "parole-and-victim-personal-statements",
    "licence-conditions",
    "joining-pausing-and-leaving",
    "staying-safe-online",
    "about-the-probation-service",
]
ANSWERS = ELIGIBILITY_ANSWERS


def made_once(name: str, make, *key):
    """`make()`, made once for each language, address prefix and `key` for each app (each
    has its own translations), then reused: links that are the same for everyone."""
    made = current_app.extensions.setdefault(f"portal.{name}", {})
    key = (choose_language(), request.script_root, *key)
    found = made.get(key)
    if found is None:
        found = made[key] = make()
    return found


def guidance_links(exclude: str | None = None) -> tuple[dict, ...]:
    """The pages about the scheme (all but `exclude`), each with its address and title."""
    return made_once(
        "guidance_links",
        lambda: tuple(
            {"href": url_for("public.info", slug=slug), "title": str(INFORMATION_PAGES[slug])}
            for slug in GUIDANCE
            if slug != exclude
        ),
        exclude,
    )


#: The pages linked from every page's footer.
FOOTER_PAGES = ("privacy-notice", "accessibility-statement", "cookies", "contact")


@bp.app_context_processor
def footer_links() -> dict:
    """The footer's links, the same on every page in a language."""
    return {
        "footer_links": made_once(
            "footer_links",
            lambda: tuple(
                {"href": url_for("public.info", slug=slug), "text": str(INFORMATION_PAGES[slug])}
                for slug in FOOTER_PAGES
            ),
        )
    }


@bp.get("/")
def start():
    return render_page("public/start.html", guidance=guidance_links())


@bp.get("/information/<slug>")
def info(slug: str):
    if slug not in INFORMATION_PAGES:
        abort(404)
    return render_page(
        f"public/content/{slug}.{choose_language()}.html",
        related_pages=guidance_links(exclude=slug) if slug in GUIDANCE else [],
    )


# --- regions -----------------------------------------------------------------------------


@bp.get("/regions")
def regions():
    return render_page(
        "public/regions/index.html", regions=directory.all_regions(), form=CourtSearchForm()
    )


def _path_of(url: str) -> str:
    """The path of a URL a browser sent in a header; nothing if it is not a URL."""
    try:
        return urlsplit(url).path
    except ValueError:  # "http://[" and the like
        return ""


@bp.get("/regions/find")
def find_region():
    form = CourtSearchForm(request.args)
    searched = "q" in request.args
    results, total = [], 0
    if searched and form.validate():
        results, total = directory.courts_with_regions(form.q.data, choose_language())
    current = _path_of(request.headers.get("HX-Current-URL", ""))
    return render_page(
        "public/regions/find.html",
        "public/regions/_court_results.html",
        form=form,
        searched=searched,
        results=results,
        total=total,
        on_find_page=current == url_for("public.find_region"),
        has_errors=searched and bool(form.errors),
    )


@bp.get("/regions/<code>")
def region(code: str):
    found = directory.region_by_code(code)
    if found is None:
        abort(404)
    return render_page("public/regions/region.html", region=found)


# --- the eligibility checker ----------------------------------------------------------------


def _answers() -> dict[str, str]:
    stored = session.get(ANSWERS)
    return dict(stored) if isinstance(stored, dict) else {}


def _where_next(answers: dict[str, str]) -> str:
    question = eligibility.next_question(answers)
    if question is None:
        return url_for("public.eligibility_result")
    return url_for("public.eligibility_question", question=question)


@bp.get("/check-if-you-can-join")
def eligibility_start():
    return render_page("public/eligibility/start.html")


@bp.route("/check-if-you-can-join/<question>", methods=["GET", "POST"])
def eligibility_question(question: str):
    if question not in eligibility.QUESTIONS:
        abort(404)
    answers = _answers()
    if not eligibility.can_ask(question, answers):
        # Out of order (a bookmark, a forged URL): go to where the person is.
        return redirect(_where_next(answers), code=303)
    choices = eligibility.QUESTIONS[question]
    form = eligibility_form(question, choices, data={"answer": answers.get(question)})
    if form.validate_on_submit():
        answers[question] = form.answer.data
        session[ANSWERS] = eligibility.relevant_answers(answers)
        return redirect(_where_next(session[ANSWERS]), code=303)
    previous = eligibility.previous_question(question, answers)
    back = (
        url_for("public.eligibility_question", question=previous)
        if previous
        else url_for("public.eligibility_start")
    )
    words = eligibility_text.QUESTIONS[question]
    return render_page(
        "public/eligibility/_question.html",
        push_url=request.method == "GET",
        page_title=words.text,
        question=question,
        words=words,
        form=form,
        back_url=back,
        has_errors=bool(form.errors),
    )


@bp.get("/check-if-you-can-join/result")
def eligibility_result():
    answers = _answers()
    outcome = eligibility.outcome(answers)
    if outcome is None:
        return redirect(_where_next(answers), code=303)
    kept = eligibility.relevant_answers(answers)
    last = list(kept)[-1]
    return render_page(
        "public/eligibility/_result.html",
        push_url=True,
        page_title=eligibility_text.result_title(outcome.result),
        outcome=outcome,
        result_title=eligibility_text.result_title,
        answers=[
            (q, eligibility_text.QUESTIONS[q].text, eligibility_text.answer_text(q, v))
            for q, v in kept.items()
        ],
        reasons=[eligibility_text.REASONS[reason] for reason in outcome.reasons],
        back_url=url_for("public.eligibility_question", question=last),
    )


@bp.post("/check-if-you-can-join/start-again")
def eligibility_start_again():
    session.pop(ANSWERS, None)
    return redirect(url_for("public.eligibility_question", question="who"), code=303)
