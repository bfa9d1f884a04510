"""What the tests share; fixtures stay in the conftest.py files, where pytest finds them.

- `factories`: a factory_boy factory for every model (test_factories.py checks).
- `cases`: victims with cases, built for a test (English, Welsh, waiting for an officer).
- `victim_state`, `registration_state`: a signed-in victim, or a registration in
  progress, put straight into the database and a test client's session.
- `sign_in_steps`, `registration_steps`: walking sign-in and registration over HTTP.
- `pages`: the page client that checks what every page must have.
- `database`: the migrations directory, and emptying the test database.
- `delivery`, `fake_notify`: the real worker over the outbox; a stand-in Notify API.
- `eligibility`: the checker's rules written out independently, every path through it.
- `config`: a production environment that passes every check.
- `probe`: the test-only pages that exercise the app's machinery.
- `live_server`, `browser`, `browser_problems`, `axe`: for the browser tests.
"""
