"""Affiliates and campaigns: commissions with maturity and clawback, payouts as a ledger, and
a report of aggregates only, cells under 10 suppressed, never a name."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest

from hostpact.billing import services as billing
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.referrals import queries, services
from hostpact.referrals.models import Affiliate, Commission, Earning, Payout
from hostpact.referrals.tests.helpers import ACTOR, NOW, post
from hostpact.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C10")]

JUNE, JULY, AUGUST = NOW, NOW + timedelta(days=31), NOW + timedelta(days=62)


def _affiliate(contact=None, percent="20"):
    with clock.freeze(NOW):
        affiliate = services.create_affiliate(
            name="Example Partner Media", kind=Affiliate.Kind.EXTERNAL,
            agreement_reference="AFF-2026-01", agreement_from=datetime.date(2026, 1, 1),
            contact_user=contact, actor=ACTOR)
        code = services.create_affiliate_code(affiliate, code="partner1", actor=ACTOR)
    services.set_commission_rule(affiliate, percent=Decimal(percent), actor=ACTOR)
    return affiliate, code


def _customer(code, at, campaign="", pay=True):
    user = factories.make_subscriber()
    data = {"ref": code.code, **({"utm_campaign": campaign} if campaign else {})}
    with clock.freeze(at):
        services.attribute_signup(user, post("/signup/", data))
        if pay:
            placed = billing.place_order(user, price(), "system")
            billing.pay_invoice(placed.invoice, "system")
            return placed
    return None


def test_a_commission_matures_and_payouts_are_a_ledger_bounded_by_the_balance():
    """A referred customer's paid order earns the affiliate its percentage, pending until
    maturity; the balance is matured commissions minus payouts, and no payout exceeds it."""
    affiliate, code = _affiliate()
    placed = _customer(code, NOW)
    commission = Commission.objects.get()
    assert commission.amount == (placed.order.subtotal / 5).quantize(Decimal("0.01"))
    assert services.affiliate_balance(affiliate) == 0
    with pytest.raises(services.ReferralError) as refused:
        services.record_payout(affiliate, amount="1.00", reference="NEFT-1",
                               paid_on=datetime.date(2026, 6, 2), actor=ACTOR)
    assert refused.value.field == "amount" and not Payout.objects.exists()
    with clock.freeze(NOW + timedelta(days=30)):
        services.mature_earnings()
    assert services.affiliate_balance(affiliate) == commission.amount
    services.record_payout(affiliate, amount=commission.amount, reference="NEFT-2",
                           paid_on=datetime.date(2026, 7, 2), actor=ACTOR)
    assert services.affiliate_balance(affiliate) == 0
    assert list(Payout.objects.values_list("reference", flat=True)) == ["NEFT-2"]


def test_a_refund_within_the_maturity_claws_the_commission_back():
    """A refunded order's pending commission is clawed back and never counts."""
    affiliate, code = _affiliate()
    placed = _customer(code, NOW)
    with clock.freeze(NOW + timedelta(days=2)):
        billing.refund_order(placed.order, actor="system", reason="Staff's decision.")
        assert Commission.objects.get().state == Earning.State.CLAWED_BACK
    with clock.freeze(NOW + timedelta(days=31)):
        services.mature_earnings()
    assert services.affiliate_balance(affiliate) == 0


def test_the_report_suppresses_cells_under_ten_and_names_no_one(client):
    """Per month and per campaign, a count under 10 is suppressed, with a complementary cell
    so it cannot be worked out from the total; a commission behind a suppressed count is
    suppressed too, and the affiliate's page shows no customer's name or email."""
    contact = factories.make_subscriber()
    affiliate, code = _affiliate(contact)
    customers = [_customer(code, JUNE, "spring") for _ in range(12)]
    customers += [_customer(code, JULY, "spring") for _ in range(11)]
    customers += [_customer(code, AUGUST, "autumn") for _ in range(3)]
    monthly = {row.label: row for row in queries.monthly_report(affiliate).rows}
    assert monthly["2026-06"].signups == 12 and monthly["2026-06"].paying == 12
    assert monthly["2026-06"].commission == sum(
        c.amount for c in Commission.objects.filter(earned_at__lt=JULY))
    # August (3) is under 10; July (11), the next smallest, goes with it.
    assert monthly["2026-08"].signups is None and monthly["2026-07"].signups is None
    assert monthly["2026-08"].commission is None
    report = queries.campaign_report(affiliate)
    campaigns = {row.label: row for row in report.rows}
    # Two campaigns, one under 10: both hidden, as the total (26, shown) would reveal it.
    assert campaigns["spring"].paying is None and campaigns["autumn"].paying is None
    assert report.totals.paying == 26
    client.force_login(contact)
    page = client.get("/panel/affiliate/")
    assert page.status_code == 200 and b"suppressed" in page.content
    for placed in customers[:5]:
        placed.order.user.profile.refresh_from_db()
        assert placed.order.user.email.encode() not in page.content
        assert placed.order.user.profile.name.encode() not in page.content


def test_only_the_affiliates_contact_sees_its_report(client):
    """A logged-in user who is no affiliate's contact gets 404 at the affiliate page."""
    _affiliate(factories.make_subscriber())
    client.force_login(factories.make_subscriber())
    assert client.get("/panel/affiliate/").status_code == 404


def test_bad_affiliate_input_is_refused_with_its_field():
    """A code of the wrong shape, a taken code or an agreement ending before it begins is
    refused naming the field, and nothing is written."""
    affiliate, _ = _affiliate()
    for kwargs, field in [({"code": "no!"}, "code"), ({"code": "PARTNER1"}, "code")]:
        with pytest.raises(services.ReferralError) as refused:
            services.create_affiliate_code(affiliate, actor=ACTOR, **kwargs)
        assert refused.value.field == field
    with pytest.raises(services.ReferralError) as refused:
        services.create_affiliate(name="Other", kind="external", agreement_reference="X-1",
                                  agreement_from=datetime.date(2026, 2, 1),
                                  agreement_until=datetime.date(2026, 1, 1), actor=ACTOR)
    assert refused.value.field == "agreement_until"
    assert Affiliate.objects.count() == 1 and affiliate.codes.count() == 1
