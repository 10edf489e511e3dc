"""The controller of a reseller's customers' data, as the privacy layer asks for it.

Policy 10.1: a reseller's customers are sent to the reseller's data controller. The privacy
layer knows no reseller, so this resolver (registered from ``ResellersConfig.ready``) turns a
realm into the reseller's published controller contact. Rights pages ask on every request, so
the answer comes from an in-process map of every reseller, built in one query and rebuilt when
older than ``RESELLER_HOSTS_TTL`` seconds or when this process changed a reseller
(``forget``), as the host map is.
"""

import time

from django.conf import settings
from django.urls import reverse

from hostpact.privacy.controllers import Controller

_cache: dict = {"at": 0.0, "map": {}}


def _build() -> dict[int, Controller]:
    from hostpact.resellers.models import Reseller

    forward_url, choice_url = reverse("resellers:forward"), reverse("resellers:stop_contact")
    rows = Reseller.objects.only("name", "controller_name", "controller_email",
                                 "controller_address", "realm_id", "policy_additions")
    return {r.realm_id: Controller(name=r.name, contact_name=r.controller_name,
                                   email=r.controller_email, address=r.controller_address,
                                   realm_id=r.realm_id, forward_url=forward_url,
                                   policy_additions=r.policy_additions, choice_url=choice_url)
            for r in rows}


def controller_of_realm(realm_id: int) -> Controller | None:
    """Return the controller of ``realm_id``'s customers' data (None: no reseller's realm)."""
    now = time.monotonic()
    if now - _cache["at"] > settings.RESELLER_HOSTS_TTL or realm_id not in _cache["map"]:
        _cache["map"], _cache["at"] = _build(), now
    return _cache["map"].get(realm_id)


def forget() -> None:
    """Drop the map, so the next question reads the resellers again."""
    _cache["at"] = 0.0
