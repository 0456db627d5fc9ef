"""The probation caseload needs analysis in the web app (/needs/)."""
