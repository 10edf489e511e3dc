"""The demo reseller ``make run`` prints: "Demo Reseller" on ``reseller.hostpact.test``, its owner
``reseller@hostpact.test`` (an account of ours) and one customer of its own.

Idempotent, and built with the app's own services like any other reseller. The customer has the
demo subscriber's address on purpose: on the reseller's host it is a separate account.
"""

import datetime

from hostpact.accounts import services as accounts
from hostpact.core import realms
from hostpact.resellers.models import Membership, Reseller
from hostpact.resellers.services.members import add_member
from hostpact.resellers.services.resellers import create_reseller

NAME = "Demo Reseller"
HOST = "reseller.hostpact.test"
OWNER_EMAIL = "reseller@hostpact.test"
OWNER_PASSWORD = "reseller-password-1"
CUSTOMER_EMAIL = "demo@hostpact.test"
CUSTOMER_PASSWORD = "demo-customer-password-1"

_PERSON = {"phone": "+919876500001", "line1": "2 Market Street", "line2": "",
           "city": "Bengaluru", "region": "Karnataka", "postal_code": "560001",
           "country": "IN", "date_of_birth": datetime.date(1985, 5, 5)}


def ensure_demo_reseller(actor: str = "system:bootstrap_demo") -> list[str]:
    """Create what is missing of the demo reseller; return one line per part, for the log."""
    out = []
    reseller = Reseller.objects.filter(name=NAME).first()
    if reseller is None:
        reseller = create_reseller(
            name=NAME, host=HOST, country="IN", actor=actor, approve=True,
            controller_name="Priya Demo, data protection officer",
            controller_email="privacy@reseller.hostpact.test",
            controller_address="Demo Reseller Pvt Ltd, 2 Market Street, Bengaluru 560001, India",
            brand_name="Demo Reseller Hosting", support_email="help@reseller.hostpact.test")
        out.append(f"demo reseller {NAME} on {HOST}: created")
    else:
        out.append(f"demo reseller {NAME} on {HOST}: exists")
    if not accounts.email_in_use(OWNER_EMAIL, None):
        owner = accounts.create_subscriber({"name": "Reseller Owner", "email": OWNER_EMAIL,
                                            "password": OWNER_PASSWORD, **_PERSON}, None)
        accounts.confirm_email(accounts.verification_token(owner, OWNER_EMAIL))
        add_member(reseller, owner, Membership.Role.OWNER, actor=actor)
        out.append(f"reseller user {OWNER_EMAIL}: created (owner of {NAME})")
    else:
        out.append(f"reseller user {OWNER_EMAIL}: exists")
    if not accounts.email_in_use(CUSTOMER_EMAIL, reseller.realm_id):
        with realms.using(reseller.realm_id):
            customer = accounts.create_subscriber({
                "name": "Demo Customer", "email": CUSTOMER_EMAIL, "password": CUSTOMER_PASSWORD,
                **_PERSON, "phone": "+919876500002"})
            accounts.confirm_email(accounts.verification_token(customer, CUSTOMER_EMAIL))
        out.append(f"customer {CUSTOMER_EMAIL} of {NAME}: created (on {HOST} only)")
    else:
        out.append(f"customer {CUSTOMER_EMAIL} of {NAME}: exists")
    return out
