"""Which language a page is in: ?lang=, then the cookie, then Accept-Language.

English pages are formatted with the en_GB locale (Babel's plain `en` is US
English); Welsh pages with `cy`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, Domain, get_locale
from flask_babel.speaklater import LazyString
from jinja2.nodes import EvalContext
from jinja2.utils import pass_eval_context
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from portal.access import CACHEABLE_ENDPOINTS
from portal.catalogue import ENGLISH, LOCALES, WELSH

#: The name of each language, in that language (the toggle shows these).
LANGUAGE_NAMES = {ENGLISH: "English", WELSH: "Cymraeg"}


def choose_language() -> str:
    """The page's language for this request, remembered on `g`."""
    if "language" in g:
        return g.language
    supported = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in supported:
        g.language = asked
        g.remember_language = True
        return asked
    remembered = request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    if remembered in supported:
        g.language = remembered
        return remembered
    g.language = _from_accept_language(supported)
    return g.language


def _from_accept_language(supported) -> str:
    """The browser's most preferred supported language: "cy-GB" counts as Welsh
    even when "en" is listed after it."""
    for tag, quality in request.accept_languages:
        primary = tag.split("-")[0].lower()
        if quality > 0 and primary in supported:
            return primary
    return ENGLISH


def select_locale() -> str:
    return LOCALES[choose_language()]


def other_language() -> str:
    return WELSH if choose_language() == ENGLISH else ENGLISH


def toggle_url(target: str) -> str:
    """This page in `target`: the same address (with the prefix the service is served
    under, if any) and query, with lang replaced."""
    args = MultiDict(request.args)
    args.setlist("lang", [target])
    # Always a path on this site: "//host" or "/\\host" must not become another site.
    root = request.script_root.strip("/\\")
    prefix = "/" + quote(root, safe="/-_.~") if root else ""
    path = prefix + "/" + quote(request.path.lstrip("/\\"), safe="/-_.~")
    return f"{path}?{urlencode(list(args.items(multi=True)))}"


def remember_language(response: Response) -> Response:
    if g.get("remember_language"):
        response.set_cookie(
            current_app.config["LANGUAGE_COOKIE_NAME"],
            g.language,
            # Until the browser closes: a long-lived cookie would show, on a
            # shared device, that someone used this service.
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


def language_context() -> dict:
    language = choose_language()
    other = other_language()
    return {
        "html_lang": language,
        "other_language": other,
        "other_language_name": LANGUAGE_NAMES[other],
        "language_toggle_url": toggle_url(other),
    }


def _choose_language_before_request() -> None:
    choose_language()


class RequestDomain(Domain):
    """flask_babel's message domain, which finds the translations for the request's locale
    once and keeps them for the rest of the request.

    flask_babel finds them again for every string (the request's context, its locale,
    the locale's name, the cache): on a staff case page that is 7,000 lookups. They are
    kept on flask_babel's own context with the locale they are for, and found again when
    the locale is another (inside `force_locale`, say, when a notification is written in
    the victim's language, or after flask_babel's `refresh`). Templates ask this domain
    directly (`init_app`), not through flask_babel's callables, which find the context
    and the domain again for every `_()` (a case page's timeline: three hundred)."""

    def get_translations(self):
        try:
            babel_context = g._flask_babel
        except (AttributeError, RuntimeError):  # not yet in this request; outside one
            babel_context = None
        if babel_context is not None:
            kept = getattr(babel_context, "portal_translations", None)
            if kept is not None and kept[0] is getattr(babel_context, "babel_locale", None):
                return kept[1]
        locale = get_locale()
        if locale is None:  # outside a request
            return super().get_translations()
        translations = super().get_translations()
        g._flask_babel.portal_translations = (locale, translations)
        return translations


#: The one message domain: templates, lazy strings and flask_babel's own functions use it.
DOMAIN = RequestDomain()


class LazyText(LazyString):
    """A message translated when it is shown, in the page's language (`lazy_gettext`).

    flask_babel's lazy strings find the request's context, its domain and then the
    message again each time one is shown: a staff table shows a dozen in every row
    (its column names, a case's status), two hundred a page. This one keeps its
    translation with the catalogue it came from, and is translated again only when the
    page's catalogue is another (the other language). The pair is replaced whole, so
    two threads in two languages never see each other's half."""

    _kept: tuple = (None, "")

    def __str__(self) -> str:
        translations = DOMAIN.get_translations()
        kept = self._kept
        if kept[0] is translations:
            return kept[1]
        text = translations.ugettext(self._args[0])
        if self._kwargs:
            text = text % self._kwargs
        self._kept = (translations, text)
        return text

    def __html__(self) -> str:
        """The translation as HTML, not escaped (as flask_babel's lazy strings are): the
        catalogue's words are ours. Never give `lazy_gettext` a variable someone typed:
        it would be sent as HTML too (a template's `_()` escapes its variables)."""
        return self.__str__()

    def __getstate__(self) -> dict:
        """What a copy or a pickle holds: the message and its variables, never the kept
        translation (its catalogue holds a function pickle cannot write, and a deep copy
        would copy the whole catalogue for a translation it then never uses)."""
        state = dict(self.__dict__)
        state.pop("_kept", None)
        return state


def lazy_gettext(string: str, **variables) -> LazyText:
    """flask_babel's `lazy_gettext`, kept once a language (LazyText)."""
    return LazyText(None, string, **variables)


def init_app(app: Flask, babel: Babel) -> None:
    domain = babel.domain_instance = DOMAIN
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: domain.get_translations().ugettext(string),
        ngettext=lambda singular, plural, n: domain.get_translations().ungettext(
            singular, plural, n
        ),
        newstyle=True,
        pgettext=lambda context, string: domain.get_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: domain.get_translations().unpgettext(
            context, singular, plural, n
        ),
    )
    # `_()`, `gettext()` and `ngettext()` in a template, straight to the request's
    # translations: Jinja's own `_` looks `gettext` up in the context and calls it
    # through the context, which calls ours through it again (a staff page says `_()` two
    # hundred times). The same words, escaped and formatted as Jinja's newstyle gettext.
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    app.jinja_env.globals["ngettext"] = template_ngettext
    app.before_request(_choose_language_before_request)
    app.after_request(remember_language)
    app.context_processor(language_context)


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, string: str, /, **variables) -> str:
    """Jinja's newstyle `gettext`: the words in the page's language, as Markup when the
    template autoescapes (so each variable is escaped as it is put in), always formatted
    (so "%%" is "%" whether or not there are variables). The message is positional only,
    as Jinja's is: a variable may be called `string` (`{% trans string=... %}`)."""
    text = DOMAIN.get_translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (the catalogue's words, as Jinja's gettext does)
    return text % variables


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables
) -> str:
    """Jinja's newstyle `ngettext` (`num` is a variable too, unless one is given: then the
    number chooses the form and `num=` is what is shown, as in Jinja's)."""
    variables.setdefault("num", num)
    text = DOMAIN.get_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (the catalogue's words, as Jinja's gettext does)
    return text % variables
