"""The migrations build the schema the models describe, and demo data loads once."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from portal.demo import load_demo_data
from portal.extensions import db
from portal.models import Case, Region, VictimLiaisonOfficer

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
    with app.app_context():
        before = (
            db.session.scalar(select(func.count()).select_from(Region)),
            db.session.scalar(select(func.count()).select_from(VictimLiaisonOfficer)),
            db.session.scalar(select(func.count()).select_from(Case)),
        )
        load_demo_data()
        after = (
            db.session.scalar(select(func.count()).select_from(Region)),
            db.session.scalar(select(func.count()).select_from(VictimLiaisonOfficer)),
            db.session.scalar(select(func.count()).select_from(Case)),
        )
    assert before == after == (12, 3, 3)


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


def test_the_region_units_migration_keeps_existing_regions(tmp_path):
    """0005 takes the unit's name out of an existing address and gives it, and the
    address, a Welsh version."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app
    from tests.conftest import MIGRATIONS

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
