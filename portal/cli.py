"""Command-line tasks: `flask demo load`, `flask drafts purge`, `flask sign-in purge`,
`flask encryption rotate`, `flask stages draw`, `flask messages daily-summary`,
`flask retention apply`, `flask cases resume-paused`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for development.")


@demo_cli.command("load")
def load_demo() -> None:
    """Load the demo regions, officers, victims and cases (idempotent)."""
    from portal.demo import demo_case_counts, load_demo_data

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    sign_ins = load_demo_data()
    click.echo("Demo data is loaded. Demo accounts:")
    for sign_in in sign_ins:
        password = f"  password: {sign_in.password}" if sign_in.password else ""
        if sign_in.totp_secret:
            password += f"  authenticator app secret: {sign_in.totp_secret}"
        click.echo(f"  {sign_in.who}: {sign_in.email}{password}")
    counts = demo_case_counts()
    click.echo(
        f"Cases: {sum(counts.values())} ("
        + ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        + "), a few dozen in each region: VCS-DEMO-WAL-001, VCS-DEMO-LON-001..."
    )
    click.echo(
        "Staff sign in at http://127.0.0.1:5000/staff/sign-in: add the secret to an "
        'authenticator app, or run: .venv/bin/python -c "import pyotp; '
        "print(pyotp.TOTP('SECRET').now())\""
    )


@demo_cli.command("send-sign-in-code")
@click.argument("email", default="jordan.ellis@example.com")
def send_demo_sign_in_code(email: str) -> None:
    """Queue a sign-in code to a demo victim, to watch the worker deliver it.

    The code works only in the browser that asked for it: sign in at /sign-in.
    """
    from portal.demo import queue_demo_sign_in_code

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    try:
        queue_demo_sign_in_code(email, current_app.config["SECRET_KEY"])
    except LookupError as refused:
        raise click.ClickException(str(refused)) from refused
    click.echo(f"Queued a sign-in code for {email}: the notifications worker sends it.")


drafts_cli = AppGroup("drafts", help="Registrations that were started and not sent.")


@drafts_cli.command("purge")
def purge_drafts() -> None:
    """Delete unsent registrations past their expiry, with their codes (run it daily)."""
    from portal.extensions import db
    from portal.services.drafts import purge_expired

    deleted = purge_expired(db.session)
    db.session.commit()
    click.echo(f"Deleted {deleted} expired registrations.")


sign_in_cli = AppGroup("sign-in", help="Victims' sign-in codes and sessions.")


@sign_in_cli.command("purge")
def purge_sign_ins() -> None:
    """Delete sign-in codes and sessions a day after they ended (run it daily)."""
    from portal.extensions import db
    from portal.services import staff_auth
    from portal.services.sign_in import purge_expired

    deleted = purge_expired(db.session) + staff_auth.purge_expired(db.session)
    db.session.commit()
    click.echo(f"Deleted {deleted} old sign-in codes, sessions and staff sign-in failures.")


encryption_cli = AppGroup("encryption", help="Data encrypted at rest (ENCRYPTION_KEYS).")


@encryption_cli.command("rotate")
def rotate_keys() -> None:
    """Encrypt everything again with the first key in ENCRYPTION_KEYS (README, "Keys")."""
    from portal.encryption import reencrypt_all
    from portal.extensions import db

    for column, count in reencrypt_all(db.session, db.metadata).items():
        click.echo(f"{column}: encrypted {count} values with the newest key.")


stages_cli = AppGroup("stages", help="The stages of a sentence.")


@stages_cli.command("draw")
def draw_stages() -> None:
    """Draw static/images/stages-<lang>.svg from the stage names in the catalogue."""
    from portal.sentence_stages import draw_picture, picture_path

    for language in ("en", "cy"):
        picture_path(language).write_text(draw_picture(current_app, language), encoding="utf-8")
        click.echo(f"Drew {picture_path(language).name}.")


messages_cli = AppGroup("messages", help="Messages between victims and their officers.")


@messages_cli.command("daily-summary")
@click.option(
    "--any-day", is_flag=True, help="Send on a weekend or bank holiday too (normally skipped)."
)
def send_daily_summaries(any_day: bool) -> None:
    """Email each officer who asked for it how many messages wait for a reply (numbers only).

    Run it each morning (cron): it sends nothing on weekends and England and Wales bank
    holidays, nothing to an officer with nothing waiting, and nothing twice in a day."""
    from portal.domain.working_days import is_working_day
    from portal.extensions import db
    from portal.models import utcnow
    from portal.notifications.content import staff_sign_in_link
    from portal.services import messages

    now = utcnow()
    if not any_day and not is_working_day(messages.local_day(now)):
        click.echo("Today is not a working day: no daily summaries sent.")
        return
    with current_app.test_request_context("/"):
        sign_in_url = staff_sign_in_link(current_app.config["PUBLIC_BASE_URL"])
    sent = messages.daily_summaries(db.session, sign_in_url, now=now)
    db.session.commit()
    click.echo(f"Queued {sent} daily summaries of messages waiting for a reply.")


retention_cli = AppGroup("retention", help="The retention rule for closed cases (README).")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=200,
    show_default=True,
    help="Cases (or people) emptied in each transaction.",
)
def apply_retention(dry_run: bool, batch_size: int) -> None:
    """Remove everything personal from cases closed (or declined) longer ago than the
    retention period, and from people whose cases are all emptied; keep the shells for the
    figures. Prints counts only. Safe to run again (run it daily)."""
    from portal.extensions import db
    from portal.services import retention

    periods = retention.Periods.from_config(current_app.config)
    click.echo(
        f"Retention: {periods.after_closing} years after closing, "
        f"{periods.after_declining} years after declining."
    )
    if dry_run:
        counts = retention.plan(db.session, periods)
        db.session.rollback()
        click.echo("Dry run: nothing was changed. Would empty:")
    else:
        counts = retention.apply(db.session, periods, db.session.commit, batch_size=batch_size)
        click.echo("Emptied:")
    for line in counts.lines():
        click.echo(f"  {line}")


cases_cli = AppGroup("cases", help="Cases: pauses the victims asked for.")


@cases_cli.command("resume-paused")
def resume_paused() -> None:
    """Start updates again on cases whose pause has reached its day (run it daily)."""
    from portal.domain.contact_times import london_today
    from portal.extensions import db
    from portal.models import utcnow
    from portal.services.participation import resume_due

    now = utcnow()
    resumed = resume_due(db.session, london_today(now), now)
    db.session.commit()
    click.echo(f"Started updates again on {resumed} paused cases.")


def register_commands(app: Flask) -> None:
    from portal.notifications.cli import notifications_cli

    app.cli.add_command(demo_cli)
    app.cli.add_command(drafts_cli)
    app.cli.add_command(sign_in_cli)
    app.cli.add_command(encryption_cli)
    app.cli.add_command(stages_cli)
    app.cli.add_command(messages_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(notifications_cli)
