"""Command-line tasks: `flask demo load`, `flask drafts purge`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for development.")


@demo_cli.command("load")
def load_demo() -> None:
    """Load the demo regions, officers, victims and cases (idempotent)."""
    from portal.demo import load_demo_data

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    sign_ins = load_demo_data()
    click.echo("Demo data is loaded. Demo accounts (their sign-in pages come in later work):")
    for sign_in in sign_ins:
        password = f"  password: {sign_in.password}" if sign_in.password else ""
        click.echo(f"  {sign_in.who}: {sign_in.email}{password}")


@demo_cli.command("send-sign-in-code")
@click.argument("email", default="jordan.ellis@example.com")
def send_demo_sign_in_code(email: str) -> None:
    """Queue a sign-in code message for a demo victim, to see what they receive."""
    from portal.demo import queue_demo_sign_in_code

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    queue_demo_sign_in_code(email)
    click.echo(f"Queued a sign-in code message for {email}: the notifications worker sends it.")


drafts_cli = AppGroup("drafts", help="Registrations that were started and not sent.")


@drafts_cli.command("purge")
def purge_drafts() -> None:
    """Delete unsent registrations past their expiry, with their codes (run it daily)."""
    from portal.extensions import db
    from portal.services.drafts import purge_expired

    deleted = purge_expired(db.session)
    db.session.commit()
    click.echo(f"Deleted {deleted} expired registrations.")


def register_commands(app: Flask) -> None:
    from portal.notifications.cli import notifications_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(drafts_cli)
    app.cli.add_command(notifications_cli)
