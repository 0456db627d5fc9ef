"""The crime performance dashboard in the web app (docs/measures/crime.md)."""
