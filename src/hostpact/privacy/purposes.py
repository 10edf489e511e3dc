"""Purpose limitation (C17): a subject's data is used only for what the data map declares.

The policy (3.1) limits contact and account data to billing, account management and promoting
our own products. Code that is about to use data for a purpose asks ``check_use`` first; the
mail outbox does so for every message (``check_mail``), so a promotion cannot go to someone who
opted out, nor contact data be used for a purpose no field declares, whatever the caller.
"""

from functools import lru_cache

from hostpact.privacy import registry, taxonomy

# The purpose each kind of outgoing mail serves. Policy notices are service notifications:
# telling subscribers how their data will be used is part of running their account, and no
# opt-out may stop it (C36 needs the notice to reach them).
MAIL_PURPOSES = {
    "transactional": "essential.service.notifications.email",
    "security": "essential.service.notifications.email",
    "billing": "essential.service.notifications.email",
    "support": "essential.service.notifications.email",
    "inquiry": "essential.service.notifications.email",
    "policy_notice": "essential.service.notifications.email",
    "promotions": "marketing.communications.email.promotions",
}
MAIL_CATEGORY = "user.contact.email"


class PurposeNotAllowed(Exception):
    """The subject's data may not be used for this purpose; nothing was done."""

    def __init__(self, category: str, purpose: str, reason: str):
        self.category, self.purpose, self.reason = category, purpose, reason
        super().__init__(f"{category} may not be used for {purpose}: {reason}")


@lru_cache(maxsize=512)
def declared(category: str, purpose: str) -> bool:
    """True if some personal field of ``category`` (or a narrower one) lists ``purpose`` or a
    broader purpose containing it. The data map is fixed once apps are loaded, hence the cache."""
    for entry in registry.entries():
        for decl in entry.personal_fields().values():
            if taxonomy.within(decl.category, category) and any(
                    taxonomy.within(purpose, p) for p in decl.purposes):
                return True
    return False


def check_use(subject_id, category: str, purpose: str) -> None:
    """Raise ``PurposeNotAllowed`` unless ``subject_id``'s ``category`` data may serve ``purpose``.

    Allowed when the data map declares the purpose for the category (see ``declared``) and
    ``privacy.allowed(subject, purpose)`` holds (no opt-out, not a use of a version not yet in
    force).
    """
    taxonomy.check("data_category", category)
    taxonomy.check("data_use", purpose)
    if not declared(category, purpose):
        raise PurposeNotAllowed(category, purpose, "the data map declares no such use")
    from hostpact.privacy.policy.services import allowed

    if not allowed(subject_id, purpose):
        raise PurposeNotAllowed(category, purpose, "the subject opted out, or the use is "
                                                   "not in force yet")


def register_mail_category(key: str, purpose: str) -> None:
    """Let outbox messages of category ``key`` serve ``purpose`` (an app's mail lists)."""
    taxonomy.check("data_use", purpose)
    known = MAIL_PURPOSES.get(key)
    if known is not None and known != purpose:
        raise ValueError(f"mail category {key!r} already serves {known!r}")
    MAIL_PURPOSES[key] = purpose


def mail_purpose(category: str) -> str:
    """The data use an outbox ``category`` stands for; an unknown category is refused."""
    try:
        return MAIL_PURPOSES[category]
    except KeyError:
        raise PurposeNotAllowed(MAIL_CATEGORY, category, "unknown mail category (an app "
                                "registers it with register_mail_category)") from None


def check_mail(subject_id, category: str) -> str:
    """Check that mail of ``category`` may go to ``subject_id``'s address; return the purpose."""
    purpose = mail_purpose(category)
    check_use(subject_id, MAIL_CATEGORY, purpose)
    return purpose
