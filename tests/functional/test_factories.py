"""Every model has a factory (tests/support/factories.py) that builds a valid record alone."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.support import factories

FACTORIES = {
    cls._meta.model: cls
    for cls in vars(factories).values()
    if isinstance(cls, type)
    and issubclass(cls, factories.Base)
    and cls is not factories.Base
    and cls._meta.model is not None
}


def test_every_model_has_a_factory():
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    missing = sorted(model.__name__ for model in models - FACTORIES.keys())
    assert not missing, f"models without a factory in tests/support/factories.py: {missing}"


@pytest.mark.parametrize("factory", FACTORIES.values(), ids=lambda f: f.__name__)
def test_a_factory_builds_a_record_on_its_own(app, db_session, factory):
    with app.app_context():
        record = factory()
        db.session.commit()
        assert db.session.get(type(record), record.id) is record
