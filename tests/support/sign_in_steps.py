"""Signing in as a victim over HTTP, shared by the sign-in tests."""

from __future__ import annotations

from tests.support.registration_steps import latest_code, post


def ask_for_code(pages, typed: str, status: int = 200):
    return post(pages, "/sign-in", {"contact": typed}, status=status)


def enter_code(pages, code: str, status: int = 200):
    return post(pages, "/sign-in/security-code", {"code": code}, status=status)


def sign_in_as(pages, app_db, typed: str, recipient: str):
    ask_for_code(pages, typed)
    return enter_code(pages, latest_code(app_db, recipient))


def sign_out(pages):
    """Press "Sign out" (a form posting the page's CSRF token); returns the page after."""
    return post(pages, "/sign-out", {}, page_url="/account")
