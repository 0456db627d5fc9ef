"""Sessions kept in the database, as Django keeps them, but read with a prepared read.

Every page reads the session before anything else, so the read is built once
(`saferhub.web.prepared`) rather than on every request. It asks for the session by key
alone and checks the expiry here: the same answer as Django's own store, which asks the
database to compare the expiry with the time.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from saferhub.web.prepared import Prepared

SESSION = Prepared(
    lambda session_key: Session.objects.filter(session_key=session_key), [("session_key", str)]
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = SESSION.first(session_key=self.session_key) if self.session_key else None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
