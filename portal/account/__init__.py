"""A victim's own pages, and signing in to them.

`sign_in` (public): ask for a code, enter it, sign out. `account` (victim):
only for a signed-in session, which sees only the cases of the records that
hold the contact detail it proved.
"""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint(
    "account",
    __name__,
    audience="victim",
    url_prefix="/account",
    sign_in_endpoint="sign_in.start",
)
sign_in_bp = AudienceBlueprint("sign_in", __name__, audience="public")

from portal.account import (  # noqa: E402, F401
    message_views,
    participation_views,
    preference_views,
    representative_views,
    request_views,
    sign_in_views,
    views,
    your_data_views,
)
