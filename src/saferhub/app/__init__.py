"""The application layer: one module per area runs inputs -> compute -> publish -> render.

Views and CLI commands call only this package; `reports/` only renders, `measures/` only
computes, and `rules.disclosure` (applied here, in `publish`) decides what an audience sees.
"""
