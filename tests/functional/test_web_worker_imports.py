"""A gunicorn worker loads what serving needs, not the command-line tools (issue 17:
each worker under 150 MB). Alembic and flask_migrate (about 10 MB) are for `flask db`;
the GOV.UK Notify client with requests and PyJWT (about 18 MB) is for the notifications
worker. Each is checked in a fresh interpreter, as gunicorn imports `wsgi`."""

import subprocess
import sys

from portal.config import PROJECT_ROOT

TOOLS = ("alembic", "flask_migrate", "notifications_python_client", "requests", "jwt")


def _modules_after(code: str, env_name: str = "testing") -> set[str]:
    found = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        cwd=PROJECT_ROOT,
        env={"PORTAL_ENV": env_name, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(found.stdout.split())


def test_the_served_app_loads_no_command_line_tools():
    loaded = _modules_after("import wsgi")
    assert [tool for tool in TOOLS if tool in loaded] == []


def test_the_flask_commands_still_have_the_migrations():
    # Built as the `flask` command builds it (inside click's context): `flask db` works.
    loaded = _modules_after(
        "import click\n"
        "with click.Context(click.Command('flask')):\n"
        "    import wsgi\n"
        "    assert 'migrate' in wsgi.app.extensions\n"
        "    assert 'notifications' in wsgi.app.cli.commands\n"
    )
    assert "flask_migrate" in loaded
