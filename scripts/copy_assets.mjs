// Copies the pinned front-end packages (package.json + package-lock.json)
// into static/, so that running and testing the portal need no Node.
// Run with `make assets` after changing a version; commit the result.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";
rmSync("static/govuk", { recursive: true, force: true });
rmSync("static/moj", { recursive: true, force: true });
rmSync("static/assets", { recursive: true, force: true });
mkdirSync("static/govuk", { recursive: true });
mkdirSync("static/moj", { recursive: true });
mkdirSync("static/vendor", { recursive: true });
for (const file of ["govuk-frontend.min.css", "govuk-frontend.min.js"]) {
  cpSync(`${govuk}/${file}`, `static/govuk/${file}`);
}
// The compiled CSS refers to /assets/fonts and /assets/images.
cpSync(`${govuk}/assets`, "static/assets", { recursive: true });
// MOJ Frontend's styles, for the staff console only (its patterns are ported to
// Jinja in templates/components/moj/; no MOJ JavaScript is used). Its images
// join GOV.UK's under /assets/images, where its CSS looks for them.
cpSync(`${moj}/moj-frontend.min.css`, "static/moj/moj-frontend.min.css");
cpSync(`${moj}/assets/images`, "static/assets/images", { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx.min.js");
console.log("Copied govuk-frontend, MOJ Frontend's styles and htmx.org into static/");
