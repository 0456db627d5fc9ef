// Builds SaferHub's front-end assets from the registry packages installed by `npm ci`:
// compiles the unbranded GOV.UK Frontend stylesheet and copies the components' script.
// Output goes to src/saferhub/web/static/vendor/, which git ignores.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "src", "saferhub", "web", "static", "vendor");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });
const result = sass.compile(join(root, "src", "saferhub", "web", "assets", "saferhub.scss"), {
  loadPaths: [join(root, "node_modules", "govuk-frontend", "dist")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "saferhub.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// No GOV.UK images are copied: the crest and icons are the brand (the stylesheet's
// image-url function refers to none of them).
console.log(`Built ${join("src", "saferhub", "web", "static", "vendor")}`);
