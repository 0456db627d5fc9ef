"""Pure domain rules: no Django, no I/O, no clock reads."""
