"""Which version of a statistics page to show: the partnership's or the public one.

Statistics pages take `?audience=public` to show the version for publication, with
small counts hidden (docs/disclosure.md). Casework lists are never on these pages, so
the choice is between the two aggregate versions; anything else falls back to the
partnership version rather than failing.
"""

from __future__ import annotations

from django.http import HttpRequest

from saferhub.rules.disclosure import Audience

PAGE_AUDIENCES = (Audience.PARTNERSHIP, Audience.PUBLIC)


def board_audience(request: HttpRequest) -> Audience:
    """The audience the page was asked for (partnership unless `audience=public`)."""
    asked = request.GET.get("audience", "")
    return Audience.PUBLIC if asked == Audience.PUBLIC.value else Audience.PARTNERSHIP
