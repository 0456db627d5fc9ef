// Wraps each table not already wrapped in a focusable, labelled region that scrolls
// sideways by itself, so a wide table never widens the page (WCAG 1.4.10 reflow).
// Report sections are rendered as HTML fragments without the wrapper; this adds it.
export function wrapTables(root = document) {
  root.querySelectorAll("main table").forEach((table, index) => {
    if (table.parentElement.classList.contains("app-table-scroll")) return;
    const region = document.createElement("div");
    region.className = "app-table-scroll";
    region.tabIndex = 0;
    region.setAttribute("role", "region");
    const caption = table.querySelector("caption");
    const label = caption ? caption.textContent.trim() : "";
    region.setAttribute("aria-label", label || `Table ${index + 1}`);
    table.parentNode.insertBefore(region, table);
    region.appendChild(table);
  });
}
