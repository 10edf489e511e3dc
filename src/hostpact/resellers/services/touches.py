"""Record each time a reseller's user or key reads or writes its customers' data.

The reseller is a recipient of the platform's disclosures gate: every page of its panel and
every call of its API that carries a customer's data goes through ``privacy.disclose()`` first,
so "Who received my data" lists the reseller, and which of its keys or users it was (the
disclosure's reference, written at the time, so a later rename does not rewrite history).
"""

from hostpact.privacy.disclosures.services import disclose
from hostpact.resellers.models import ApiKey, Membership, Reseller

CONTACT = ["user.name", "user.contact"]
ACCOUNT = ["user.name", "user.contact", "user.account"]


def describe(reseller: Reseller, actor: str) -> str:
    """Return how the subject's view names ``actor``: the key (id and name) or the reseller
    user's role, never the user's name."""
    kind, _, ref = actor.partition(":")
    if kind == "reseller-key":
        key = ApiKey.objects.filter(reseller=reseller, key_id=ref).only("name").first()
        return f"API key {ref}" + (f" ({key.name})" if key else "")
    if kind == "reseller-user" and ref.isdigit():
        member = Membership.objects.filter(reseller=reseller, user_id=int(ref)).first()
        role = member.get_role_display().lower() if member else "former"
        return f"a {role} user of the reseller's panel"
    return ""


def record_touch(reseller: Reseller, subject_ids, categories, *, actor: str,
                 purpose: str = "essential.service"):
    """Disclose ``categories`` of ``subject_ids`` to ``reseller`` (one disclosure for all of
    them) and return it, or None when there is no subject. Raises ``DisclosureRefused`` (and
    the gate records the refusal) when the reseller may not have it: show nothing then."""
    ids = [s for s in subject_ids if s is not None]
    if not ids:
        return None
    return disclose(reseller.recipient, ids, categories, purpose, "", actor=actor,
                    reference=describe(reseller, actor)[:120])
