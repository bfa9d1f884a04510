"""The Victim Contact Scheme portal: `create_app(config)` builds the Flask app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import (
    access,
    compression,
    database,
    encryption,
    errors,
    health,
    language,
    models,  # noqa: F401  (the models, for migrations)
    rendering,
    request_checks,
    request_log,
    security,
    static_files,
)
from portal.cli import register_commands
from portal.config import PROJECT_ROOT, load_settings
from portal.extensions import babel, csrf, db, htmx, limiter


def create_app(
    config: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    commands: bool = True,
) -> Flask:
    """Build the portal for environment `config` ($PORTAL_ENV when not given).

    `commands=False` builds it to serve requests only (gunicorn's workers, see wsgi.py):
    without the `flask` commands and the migration tools, which a web worker never uses
    and which would cost each worker about 10 MB (Alembic)."""
    config_class, settings = load_settings(config, overrides)
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app.config.from_mapping(settings)
    app.config["ENV_NAME"] = config_class.ENV_NAME
    encryption.configure(encryption.parse_keys(app.config["ENCRYPTION_KEYS"]))
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    Path(app.instance_path).mkdir(exist_ok=True)
    db.init_app(app)
    database.init_app(app)
    if commands:
        use_migrations(app)
    # Compression first: after_request hooks run in reverse, so it sees the finished response.
    compression.init_app(app)
    # Security headers and the request id first: their before_request hooks
    # must run before CSRF or a rate limit can refuse a request, so that the
    # error page still gets its CSP nonce. Then control characters are
    # refused, before anything reads the request.
    security.init_app(app)
    request_log.init_app(app)
    request_checks.init_app(app)
    language.init_app(app, babel)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    access.init_app(app)

    from portal.account import bp as account_bp
    from portal.account import sign_in_bp
    from portal.notifications.views import bp as notify_callbacks_bp
    from portal.public import bp as public_bp
    from portal.register import bp as register_bp
    from portal.sentence_stages import stage_context
    from portal.staff import bp as staff_bp
    from portal.staff import sign_in_bp as staff_sign_in_bp

    for blueprint in (
        public_bp,
        register_bp,
        sign_in_bp,
        account_bp,
        staff_sign_in_bp,
        staff_bp,
        health.bp,
        notify_callbacks_bp,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(security.assets_bp)
    static_files.init_app(app)
    if commands:
        register_commands(app)
    app.context_processor(stage_context)
    if config_class.ENV_NAME == "production":
        refuse_an_address_too_long_for_sms(app)
    if app.config["TRUSTED_PROXIES"]:
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app


def use_migrations(app: Flask) -> None:
    """`flask db …` and flask_migrate's functions, for this app."""
    from flask_migrate import Migrate

    Migrate(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)


def refuse_an_address_too_long_for_sms(app: Flask) -> None:
    """Every SMS must stay one GSM fragment with its links to the real public address."""
    from portal.config import ConfigurationError
    from portal.notifications.content import sms_that_do_not_fit

    with app.test_request_context("/"):
        problems = sms_that_do_not_fit(app.config["PUBLIC_BASE_URL"])
    if problems:
        raise ConfigurationError(
            "PUBLIC_BASE_URL is too long: these text messages would not fit in one SMS "
            f"with links to it: {'; '.join(problems)}"
        )
