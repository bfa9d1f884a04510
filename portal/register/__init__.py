"""Registering for the scheme: the self-referral journey (issue 6)."""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint("register", __name__, audience="registering", url_prefix="/register")
