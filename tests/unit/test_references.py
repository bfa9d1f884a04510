"""Case reference numbers (portal/domain/references.py)."""

from portal.domain.references import is_valid, new_reference, normalise


def test_references_are_readable_and_checked():
    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    assert all(is_valid(reference) for reference in references)
    reference = next(iter(references))
    assert normalise(reference.lower().replace("-", " ")) == reference
    mistyped = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    assert not is_valid(mistyped)
    assert not is_valid("VCS-DEMO-0001")
