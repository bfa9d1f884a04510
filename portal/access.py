"""Who may see each route. Every endpoint declares its audience.

- public: anyone (information pages, eligibility, assets);
- registering: anyone, in the middle of registering (their own draft only);
- victim: a signed-in victim, seeing only their own case;
- staff: a signed-in Victim Liaison Officer; every access is audited;
- system: machines (health checks, provider callbacks).

A test fails on an endpoint with no audience, so a new route cannot be
exposed by accident. Victim and staff routes are refused unless the session
holds that audience.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, session

AUDIENCES = ("public", "registering", "victim", "staff", "system")
SIGNED_IN_AUDIENCES = ("victim", "staff")
#: Flask's own static route serves only committed files.
BUILT_IN = {"static": "public"}


class AudienceBlueprint(Blueprint):
    """A blueprint whose routes all serve one audience."""

    def __init__(self, name: str, import_name: str, *, audience: str, **kwargs) -> None:
        if audience not in AUDIENCES:
            raise ValueError(f"Unknown audience {audience!r}")
        super().__init__(name, import_name, **kwargs)
        self.audience = audience
        if audience in SIGNED_IN_AUDIENCES:
            self.before_request(_require(audience))


def _require(audience: str):
    def check_signed_in() -> None:
        if session.get("audience") != audience:
            abort(403)

    return check_signed_in


def audience_of(app: Flask, endpoint: str) -> str | None:
    """The declared audience of `endpoint`, or None when it declares none."""
    if endpoint in BUILT_IN:
        return BUILT_IN[endpoint]
    blueprint_name = endpoint.rpartition(".")[0]
    blueprint = app.blueprints.get(blueprint_name)
    return getattr(blueprint, "audience", None)
