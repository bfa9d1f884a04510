"""The migrations build the schema the models describe, and demo data loads once."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from portal.demo import OFFICERS, load_demo_data
from portal.demo_console import CONSOLE_OFFICERS
from portal.extensions import db
from portal.models import (
    Case,
    ContactPreference,
    Message,
    OutboxNotification,
    Region,
    TimelineEvent,
    Victim,
    VictimLiaisonOfficer,
    VictimRequest,
    VictimRequestStep,
)

CORE_TABLES = {
    "regions",
    "victim_liaison_officers",
    "victims",
    "contact_preferences",
    "cases",
    "timeline_events",
    "messages",
    "audit_events",
    "outbox_notifications",
    "alembic_version",
}


def test_migrations_match_the_models(app, db_session):
    with app.app_context():
        connection = db.session.connection()
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_create_the_core_tables(app, db_session):
    with app.app_context():
        tables = set(inspect(db.session.connection()).get_table_names())
    assert tables >= CORE_TABLES


def test_demo_data_is_idempotent(app, db_session):
    """A second load adds nothing: not a region, officer, victim, case, entry or notification
    (tests/functional/test_demo_data.py checks what the demo holds)."""
    tables = (
        Region,
        VictimLiaisonOfficer,
        Victim,
        ContactPreference,
        Case,
        TimelineEvent,
        Message,
        OutboxNotification,
        VictimRequest,
        VictimRequestStep,
    )

    def counts():
        return [db.session.scalar(select(func.count()).select_from(table)) for table in tables]

    with app.app_context():
        before = counts()
        load_demo_data()
        after = counts()
    assert before == after
    assert before[:2] == [12, len(OFFICERS) + len(CONSOLE_OFFICERS)]


def test_demo_data_has_timelines_messages_and_a_welsh_speaker(app, db_session):
    with app.app_context():
        welsh_case = db.session.execute(
            select(Case).filter_by(reference="VCS-DEMO-0001")
        ).scalar_one()
        assert welsh_case.victim.language == "cy"
        assert welsh_case.region.name_cy == "Cymru"
        assert len(welsh_case.timeline) == 3
        assert welsh_case.messages
        national = db.session.execute(
            select(Case).filter_by(reference="VCS-DEMO-0003")
        ).scalar_one()
        assert national.region is None


def test_upgrading_a_database_with_data_keeps_it(tmp_path):
    """0005 copies tables that others point at and encrypts the outbox: nothing is lost."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from portal import create_app
    from portal.models import OutboxNotification
    from tests.support.database import MIGRATIONS

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO regions (code, name_en, name_cy, email, phone, address, "
                    "is_example) VALUES ('wales', 'Wales', 'Cymru', 'a@b.c', '1', 'x', 1)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO victims (full_name, language, created_at) "
                    "VALUES ('A', 'en', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO cases (reference, victim_id, region_id, status, offender_name, "
                    "offence_type, stage, updates_wanted, created_at, updated_at) VALUES "
                    "('VCS-OLD-0001', 1, 1, 'active', 'B', 'violent', 'sentence', "
                    "'every_stage', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO timeline_events (case_id, kind, occurred_on, precision, "
                    "summary, language, visible_to_victim, created_at) VALUES (1, 'note', "
                    "'2026-01-01', 'day', 'Joined', 'en', 1, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO contact_preferences (victim_id, channel, value, is_safe, "
                    "voicemail_safe) VALUES (1, 'email', 'Mixed.Case@Example.com', 1, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO outbox_notifications (id, recipient, channel, template_key, "
                    "language, personalisation, status, attempts, next_attempt_at, created_at, "
                    "updated_at) VALUES ('n1', 'a@b.c', 'email', 'sign_in_code', 'en', "
                    '\'{"code": "123456", "minutes": 10}\', \'pending\', 0, '
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            raw = connection.execute(text("SELECT personalisation FROM outbox_notifications"))
            assert "123456" not in raw.scalar_one()
            email = connection.execute(text("SELECT value FROM contact_preferences")).scalar()
            assert email == "mixed.case@example.com"
            assert connection.execute(text("SELECT reference FROM cases")).scalar() == (
                "VCS-OLD-0001"
            )
        notification = db.session.get(OutboxNotification, "n1")
        assert notification.personalisation == {"code": "123456", "minutes": 10}
        db.session.remove()
        downgrade(directory=MIGRATIONS, revision="0004")
        with db.engine.connect() as connection:
            raw = connection.execute(text("SELECT personalisation FROM outbox_notifications"))
            assert "123456" in raw.scalar_one()
        db.engine.dispose()


def test_the_region_units_migration_keeps_existing_regions(tmp_path):
    """0006 takes the unit's name out of an existing address and gives it, and the
    address, a Welsh version."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app
    from tests.support.database import MIGRATIONS

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0004")
        db.session.execute(
            text(
                "INSERT INTO regions (code, name_en, name_cy, email, phone, address, is_example)"
                " VALUES ('wales', 'Wales', 'Cymru', 'u@example.gov.uk', '0300 555 0001',"
                " :address, 1)"
            ),
            {"address": "Victim Liaison Unit\n1 Example Street\nExample Town\nEX1 1AA"},
        )
        db.session.commit()
        upgrade(directory=MIGRATIONS)
        row = db.session.execute(
            text("SELECT unit_name_en, unit_name_cy, address, address_cy FROM regions")
        ).one()
        db.session.remove()
        db.engine.dispose()
    assert tuple(row) == (
        "Wales Victim Liaison Unit",
        "Uned Cyswllt Dioddefwyr Cymru",
        "1 Example Street\nExample Town\nEX1 1AA",
        "1 Stryd Enghreifftiol\nTref Enghreifftiol\nEX1 1AA",
    )
