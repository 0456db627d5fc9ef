"""Publish a computed result for an audience: the one stage where disclosure control runs.

Every format (web page, HTML, XLSX, PDF, JSON) renders the result this module returns,
so the same audience sees the same figures everywhere. The rules themselves (what to
hide, how to mark it) are pure and live in `saferhub.rules.disclosure`; the conventions
are in docs/disclosure.md.

What each audience sees:
- restricted: everything, with any casework list (named or identifying rows);
- partnership: every count, no casework list;
- public: counts of people from 1 to 4 hidden, with whatever would give them away
  (secondary suppression across each published table), and no casework list.

One module per area; this package presents the functions callers use as `publish.<area>`.
"""

from saferhub.app.publish.crime import crime
from saferhub.app.publish.marac import marac
from saferhub.app.publish.needs import needs
from saferhub.app.publish.offenders import iom, reoffending
from saferhub.app.publish.panels import asb, panel
from saferhub.app.publish.partner import partner

__all__ = ["asb", "crime", "iom", "marac", "needs", "panel", "partner", "reoffending"]
