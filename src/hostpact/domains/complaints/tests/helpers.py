"""Test data of the privacy complaints: a private domain and a complaint about it."""

import datetime

from hostpact.domains.complaints import services
from hostpact.domains.tests.helpers import register

# Monday 2 March 2026, 10:00 in India. Ten business days later is Tuesday 17 March: two
# weekends and Holi (Wednesday 4 March) do not count.
FILED = datetime.datetime(2026, 3, 2, 4, 30, tzinfo=datetime.UTC)
DUE = datetime.date(2026, 3, 17)


def at(day: datetime.date, hour_utc: int = 6) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour_utc, tzinfo=datetime.UTC)


def private_domain(user, name=None):
    return register(user, name, privacy=True)


def complainant(**overrides) -> dict:
    data = {"name": "Meera Rightsholder", "organization": "Brand Owner Pvt Ltd",
            "email": "legal@brand-owner.example", "phone": "+91 22 5555 0101",
            "address": "7 Example Lane, Mumbai 400001", "grounds":
            "The site at this domain sells counterfeit goods under our registered mark.",
            "reference": "TM-2024-0042"}
    data.update(overrides)
    return data


def file(domain, **overrides):
    return services.file_complaint(domain=domain.name, **complainant(**overrides))
