// The portal's own behaviour, loaded as a module under the strict CSP.
// Everything works without it; it only makes htmx swaps accessible.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

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

  // CSRF token on htmx requests that are not a form submit.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && !event.detail.parameters.csrf_token) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
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
  // nowhere to go: drop it.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (!document.body.contains(event.detail.target)) event.detail.shouldSwap = false;
  });

  document.body.addEventListener("htmx:afterSettle", (event) => {
    focusAfterSwap(event.detail.elt);
  });

  // An error page (403, 404, 500…) replaces the main content, so the person
  // sees the same page they would without JavaScript.
  document.body.addEventListener("htmx:responseError", (event) => {
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
