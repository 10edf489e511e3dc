"""``hostpact bootstrap_demo``: the fixed demo logins ``make run`` prints (development only).

Idempotent: what exists already is left as it is, so running it twice changes nothing.
Everything is created through the platform's own services, like any other sign-up.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.accounts import services as accounts
from hostpact.billing.catalogue import ensure_default_catalogue
from hostpact.panel.services import signup

DEMO_EMAIL = "demo@hostpact.test"
DEMO_PASSWORD = "demo-password-1"
STAFF_EMAIL = "staff@hostpact.test"
STAFF_PASSWORD = "staff-password-1"
TEST_CARD = "4242424242424242"  # the test gateway's always-approved card

DEMO_SIGNUP = {
    "name": "Demo Subscriber",
    "email": DEMO_EMAIL,
    "phone": "+919876500000",
    "line1": "1 Demo Road",
    "line2": "",
    "city": "Pune",
    "region": "Maharashtra",
    "postal_code": "411001",
    "country": "IN",
    "date_of_birth": datetime.date(1990, 1, 1),
    "password": DEMO_PASSWORD,
    "card_number": TEST_CARD,
    "card_exp_month": 12,
    "card_exp_year": 2031,
    "card_cvc": "123",
}


class Command(BaseCommand):
    help = "Create the demo subscriber, the staff superuser and the catalogue (development only)."

    def handle(self, **options):
        if settings.PRODUCTION:
            raise CommandError("bootstrap_demo creates known passwords: refused in production")
        self._catalogue()
        self._subscriber()
        self._staff()

    def _catalogue(self):
        ensure_default_catalogue()
        self.stdout.write("catalogue: ready")

    def _subscriber(self):
        if accounts.email_in_use(DEMO_EMAIL):
            self.stdout.write(f"demo subscriber {DEMO_EMAIL}: exists")
            return
        user = signup(dict(DEMO_SIGNUP)).user
        accounts.confirm_email(accounts.verification_token(user, DEMO_EMAIL))
        self.stdout.write(f"demo subscriber {DEMO_EMAIL}: created ({user.customer_id})")

    def _staff(self):
        if accounts.email_in_use(STAFF_EMAIL):
            self.stdout.write(f"staff user {STAFF_EMAIL}: exists")
            return
        user = accounts.create_staff_user(STAFF_EMAIL, STAFF_PASSWORD, superuser=True)
        self.stdout.write(f"staff user {STAFF_EMAIL}: created ({user.customer_id})")
