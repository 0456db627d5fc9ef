"""Board-pack sections rendered to HTML, XLSX and PDF from one result object."""
