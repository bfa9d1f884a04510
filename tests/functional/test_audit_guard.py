"""The audit is append-only at the database: whatever the application does, an audit row
cannot be changed or deleted (migration 0009's triggers), on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from portal.models import ActorType, AuditEvent

pytestmark = pytest.mark.database


@pytest.fixture
def audit_row(app_db):
    row = AuditEvent(actor_type=ActorType.STAFF, actor_id=1, action="GET staff.case")
    app_db.add(row)
    app_db.flush()
    return row


def refused(app_db, statement) -> str:
    savepoint = app_db.begin_nested()
    with pytest.raises(DBAPIError) as error:
        app_db.execute(statement)
    savepoint.rollback()
    return str(error.value)


def test_an_audit_row_cannot_be_changed(app_db, audit_row):
    message = refused(
        app_db, update(AuditEvent).where(AuditEvent.id == audit_row.id).values(action="nothing")
    )
    assert "append-only" in message
    assert app_db.get(AuditEvent, audit_row.id).action == "GET staff.case"


def test_an_audit_row_cannot_be_deleted(app_db, audit_row):
    assert "append-only" in refused(app_db, delete(AuditEvent).where(AuditEvent.id == audit_row.id))
    assert app_db.get(AuditEvent, audit_row.id) is not None


def test_the_audit_cannot_be_emptied_at_once(app_db, audit_row):
    if app_db.get_bind().dialect.name == "postgresql":
        assert "append-only" in refused(app_db, text("TRUNCATE audit_events"))
    assert "append-only" in refused(app_db, text("DELETE FROM audit_events"))
