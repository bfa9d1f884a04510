"""Staff in a real browser: fresh authenticator codes and signing a demo officer in.

The portal accepts no authenticator code twice, and every browser test shares one
live server (and its demo officers), so every staff browser test takes its codes
from `fresh_code` here: one record of the steps used, for the whole run.
"""

from __future__ import annotations

import time

import pyotp
from playwright.sync_api import Page, expect

from portal.demo import DEMO_OFFICER_PASSWORD, DEMO_TOTP_SECRETS
from tests.support.browser import Tongue, url_ending

#: The last 30-second step used for each secret, across every browser test.
USED_STEPS: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """A code the portal has not seen: this step's, the next one's, or (after waiting) later."""
    while True:
        now = int(time.time()) // 30
        step = max(now, USED_STEPS.get(secret, -1) + 1)
        if step <= now + 1:
            USED_STEPS[secret] = step
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep(1)


def sign_in_as(page: Page, email: str, tongue: Tongue) -> None:
    """Sign the demo officer `email` in through the pages, in `tongue`; ends on their home."""
    _ = tongue._
    page.goto(f"/staff/sign-in?lang={tongue.code}")
    page.get_by_label(_("Email address")).fill(email)
    page.get_by_label(_("Password"), exact=True).fill(DEMO_OFFICER_PASSWORD)
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Continue")).click()
    page.get_by_label(_("Security code")).fill(fresh_code(DEMO_TOTP_SECRETS[email]))
    with page.expect_navigation():
        page.locator("#main-content").get_by_role("button", name=_("Sign in")).click()
    expect(page).to_have_url(url_ending("/staff"))
