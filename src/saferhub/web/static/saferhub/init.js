// Starts every GOV.UK Frontend component on the page (header, buttons, banners, tabs …).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
