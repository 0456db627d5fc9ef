"""Integrated Offender Management: the cohort, tiers, contacts, pathways and its board section."""
