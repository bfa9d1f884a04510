"""The portal plus the test-only probe pages, for gunicorn in the browser tests.

`gunicorn tests.browser.probe_wsgi:app` (the `probe_server` fixture). Built
like the `probe_app` fixture in tests/conftest.py, on the database named by
PORTAL_TEST_DATABASE_URL.
"""

from portal import create_app
from tests.support.probe import install

app = install(create_app("testing"))
