"""Templates and Python find the request's translations once (portal.language.RequestDomain)
and still follow the locale: Welsh for a Welsh request, the victim's language inside
`force_locale` (a notification written for them), and back again after it."""

from __future__ import annotations

from flask_babel import force_locale, get_translations, gettext, refresh


def test_templates_follow_the_locale_in_and_out_of_force_locale(app):
    words = app.jinja_env.from_string(
        '{{ _("Start now") }}|{{ ngettext("%(num)d case found", "%(num)d cases found", 2) }}'
    )
    with app.test_request_context("/?lang=cy"):
        assert words.render() == "Dechrau nawr|Wedi dod o hyd i 2 achos"
        kept = get_translations()
        assert get_translations() is kept  # found once
        with force_locale("en_GB"):
            assert words.render() == "Start now|2 cases found"
            assert gettext("Start now") == "Start now"
            with force_locale("cy"):
                assert words.render() == "Dechrau nawr|Wedi dod o hyd i 2 achos"
            assert words.render() == "Start now|2 cases found"
        assert words.render() == "Dechrau nawr|Wedi dod o hyd i 2 achos"
        assert gettext("Start now") == "Dechrau nawr"
        refresh()
        assert words.render() == "Dechrau nawr|Wedi dod o hyd i 2 achos"
    with app.test_request_context("/?lang=en"):
        assert words.render() == "Start now|2 cases found"
