"""The `saferhub` command line. Thin: each command gathers options and calls one service.

The commands live in `saferhub.commands`, one module each; this module only exposes the
Typer app as the console script's entry point.
"""

from saferhub.commands import app, main

__all__ = ["app", "main"]

if __name__ == "__main__":  # pragma: no cover
    main()
