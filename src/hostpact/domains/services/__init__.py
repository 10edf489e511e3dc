"""Domain actions. Each runs in a transaction, locks its subscriber first, writes its audit event.

One module per noun: ``availability``, ``nameservers``, ``contacts``, ``registration`` and
``changes`` (of a registered domain), ``holds`` (clientHold and its reasons). Older callers
import from here; new code imports from the module that holds the action.
"""

from hostpact.domains.services.availability import Availability, check_availability
from hostpact.domains.services.changes import (
    auth_code_hash,
    auth_code_matches,
    new_auth_code,
    renew_domain,
    set_auto_renew,
    set_nameservers,
    set_privacy,
    set_transfer_lock,
)
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import ROLES, contact_data, create_contact
from hostpact.domains.services.holds import add_hold, remove_hold
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.domains.services.registration import register_domain

__all__ = [
    "ROLES", "Availability", "DomainError", "add_hold", "auth_code_hash", "auth_code_matches",
    "check_availability", "clean_nameservers", "contact_data", "create_contact",
    "new_auth_code", "register_domain", "remove_hold", "renew_domain", "set_auto_renew",
    "set_nameservers", "set_privacy", "set_transfer_lock",
]
