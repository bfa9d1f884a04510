"""Workers claim disjoint rows: 1,000 due notifications are each sent exactly once.

On PostgreSQL two workers run at once (FOR UPDATE SKIP LOCKED); on SQLite,
which has one writer at a time, one worker does (as the README says to run).
"""

import threading
import uuid
from collections import Counter

import pytest
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import Language, NotificationChannel, NotificationStatus, OutboxNotification

COUNT = 1000


class RecordingProvider:
    """Records which worker sent what; the claiming under test is the real worker's."""

    name = "recording"

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: list[tuple[str, str]] = []

    def send(self, outgoing):
        with self.lock:
            self.sent.append((threading.current_thread().name, outgoing.reference))
        return outgoing.reference

    def find_sent(self, reference):
        return None


@pytest.mark.database
def test_concurrent_workers_send_each_notification_exactly_once(app):
    from portal.notifications.worker import send_due

    marker = f"load-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        dialect = db.engine.dialect.name
        db.session.add_all(
            OutboxNotification(
                recipient=f"{marker}-{n}@example.com",
                channel=NotificationChannel.EMAIL,
                template_key="new_message",
                language=Language.ENGLISH,
                personalisation={"url": "https://portal.example/sign-in"},
            )
            for n in range(COUNT)
        )
        db.session.commit()
        ids = set(
            db.session.scalars(
                select(OutboxNotification.id).where(
                    OutboxNotification.recipient.like(f"{marker}-%")
                )
            )
        )
    provider = RecordingProvider()
    errors = []

    def worker():
        try:
            with app.app_context():
                send_due(db.session, provider)
                db.session.remove()
        except Exception as error:  # surfaced below
            errors.append(error)

    workers = 2 if dialect == "postgresql" else 1
    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(workers)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors
        sent = Counter(reference for _, reference in provider.sent if reference in ids)
        assert set(sent) == ids
        assert max(sent.values()) == 1, "a notification was sent twice"
        by_worker = Counter(name for name, reference in provider.sent if reference in ids)
        assert sum(by_worker.values()) == COUNT
        if workers == 2:
            assert len(by_worker) == 2, "both workers took a share"
        with app.app_context():
            statuses = set(
                db.session.scalars(
                    select(OutboxNotification.status).where(OutboxNotification.id.in_(ids))
                )
            )
        assert statuses == {NotificationStatus.SENT}
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxNotification).where(OutboxNotification.id.in_(ids)))
            db.session.commit()
