"""Clicks on ``/r/<code>`` and the attribution of a sign-up or an order to the code.

Policy 2.3.2 and 2.3.4: with advertising consent the ``hp_ref`` cookie carries a code (and the
click) for 90 days; without it the code rides along only in the forms of the same visit (the
hidden field ``ref``). Attribution uses the cookie when advertising is granted and the cookie
is valid, else the field: never both. A subscriber is attributed once, never to their own code.
"""

import logging

from django.db import transaction

from hostpact.consent import state as consent_state
from hostpact.core import audit, clock
from hostpact.privacy.cookies import ADVERTISING
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.referrals import links
from hostpact.referrals.banners import banner
from hostpact.referrals.models import UTM_FIELDS, Attribution, Click, ReferralCode

log = logging.getLogger(__name__)


def active_code(value) -> ReferralCode | None:
    """Return the active code ``value`` names (any case), or None for an unknown or malformed
    one, or one whose affiliate is no longer active."""
    code = links.clean_code(value)
    if code is None:
        return None
    found = ReferralCode.objects.select_related("affiliate").filter(code=code,
                                                                    active=True).first()
    if found is None or (found.affiliate is not None and not found.affiliate.active):
        return None
    return found


def advertising_allowed(request) -> bool:
    """True when the visitor granted advertising cookies (no consent state: nothing granted)."""
    return consent_state.of(request).allows(ADVERTISING)


@transaction.atomic
def record_click(code: ReferralCode, params) -> Click:
    """Record a click on ``code`` with the valid banner and campaign parameters of ``params``."""
    item = banner(params.get("b"))
    click = Click.objects.create(code=code, at=clock.now(), banner=item.slug if item else "",
                                 **links.campaign_of(params))
    audit.record("visitor", "referrals.click", None, [], f"click:{click.pk}")
    return click


def carried(request) -> tuple[links.Carried | None, str]:
    """Return the code the request carries and how (``Attribution.Via``): the cookie when
    advertising is granted and the cookie is valid, else the same-visit field."""
    if advertising_allowed(request):
        found = links.read_cookie(request.COOKIES.get(links.COOKIE))
        if found is not None:
            return found, Attribution.Via.COOKIE
    raw = request.POST.get(links.FIELD) or request.GET.get(links.FIELD)
    code = links.clean_code(raw)
    return (links.Carried(code), Attribution.Via.VISIT) if code else (None, "")


def _own(code: ReferralCode, user) -> bool:
    if code.user_id is not None:
        return code.user_id == user.pk
    return code.affiliate.contact_user_id == user.pk


@transaction.atomic
def attribute(user, request, *, event: str) -> Attribution | None:
    """Attribute ``user``'s ``event`` (sign-up or order) to the code ``request`` carries;
    return the attribution, or None when there is no valid code, the user was attributed
    already, or the code is their own (self-referral)."""
    found, via = carried(request)
    if found is None or user is None or not user.is_authenticated or user.is_staff:
        return None
    code = active_code(found.code)
    if code is None or _own(code, user):
        return None
    try:
        lock_subject_for_write(user.subject_id)
    except SubjectErased:  # an account closing: nothing to credit, and no reason to fail
        return None
    if Attribution.objects.filter(user=user).exists():
        return None
    click = None
    if found.click_id is not None:
        click = Click.objects.filter(pk=found.click_id, code=code).first()
    if click is not None:
        campaign = {name: getattr(click, name) for name in UTM_FIELDS}
        item = click.banner
    else:
        campaign = links.campaign_of(request.POST)
        chosen = banner(request.POST.get("ref_banner"))
        item = chosen.slug if chosen else ""
    row = Attribution.objects.create(user=user, subject_id=user.subject_id, code=code,
                                     click=click, via=via, event=event, banner=item,
                                     at=clock.now(), **campaign)
    audit.record(audit.actor_of(user), "referrals.attribute", user.subject_id,
                 ["code", "via", "event", "banner", *UTM_FIELDS], f"attribution:{row.pk}")
    log.info("attribution %s by %s", row.pk, via)
    return row


def attribute_signup(user, request) -> Attribution | None:
    """Attribute ``user``'s sign-up (the panel's and the checkout's) to the code carried."""
    return attribute(user, request, event=Attribution.Event.SIGNUP)


def attribute_order(user, request) -> Attribution | None:
    """Attribute an existing subscriber's order to the code carried, when they have none."""
    return attribute(user, request, event=Attribution.Event.ORDER)
