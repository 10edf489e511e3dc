"""What the spine knows of the consent app: its cookies and the fields of its ledger.

Django's own cookies (session, CSRF, messages) are declared here too, because this app is the
one that enforces the registry on every response.
"""

from django.conf import settings

from hostpact.consent import social
from hostpact.consent.models import ConsentRecord
from hostpact.consent.state import COOKIE
from hostpact.privacy import registry, subject_data
from hostpact.privacy.cookies import REQUIRED, declare_cookie
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_YEAR = 365 * 86400

declare_cookie(settings.SESSION_COOKIE_NAME, category=REQUIRED, max_age=settings.SESSION_COOKIE_AGE,
               purpose="Keeps you signed in and holds your cart between pages.")
declare_cookie(settings.CSRF_COOKIE_NAME, category=REQUIRED, max_age=settings.CSRF_COOKIE_AGE,
               purpose="Protects forms against cross-site request forgery.")
declare_cookie("messages", category=REQUIRED, max_age=None,
               purpose="Carries a one-time notice (\"Your choice was saved\") to the next page.")
declare_cookie(COOKIE, category=REQUIRED, max_age=_YEAR,
               purpose="Remembers your cookie choice (signed: categories, policy version, "
                       "banner revision, a random consent id and the time).")

_receipt = "part of an anonymous consent receipt; personal only through its link"
declare(
    ConsentRecord,
    id=not_personal(),
    consent_id=not_personal("a random id, also in the visitor's hp_consent cookie"),
    # Erasure anonymises the link (it becomes empty): the receipts stay as anonymous evidence
    # of the consent given, and nothing ties them to the erased person any more.
    subject=personal("user.privacy_preferences", purposes=("essential.legal_obligation",),
                     erasure=Erasure.ANONYMISE, label="Cookie choice"),
    granted=not_personal(_receipt), refused=not_personal(_receipt),
    method=not_personal(_receipt), policy_version=not_personal(_receipt),
    banner_revision=not_personal(_receipt), banner_sha256=not_personal(_receipt),
    at=not_personal(_receipt),
)
registry.section(ConsentRecord, "Cookie choices", order=900)
# The social widgets' providers set cookies of their own, on their sites, once loaded.
social.declare_cookies()


@subject_data.presenter(ConsentRecord, "subject", exported=True)
def _show_receipt(row, value) -> str:
    """The receipt in words: when, how, what was granted and refused, under which version."""
    refused = ", ".join(row.refused) or "nothing"
    granted = ", ".join(row.granted) or "nothing"  # an email-measurement refusal grants none
    return (f"{row.at:%Y-%m-%d %H:%M} UTC, {row.get_method_display()}: granted "
            f"{granted}; refused {refused} (policy version {row.policy_version}, "
            f"banner revision {row.banner_revision}, consent id {row.consent_id})")
