"""Django's database session store, with the per-request read compiled once.

Every logged-in request loads its session row; the ORM's query building costs several times the
read itself, so this store runs the same query through ``core.prepared``. Writes, expiry and
everything else are Django's. ``SESSION_ENGINE`` points here.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from hostpact.core.prepared import Prepared

LIVE_SESSION = Prepared(lambda p: Session.objects.filter(
    session_key=p("key", Session._meta.get_field("session_key")),
    expire_date__gt=p("now", Session._meta.get_field("expire_date"))))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The unexpired row of this key, or None (and no key), as Django's store answers."""
        found = LIVE_SESSION.first(key=self.session_key, now=timezone.now(),
                                   using=self.model.objects.db)
        if found is None:
            self._session_key = None
        return found
