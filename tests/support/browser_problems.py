"""Record what goes wrong in a browser page, across every document it loads.

Console errors, uncaught page errors, failed requests (not those a navigation
cancels), responses of 400 and above, and Content-Security-Policy violations.
The CSP listener reports through a Playwright binding (not a window variable),
so violations in a document that has since been replaced, by a history reload
for instance, are not lost. Neither the init script nor the binding is subject
to the page's CSP.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import ConsoleMessage, Page, Request, Response

#: Reports each CSP violation, from the moment a document starts.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} in ${event.sourceFile}`
  );
});
"""


class BrowserProblems:
    """Everything that went wrong in `page` since it was created, as readable lines."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.seen.append(f"page error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        page.expose_function("__reportCspViolation", self._csp_violation)
        page.add_init_script(CSP_REPORTER)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.seen.append(f"console {message.type}: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.seen.append(f"{response.status} for {response.url}")

    def _request_failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            # Cancelled, not failed: a navigation (such as htmx reloading the page
            # on Back) stops the old document's requests, the favicon's often.
            return
        self.seen.append(f"request failed: {request.url} ({request.failure})")

    def _csp_violation(self, text: str) -> None:
        self.seen.append(f"CSP violation: {text}")

    def wait_for(self, pattern: str, timeout_seconds: float = 5) -> None:
        """Wait until a problem matching `pattern` has been seen (events arrive asynchronously)."""
        deadline = time.monotonic() + timeout_seconds
        while not any(re.search(pattern, line) for line in self.seen):
            assert time.monotonic() < deadline, f"no problem matching {pattern!r}: {self.seen}"
            self.page.wait_for_timeout(50)

    def assert_none(self) -> None:
        assert self.seen == [], "problems in the browser:\n" + "\n".join(self.seen)

    def assert_only(self, *expected: str) -> None:
        """Each problem matches one of the `expected` patterns, and each pattern was seen."""
        for pattern in expected:
            self.wait_for(pattern)
        unexpected = [line for line in self.seen if not any(re.search(p, line) for p in expected)]
        assert unexpected == [], "unexpected problems in the browser:\n" + "\n".join(unexpected)
