"""SaferHub: a partnership information system for Community Safety Partnerships."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("saferhub")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
