"""`flask notifications work | send-due | retry-failed`."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.notifications.providers import provider_from_config
from portal.notifications.worker import retry_failed, send_due, work

notifications_cli = AppGroup("notifications", help="Send notifications from the outbox.")


@notifications_cli.command("send-due")
def send_due_command() -> None:
    """Send everything that is due, once (for cron)."""
    result = send_due(db.session, provider_from_config(current_app.config))
    click.echo(f"sent {result.sent}, retrying {result.retrying}, failed {result.failed}")


@notifications_cli.command("work")
@click.option("--poll", default=2.0, show_default=True, help="Seconds between passes.")
def work_command(poll: float) -> None:
    """Keep sending until SIGTERM or Ctrl+C (one worker per SQLite database)."""
    stop = threading.Event()

    def request_stop(signum, _frame):
        click.echo(f"notifications worker: stopping after this pass (signal {signum})")
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    provider = provider_from_config(current_app.config)
    click.echo(f"notifications worker: sending through {provider.name}")
    work(lambda: db.session, provider, stop, poll_seconds=poll)
    db.session.remove()
    click.echo("notifications worker: stopped")


@notifications_cli.command("retry-failed")
def retry_failed_command() -> None:
    """Queue failed notifications again, e.g. after fixing the Notify key."""
    click.echo(f"queued again: {retry_failed(db.session)}")
