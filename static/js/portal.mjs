// The portal's own behaviour, loaded as a module under the strict CSP.
// Everything works without it; it only makes htmx swaps accessible.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

// The header of a request the person did not make (portal/account/views.py).
const QUIET_HEADER = "X-Portal-Quiet";
// The event that saves what is being written (hx-trigger of the message box).
const SAVE_DRAFT = "portal:save-draft";
// Dispatched on the document when the timeout warning opens.
const TIMEOUT_WARNING_OPENED = "app-timeout:warning";

// Where a screen-reader user needs focus after a swap: the error summary if
// there is one, else the element marked data-focus-after-swap, else the first
// heading of the updated region. A region marked data-keep-focus (a live
// search, say) leaves focus where the person is typing.
function focusAfterSwap(region) {
  if (region.closest("[data-keep-focus]")) return;
  const target =
    region.querySelector(".govuk-error-summary") ||
    region.querySelector("[data-focus-after-swap]") ||
    region.querySelector("h1, h2");
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
}

function wireHtmx(htmx) {
  // GOV.UK components in swapped-in content. initAll looks inside its scope,
  // so start from the parent: a component may be the swapped element itself.
  // Components already started elsewhere in that parent say so (InitError).
  htmx.onLoad((element) => {
    if (element === document.body) return;
    initAll({
      scope: element.parentElement ?? element,
      onError: (error) => {
        if (error.name !== "InitError") console.error(error);
      },
    });
  });

  // CSRF token on htmx requests that are not a form submit. A request the person did
  // not make (polling, a draft saved as the timeout warning opens) says so: the server
  // and the timeout warning do not count it as activity.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && !event.detail.parameters.csrf_token) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
    if (
      event.detail.elt.hasAttribute?.("data-poll") ||
      event.detail.triggeringEvent?.type === SAVE_DRAFT
    ) {
      event.detail.headers[QUIET_HEADER] = "1";
    }
  });

  // Polling (data-poll: a conversation asking for new messages) pauses while the tab is
  // hidden, and asks at once when it is shown again.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (document.hidden && event.detail.elt.hasAttribute?.("data-poll")) event.preventDefault();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) return;
    document.querySelectorAll("[data-poll]").forEach((poller) => htmx.trigger(poller, "portal:poll"));
  });

  // What is being written is kept on the server (data-save-draft) once more when the
  // timeout warning opens: the person may not come back in time.
  document.addEventListener(TIMEOUT_WARNING_OPENED, () => {
    document.querySelectorAll("[data-save-draft]").forEach((box) => htmx.trigger(box, SAVE_DRAFT));
  });

  // Inline checks: a form group marked data-check-when-left asks the server
  // to check it (htmx, on "portal:left") when focus leaves the whole group,
  // never between the parts of a date, not when the person is clicking the
  // form's button (the submit checks everything), and only when there is
  // something new to say: a changed answer, or an error to clear.
  let pressingButton = false;
  document.body.addEventListener("pointerdown", (event) => {
    pressingButton = Boolean(event.target.closest("button, [role=button]"));
  });
  document.body.addEventListener("pointerup", () => {
    setTimeout(() => (pressingButton = false), 0);
  });
  document.body.addEventListener("focusout", (event) => {
    const group = event.target.closest("[data-check-when-left]");
    if (!group || group.contains(event.relatedTarget) || pressingButton) return;
    const inputs = [...group.querySelectorAll("input")];
    const answer = JSON.stringify(inputs.map((input) => input.value));
    const typed = inputs.some((input) => input.value.trim());
    const showingError = group.classList.contains("govuk-form-group--error");
    if (answer === (group.dataset.checkedAnswer ?? JSON.stringify(inputs.map((i) => i.defaultValue)))) return;
    if (!typed && !showingError) return;
    group.dataset.checkedAnswer = answer;
    htmx.trigger(group, "portal:left");
  });

  // A search box inside a bigger form (the referral's court search): Enter searches,
  // as the "Find court" button does, rather than sending the whole form.
  document.body.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.closest?.("[data-search-field]")) return;
    event.preventDefault();
    htmx.trigger(event.target, "search");
  });

  // A check that answers after its page has gone (the form was sent) has
  // nowhere to go: drop it. A form marked data-swap-errors shows the server's answer
  // to a refusal (a 409 or 429 with the form and what to do) in place, as it does
  // without JavaScript, when that answer is part of a page rather than an error page.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (!document.body.contains(event.detail.target)) {
      event.detail.shouldSwap = false;
      return;
    }
    const xhr = event.detail.xhr;
    if (
      event.detail.isError &&
      xhr.status < 500 &&
      event.detail.requestConfig?.elt?.closest?.("[data-swap-errors]") &&
      !/<html[\s>]/i.test(xhr.responseText)
    ) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterSettle", (event) => {
    focusAfterSwap(event.detail.elt);
  });

  // An error page (403, 404, 500…) replaces the main content, so the person
  // sees the same page they would without JavaScript.
  document.body.addEventListener("htmx:responseError", (event) => {
    // A request in the background (polling, saving a draft) never replaces the page.
    if (event.detail.elt.closest?.("[data-background-request]")) return;
    const xhr = event.detail.xhr;
    const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    const main = page.getElementById("main-content");
    const here = document.getElementById("main-content");
    if (!main || !here) return;
    here.innerHTML = main.innerHTML;
    document.title = page.title;
    htmx.process(here);
    initAll({ scope: here });
    focusAfterSwap(here);
  });
}

if (window.htmx) {
  wireHtmx(window.htmx);
} else {
  document.addEventListener("DOMContentLoaded", () => window.htmx && wireHtmx(window.htmx));
}

// The GOV.UK timeout warning (WCAG 2.2.1): a modal <dialog> (templates/components/
// timeout_warning.html) that opens a little before the session runs out for want of a
// request. It reads everything from its data attributes: the limits, the keep-alive and
// sign-in URLs; its words are rendered by the server, one <template> for each number of
// minutes it may show. "Stay signed in" (or Escape) POSTs to the keep-alive URL; when time
// runs out it posts its sign-out form (reason=timeout), and the sign-in page says why.
// Tabs of the same browser share when the session ends (localStorage), so working in one
// keeps the others open, and one tab signing out sends the others to the sign-in page.
class TimeoutWarning {
  constructor(dialog) {
    const data = dialog.dataset;
    this.dialog = dialog;
    this.idle = Number(data.idleSeconds) * 1000;
    this.warning = Number(data.warningSeconds) * 1000;
    this.slack = Number(data.slackSeconds) * 1000;
    this.keepAliveUrl = data.keepAliveUrl;
    this.signInUrl = data.signInUrl;
    this.endsKey = `app-timeout:${data.timeoutName}:ends-at`;
    this.outKey = `app-timeout:${data.timeoutName}:signed-out`;
    this.title = dialog.querySelector("[data-timeout-title]");
    this.status = dialog.querySelector("[data-timeout-status]");
    this.expiredForm = dialog.querySelector("form[data-timeout-expired]");
    this.texts = new Map(
      [...dialog.querySelectorAll("template[data-timeout-minutes]")].map((template) => [
        Number(template.dataset.timeoutMinutes),
        template.content.textContent.trim(),
      ]),
    );
    this.shown = null;
    this.leaving = false;
    this.endsAt = this.share(Date.now() + Number(data.secondsLeft) * 1000);

    dialog.querySelector("[data-timeout-stay]").addEventListener("click", () => this.stay());
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault(); // Escape means "Stay signed in"
      this.stay();
    });
    dialog.querySelector("[data-timeout-sign-out]")?.addEventListener("click", () => {
      this.leaving = true;
      this.store(this.outKey, String(Date.now()));
    });
    window.addEventListener("storage", (event) => {
      if (event.key === this.endsKey && event.newValue) this.later(Number(event.newValue));
      if (event.key === this.outKey && event.newValue && !this.leaving) {
        this.leaving = true;
        window.location.assign(this.signInUrl);
      }
    });
    // A request htmx made touched the session too (the server notes one at most a minute
    // late, hence the slack), unless the person did not make it (polling, say).
    document.body.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.requestConfig?.headers?.[QUIET_HEADER]) return;
      if (event.detail.successful) this.later(this.share(Date.now() + this.idle - this.slack));
    });
    this.schedule();
  }

  store(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      // Storage refused (private browsing): this tab keeps its own time.
    }
  }

  stored() {
    try {
      return Number(window.localStorage.getItem(this.endsKey)) || 0;
    } catch {
      return 0;
    }
  }

  // The latest end any tab knows of, now shared with the others.
  share(endsAt) {
    const latest = Math.max(endsAt, this.stored());
    this.store(this.endsKey, String(latest));
    return latest;
  }

  later(endsAt) {
    if (endsAt <= this.endsAt) return;
    this.endsAt = endsAt;
    if (this.dialog.open && this.endsAt - Date.now() > this.warning) this.close();
    this.schedule();
  }

  schedule() {
    window.clearTimeout(this.timer);
    const left = this.endsAt - Date.now();
    if (left <= 0) {
      this.expire();
      return;
    }
    if (left > this.warning) {
      this.timer = window.setTimeout(() => this.schedule(), left - this.warning);
      return;
    }
    const minutes = Math.ceil(left / 60000);
    this.show(minutes);
    // Again when the minutes left go down by one (or time runs out).
    this.timer = window.setTimeout(() => this.schedule(), left - (minutes - 1) * 60000);
  }

  show(minutes) {
    const text = this.texts.get(minutes) ?? this.texts.get(Math.max(...this.texts.keys()));
    if (!this.dialog.open) {
      this.title.textContent = text;
      this.status.textContent = "";
      this.returnFocus = document.activeElement;
      this.dialog.showModal(); // focus moves to "Stay signed in"; the title is its name
      document.dispatchEvent(new CustomEvent(TIMEOUT_WARNING_OPENED));
    } else if (minutes !== this.shown) {
      this.title.textContent = text;
      this.status.textContent = text; // the countdown, read out once a minute
    }
    this.shown = minutes;
  }

  close() {
    window.clearTimeout(this.timer);
    if (this.dialog.open) this.dialog.close();
    this.status.textContent = "";
    this.shown = null;
    if (this.returnFocus && document.body.contains(this.returnFocus)) this.returnFocus.focus();
  }

  async stay() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    let response;
    try {
      response = await fetch(this.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": meta ? meta.content : "" },
      });
    } catch {
      return; // no network: the dialog stays open, and counts down
    }
    if (response.status !== 204) {
      this.expire(); // the session has already ended
      return;
    }
    this.endsAt = this.share(Date.now() + this.idle);
    this.close();
    this.schedule();
  }

  expire() {
    window.clearTimeout(this.timer);
    if (this.leaving) return;
    this.leaving = true;
    this.store(this.outKey, String(Date.now()));
    this.expiredForm.submit();
  }
}

document
  .querySelectorAll('[data-module="app-timeout-warning"]')
  .forEach((dialog) => new TimeoutWarning(dialog));
