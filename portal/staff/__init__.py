"""The console for Victim Liaison Officers. Every access is audited."""

from portal.access import AudienceBlueprint

bp = AudienceBlueprint("staff", __name__, audience="staff", url_prefix="/staff")
