"""``hostpact bootstrap_demo``: the fixed demo logins ``make run`` prints (development only).

Idempotent: what exists already is left as it is, so running it twice changes nothing.
Everything is created through the platform's own services, like any other sign-up: the demo
subscriber's domains are registered with ``register_domain`` (the subscriber's own details as
every contact, unpublished, its email confirmed like the subscriber's). One more domain,
``TRANSFER_DOMAIN``, is held at the built-in registry by another registrar with a known auth
code, so a person can try a transfer in.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.accounts import services as accounts
from hostpact.accounts.models import User
from hostpact.billing.catalogue import ensure_default_catalogue
from hostpact.community import seeding as community
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains.models import Domain
from hostpact.domains.registry import ContactData, Host
from hostpact.domains.registry.builtin import BuiltinRegistry
from hostpact.domains.services.changes import auth_code_hash
from hostpact.domains.services.contacts import ROLES
from hostpact.domains.services.registration import register_domain
from hostpact.domains.services.verification import verification_token, verify_contact_email
from hostpact.panel.services import signup
from hostpact.referrals import seeding as referrals
from hostpact.resellers import seeding as resellers

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
# name -> domain privacy on?
DEMO_DOMAINS = {"demo-hostpact.test": False, "private-demo.test": True}
DEMO_NAMESERVERS = ["ns1.hostpact.test", "ns2.hostpact.test"]
TRANSFER_DOMAIN = "transfer-demo.test"
TRANSFER_AUTH_CODE = "Demo-Transfer-2026"
OTHER_REGISTRAR = "other-registrar"
CONTACT_KEYS = ("name", "email", "phone", "line1", "line2", "city", "region", "postal_code",
                "country")


class Command(BaseCommand):
    help = "Create the demo subscriber, the staff superuser and the catalogue (development only)."

    def handle(self, **options):
        if settings.PRODUCTION:
            raise CommandError("bootstrap_demo creates known passwords: refused in production")
        self._catalogue()
        self._subscriber()
        self._domains()
        self._held_elsewhere()
        self._referrals()
        self._staff()
        self._community()
        for line in resellers.ensure_demo_reseller():
            self.stdout.write(line)

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

    def _domains(self):
        user = User.objects.get_by_natural_key(DEMO_EMAIL)
        contact = None
        for name, privacy in DEMO_DOMAINS.items():
            domain = Domain.objects.filter(name=name).first()
            if domain is None:
                details = {k: DEMO_SIGNUP[k] for k in CONTACT_KEYS}
                role = contact.handle if contact else details
                domain = register_domain(user, name, years=1, nameservers=DEMO_NAMESERVERS,
                                         contacts=dict.fromkeys(ROLES, role),
                                         privacy=privacy, actor="system:bootstrap_demo")
                self.stdout.write(f"demo domain {name}: registered")
            else:
                self.stdout.write(f"demo domain {name}: exists")
            contact = contact or domain.roles.get(role="registrant").contact
        if contact.email_verified_at is None:
            verify_contact_email(verification_token(contact))

    def _held_elsewhere(self):
        registry = BuiltinRegistry(OTHER_REGISTRAR)
        if not registry.check([TRANSFER_DOMAIN])[TRANSFER_DOMAIN]:
            self.stdout.write(f"domain {TRANSFER_DOMAIN} at another registrar: exists")
            return
        contact = ContactData("OTHER-DEMO-1", create_subject(Subject.Kind.CONTACT).pk,
                              {"name": "Elsewhere Holder", "email": "holder@elsewhere.test"})
        registry.create(TRANSFER_DOMAIN, years=1, nameservers=[Host(h) for h in DEMO_NAMESERVERS],
                        contacts=dict.fromkeys(ROLES, contact),
                        auth_code_hash=auth_code_hash(TRANSFER_DOMAIN, TRANSFER_AUTH_CODE))
        self.stdout.write(f"domain {TRANSFER_DOMAIN} at another registrar: created")

    def _referrals(self):
        referrals.ensure_default_rules()
        code = referrals.ensure_demo_code(User.objects.get_by_natural_key(DEMO_EMAIL))
        self.stdout.write(f"demo referral code: {code} (banner rewards)")

    def _staff(self):
        if accounts.email_in_use(STAFF_EMAIL):
            self.stdout.write(f"staff user {STAFF_EMAIL}: exists")
            return
        user = accounts.create_staff_user(STAFF_EMAIL, STAFF_PASSWORD, superuser=True)
        self.stdout.write(f"staff user {STAFF_EMAIL}: created ({user.customer_id})")

    def _community(self):
        created = community.ensure_demo_forum(User.objects.get_by_natural_key(STAFF_EMAIL),
                                              User.objects.get_by_natural_key(DEMO_EMAIL))
        self.stdout.write(f"community forum: {'created' if created else 'exists'}")
