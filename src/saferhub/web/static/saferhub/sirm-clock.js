// Counts each SIRM's 24 hours down on the page, so a coordinator sees time running out
// without reloading. The server renders the same text first; this only keeps it current.
function label(ms) {
  const overdue = ms < 0;
  const minutes = Math.floor(Math.abs(ms) / 60000);
  const text = `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
  return overdue ? `Overdue by ${text}` : `${text} left`;
}

function tick() {
  for (const tag of document.querySelectorAll("[data-sirm-due]")) {
    const left = Date.parse(tag.dataset.sirmDue) - Date.now();
    if (Number.isNaN(left)) continue;
    tag.textContent = label(left);
    if (left < 0) {
      tag.classList.remove("govuk-tag--yellow");
      tag.classList.add("govuk-tag--red");
    }
  }
}

tick();
setInterval(tick, 30000);
