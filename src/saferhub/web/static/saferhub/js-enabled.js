// Runs before the page paints, so GOV.UK Frontend styles for JavaScript apply without a flash.
// A file rather than an inline script: the Content-Security-Policy allows no inline script.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
