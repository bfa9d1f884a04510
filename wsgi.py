"""The WSGI entry point: `gunicorn wsgi:app`, and FLASK_APP for the `flask` commands.

Under gunicorn the app is built to serve requests only: no command-line tools, so that
no worker loads the migration tools it never uses. A `flask` command (`flask db upgrade`,
`flask run`) builds it inside click's context, with them.
"""

import click

from portal import create_app

app = create_app(commands=click.get_current_context(silent=True) is not None)
