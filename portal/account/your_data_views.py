"""Your data: what the service holds about the person signed in, to read, print or take away.

Three addresses, all plain GETs (a download is a link): the page, the same as a web page
to keep (one file, its style inside it, readable offline and printable), and as JSON.
Both downloads are attachments, audited as "data downloaded" (portal.services.your_data),
never cached (`Cache-Control: no-store`, as every page) and never logged beyond the
request line. Only the person's own records: the signed-in session decides whose.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Response, current_app, g, render_template
from flask_babel import format_date, format_time, gettext

from portal.account import bp
from portal.account import preference_wording as preference_words
from portal.account import request_wording as request_words
from portal.account import your_data_wording as words
from portal.account.sign_in_views import page
from portal.domain import courts
from portal.domain import requests as request_rules
from portal.domain.contact_details import readable
from portal.extensions import db
from portal.language import choose_language
from portal.models import CaseStatus, DatePrecision
from portal.services import your_data
from portal.services.your_data import ToldDate

#: Babel patterns for each precision: a month is the stand-alone month name.
TOLD_PATTERNS = {DatePrecision.DAY: "long", DatePrecision.MONTH: "LLLL y", DatePrecision.YEAR: "y"}


def told_date(value: ToldDate) -> str:
    return format_date(value.day, format=TOLD_PATTERNS[value.precision])


def moment(value: datetime) -> str:
    """A moment in London time: "2 November 2026 at 10:15"."""
    return gettext(
        "%(date)s at %(time)s",
        date=format_date(value, format="long"),
        time=format_time(value, format="HH:mm"),
    )


def month(value: str | None) -> str | None:
    """A stored month ("2025-03") in words: "March 2025"."""
    if not value:
        return None
    year, _, number = value.partition("-")
    return format_date(date(int(year), int(number), 1), format="LLLL y")


def paused_words(case: dict) -> str | None:
    """How long a case's pause lasts, in words (None when it is not paused): as the
    contact preferences page says it."""
    if case["paused_until"] is not None:
        return preference_words.PAUSED_UNTIL_DAY % {
            "date": format_date(case["paused_until"], format="long")
        }
    if case["paused_until_stage"] is not None:
        return str(preference_words.PAUSED_UNTIL_STAGE[case["paused_until_stage"]])
    if case["status"] == CaseStatus.PAUSED:
        return str(preference_words.PAUSED_FOR_NOW)
    return None


def court_name(code: str | None, language: str) -> str | None:
    court = courts.court_by_code(code) if code else None
    return court.name(language) if court else None


def _context(data: your_data.YourData) -> dict:
    return {
        "export": data,
        "sections": [section.key for section in your_data.SECTIONS],
        "by_case": {
            key: {
                reference: [entry for entry in entries if entry.get("case") == reference]
                for reference in data.references
            }
            for key, entries in data.sections.items()
        },
        "words": words,
        "told_date": told_date,
        "moment": moment,
        "month": month,
        "court_name": court_name,
        "paused_words": paused_words,
        "request_words": request_words,
        "request_rules": request_rules,
        "readable": readable,
        "years_kept": current_app.config["RETENTION_YEARS_AFTER_CLOSING"],
    }


def _file_name(extension: str, created: datetime) -> str:
    return f"{gettext(words.FILE_NAME)}-{created.date().isoformat()}.{extension}"


def _attachment(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/your-data", endpoint="your_data")
def your_data_page():
    data = your_data.gather(db.session, g.victim_session)
    return page("your_data/_your_data.html", words.TITLE, push_url=True, **_context(data))


@bp.get("/your-data/download.html")
def your_data_html():
    data = your_data.download(db.session, g.victim_session, "html", g.get("request_id"))
    # Drawn before the audit is committed: a commit expires what was loaded (the units),
    # and reading them again would cost a statement each.
    body = render_template(
        "account/your_data/file.html",
        page_title=words.TITLE,
        page_language=choose_language(),
        **_context(data),
    )
    db.session.commit()
    return _attachment(body, "text/html", _file_name("html", data.created_at))


@bp.get("/your-data/download.json")
def your_data_json():
    data = your_data.download(db.session, g.victim_session, "json", g.get("request_id"))
    body = your_data.as_json(data)
    db.session.commit()
    return _attachment(body, "application/json", _file_name("json", data.created_at))
