// Starts every GOV.UK Frontend component on the page (header, service navigation and its
// menu toggle, buttons, banners, radios and checkboxes with conditional questions …).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { wrapTables } from "./tables.js";

wrapTables();
initAll();
