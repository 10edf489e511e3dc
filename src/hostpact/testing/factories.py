"""Build test data with the platform's own services (never bare ``.save()``)."""

import datetime
import itertools

from hostpact.accounts import services as accounts
from hostpact.panel.services import signup

_seq = itertools.count(1)

TEST_CARD = "4242424242424242"


def signup_data(**overrides) -> dict:
    """Cleaned sign-up data for a synthetic adult subscriber."""
    n = next(_seq)
    data = {
        "name": f"Asha Test{n}",
        "email": f"subscriber{n}@example.test",
        "phone": f"+9198765{n:05d}"[-13:],
        "line1": f"{n} Lake Road",
        "line2": "",
        "city": "Pune",
        "region": "Maharashtra",
        "postal_code": "411001",
        "country": "IN",
        "date_of_birth": datetime.date(1990, 1, 1),
        "password": "correct-horse-battery-1",
        "card_number": TEST_CARD,
        "card_exp_month": 12,
        "card_exp_year": 2031,
        "card_cvc": "123",
    }
    data.update(overrides)
    return data


def make_subscriber(**overrides):
    """Sign up a subscriber through the real sign-up service and return the user."""
    return signup(signup_data(**overrides)).user


def make_staff(email=None, groups=(), password="staff-password-1", superuser=False):
    return accounts.create_staff_user(email or f"staff{next(_seq)}@hostpact.test", password,
                                      groups=groups, superuser=superuser)
