"""``Authorization: Bearer hpr_…``: the reseller API's authentication, one scope per operation.

A key is found by the SHA-256 of what was sent. An unknown key is 401; a known one that is
revoked, expired, lacks the operation's scope, is used from outside its address ranges, or
(for an operation that sells) belongs to a reseller that may not sell now is 403, with the
reason in ``detail`` and a ``code``. Every call naming a known key is logged with its answer:
refusals here, the others by ``log_call`` once the answer is known (from the middleware).
Subscriber tokens are not keys (their hashes live elsewhere), and keys are not tokens.
"""

import json

from ninja.security import HttpBearer

from hostpact.core.http import client_ip
from hostpact.core.problems import PROBLEM_TYPE, Problem
from hostpact.resellers.models import ApiKey
from hostpact.resellers.services import keys
from hostpact.resellers.services.resellers import selling_refusal

UNKNOWN = Problem(401, "Not authenticated", "This is not a valid reseller API key (send "
                  "Authorization: Bearer hpr_…).", code="invalid_key")


def key_for(secret: str) -> ApiKey | None:
    """Return the key whose secret is ``secret`` (any state), or None."""
    if not secret or len(secret) > 120 or not secret.startswith(keys.PREFIX):
        return None
    return (ApiKey.objects.select_related("reseller", "reseller__recipient")
            .filter(secret_hash=keys.secret_hash(secret)).first())


class ResellerKey(HttpBearer):
    """A reseller key with ``scope`` (None: any valid key); ``sells``: the operation sells
    (refused while the reseller may not)."""

    def __init__(self, scope: str, *, sells: bool = False):
        super().__init__()
        if scope is not None and scope not in ApiKey.SCOPES:
            raise ValueError(f"unknown scope {scope}")
        self.scope, self.sells = scope, sells

    def authenticate(self, request, token):
        key = key_for(token)
        if key is None:
            raise UNKNOWN
        code, reason = keys.refusal(key, self.scope, client_ip(request))
        if not code and self.sells:
            reason = selling_refusal(key.reseller)
            code = "may_not_sell" if reason else ""
        if code:
            keys.log_use(key, method=request.method, path=request.path, status=403,
                         reason=reason, client_ip=client_ip(request))
            raise Problem(403, "Key refused", reason, code=code)
        request.reseller_key = key
        return key


def log_call(request, response) -> None:
    """Log a call a key was let through, with its answer (and the problem's detail)."""
    key = getattr(request, "reseller_key", None)
    if key is None:
        return
    reason = ""
    if response.status_code >= 400 and response.get("Content-Type", "") == PROBLEM_TYPE:
        try:
            reason = str(json.loads(response.content).get("detail", ""))
        except ValueError:
            reason = ""
    keys.log_use(key, method=request.method, path=request.path, status=response.status_code,
                 reason=reason, client_ip=client_ip(request))
