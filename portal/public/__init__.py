"""Pages anyone can read before signing in."""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint("public", __name__, audience="public")

from portal.public import views  # noqa: E402, F401
