"""A signed-in victim's own pages: their case timeline, messages and choices."""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint("account", __name__, audience="victim", url_prefix="/account")
