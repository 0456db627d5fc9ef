"""Readers that turn extracts into canonical tables, validating at the edge."""
