"""The console for Victim Liaison Officers. Every access is audited.

`staff` (audience staff): only for a signed-in officer; anyone else is sent
to sign in, and the refused request is audited too. `staff_sign_in`
(public): signing in, the second factor, signing out.
"""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint(
    "staff",
    __name__,
    audience="staff",
    url_prefix="/staff",
    sign_in_endpoint="staff_sign_in.start",
)
sign_in_bp = AudienceBlueprint("staff_sign_in", __name__, audience="public", url_prefix="/staff")

from portal.staff import sign_in_views, views  # noqa: E402, F401

from portal.staff import caseload_views  # noqa: E402, F401  # isort: skip
from portal.staff import (  # noqa: E402, F401
    case_views,
)

# isort: split
from portal.staff import (  # noqa: E402, F401
    audit_views,
    contact_views,
    notification_views,
    reassign_views,
    region_views,
)

# isort: split
from portal.staff import message_views, triage_views  # noqa: E402, F401

from portal.staff import referral_views  # noqa: E402, F401  # isort: skip
from portal.staff import account_views  # noqa: E402, F401

from portal.staff import request_views  # noqa: E402, F401  # isort: skip
from portal.staff import participation_views  # noqa: E402, F401  # isort: skip
