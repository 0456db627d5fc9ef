"""Reference data shipped with SaferHub: offence classification and unit costs of crime.

Files here are read with `importlib.resources`, so they work from a wheel as well as
from a source checkout. Each file documents its provenance in its own columns.
"""
