"""A gunicorn worker loads what serving needs, not the command-line tools (issue 17:
each worker under 150 MB). Alembic and flask_migrate (about 10 MB) are for `flask db`;
the GOV.UK Notify client with requests and PyJWT (about 18 MB) is for the notifications
worker. Each is checked in a fresh interpreter, as gunicorn imports `wsgi`; and what the
loaded app made is frozen out of the garbage collector's way (gunicorn.conf.py)."""

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


def test_a_worker_compiles_every_template_then_freezes_what_the_app_made():
    """gunicorn.conf.py's post_worker_init, as gunicorn calls it once the app is loaded:
    every template is compiled before the first request; then everything made so far is
    frozen (a full collection no longer scans it); the collector's thresholds are
    Python's own."""
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, runpy, types\n"
            "import wsgi\n"
            "settings = runpy.run_path('gunicorn.conf.py')\n"
            "env = wsgi.app.jinja_env\n"
            "before = gc.get_freeze_count(), len(env.cache)\n"
            "settings['post_worker_init'](types.SimpleNamespace(wsgi=wsgi.app))\n"
            "names = env.list_templates()\n"
            "ref = __import__('weakref').ref(env.loader)\n"
            "cached = sum(env.cache.get((ref, name)) is not None for name in names)\n"
            "print(*before, len(names), cached, gc.get_freeze_count(), *gc.get_threshold())\n",
        ],
        cwd=PROJECT_ROOT,
        env={"PORTAL_ENV": "testing", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    before, cached_before, templates, cached, frozen, *threshold = (
        int(value) for value in found.stdout.split()
    )
    assert before == 0
    assert cached_before == 0
    assert templates > 250  # the portal's and GOV.UK Frontend's
    assert cached == templates
    assert frozen > 100_000  # the app's objects: modules, routes, the catalogue…
    assert threshold == [700, 10, 10]


def test_templates_that_outgrow_jinjas_cache_get_a_bigger_one_not_compiled_again_and_again():
    from jinja2.utils import LRUCache

    from portal import create_app
    from portal.rendering import compile_templates

    app = create_app("testing")
    app.jinja_env.cache = LRUCache(10)
    compiled = compile_templates(app)
    assert compiled == len(app.jinja_env.list_templates()) > 10
    assert len(app.jinja_env.cache) == compiled <= app.jinja_env.cache.capacity


def test_a_file_that_does_not_compile_is_logged_and_the_worker_still_starts(tmp_path, caplog):
    """A stray file under templates/ (an editor's swap file) or a template that does not
    compile fails only where it is used, as before: it must not stop every worker booting
    (gunicorn then stops the server)."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from portal import create_app
    from portal.rendering import compile_templates

    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / ".start.html.swp").write_bytes(b"\xff\xfe\x00 not text")
    app = create_app("testing")
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(tmp_path)])
    names = app.jinja_env.list_templates()
    assert compile_templates(app) == len(names) - 2
    logged = {record.template for record in caplog.records if record.msg == "template_not_compiled"}
    assert logged == {"broken.html", ".start.html.swp"}
