"""Registering for the scheme: the self-referral journey."""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint("register", __name__, audience="registering", url_prefix="/register")

from portal.register import views  # noqa: E402, F401
