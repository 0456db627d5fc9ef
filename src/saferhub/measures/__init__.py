"""Measures: Ibis expressions, one module per area. One definition per published number."""
