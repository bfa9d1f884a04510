"""The officer's home page counts its longest lists from an index alone (migration 0027):
a region's registrations to triage (about 1,200 at national scale) and the officer's
cases waiting for first contact. Before, both databases read every one of those cases
to check one column. Checked on SQLite's plan for the statements the page runs, on a
database of its own built by the migrations and holding 6,000 cases, with statistics
(ANALYZE), whichever database the suite uses: a planner without statistics, on an empty
table, chooses anything."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import event

from portal import create_app
from portal.extensions import db
from portal.models import OfficerRole
from portal.services import queues
from tests.support.bulk import bulk_cases
from tests.support.database import MIGRATIONS


def plans_of(app, run) -> list[str]:
    """SQLite's plan of each statement `run(session)` executes, each as one string."""
    statements = []

    def keep(connection, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            run(db.session)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        with db.engine.connect() as connection:
            return [
                " | ".join(
                    row[-1]
                    for row in connection.exec_driver_sql(
                        f"EXPLAIN QUERY PLAN {statement}", parameters
                    )
                )
                for statement, parameters in statements
            ]


def test_the_home_pages_longest_counts_read_an_index_alone(tmp_path):
    from flask_migrate import upgrade

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'plans.db'}"})
    today = date(2026, 12, 1)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        made = bulk_cases(db.session, 6000, regions=3, officers_per_region=4, today=today)
        db.session.commit()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    region_id = made.region_ids[0]
    officer_id = made.officers[region_id][0]
    for role in (OfficerRole.VLO, OfficerRole.ADMIN):  # an admin's: and the national queue
        officer = SimpleNamespace(id=officer_id, region_id=region_id, role=role, is_active=True)
        [triage] = plans_of(
            app, lambda session, officer=officer: queues.to_triage(session, officer, today)
        )
        assert "COVERING INDEX ix_cases_region_status " in triage, triage
        [waiting] = plans_of(
            app,
            lambda session, officer=officer: queues.waiting_for_contact(session, officer, today),
        )
        assert "COVERING INDEX ix_cases_officer_status " in waiting, waiting
