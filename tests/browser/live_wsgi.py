"""The portal as the browser tests serve it: `gunicorn tests.browser.live_wsgi:app` (the
`live_server` fixture), the testing settings on the database PORTAL_TEST_DATABASE_URL names.

One difference from wsgi.py: every browser test asks from 127.0.0.1, one network address
for the whole run's many people, so the per-network code limits would refuse the codes of
whichever tests come last. Here they are high; the limits themselves are tested through
the Flask client (tests/functional/test_rate_limits.py, test_parallel_limits.py).
"""

from portal import create_app

app = create_app(
    "testing",
    {"SIGN_IN_CODE_LIMIT": "500 per hour", "REGISTRATION_CODE_LIMIT": "500 per hour"},
)
