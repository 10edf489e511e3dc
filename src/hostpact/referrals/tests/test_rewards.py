"""Banner rewards: a referred subscriber's first paid invoice earns the referrer a pending
reward, which matures after REFERRAL_MATURITY_DAYS into a credit on the referrer's next
invoice, or is clawed back by a refund before that; never a negative invoice."""

from datetime import timedelta
from decimal import Decimal

import pytest

from hostpact.billing import services as billing
from hostpact.billing.models import Invoice, Order
from hostpact.billing.services.credits import credit_balance
from hostpact.billing.services.orders import LineItem
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.referrals import services
from hostpact.referrals.models import Earning, Reward, RewardRule
from hostpact.referrals.tests.helpers import ACTOR, NOW, hosting_rule, post, referrer_code
from hostpact.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C08")]


def _referred(code):
    user = factories.make_subscriber()
    services.attribute_signup(user, post("/signup/", {"ref": code.code}))
    return user


def _buy(user, at, cycle="monthly"):
    with clock.freeze(at):
        placed = billing.place_order(user, price(cycle=cycle), "system")
        billing.pay_invoice(placed.invoice, "system")
    return placed


def _mature(at) -> int:
    with clock.freeze(at):
        return services.mature_earnings()


def _credit_lines(invoice: Invoice):
    return list(invoice.lines.filter(description__startswith="Credit: "))


def test_a_reward_is_pending_then_matures_into_a_credit_on_the_next_invoice(settings):
    """The referred subscriber's payment writes a pending reward (10 % of the order before
    GST); it is not credited a day before maturity, is on the day, and the referrer's next
    invoice carries it as a credit line."""
    settings.REFERRAL_MATURITY_DAYS = 30
    hosting_rule("10")
    code = referrer_code()
    bought = _buy(_referred(code), NOW)
    reward = Reward.objects.get()
    assert (reward.state, reward.referrer, reward.order) == (Earning.State.PENDING, code.user,
                                                             bought.order)
    assert reward.amount == (bought.order.subtotal / 10).quantize(Decimal("0.01"))
    assert reward.matures_at == NOW + timedelta(days=30)
    assert _mature(NOW + timedelta(days=29)) == 0
    assert credit_balance(code.user) == 0
    assert _mature(NOW + timedelta(days=30)) == 1
    reward.refresh_from_db()
    assert reward.state == Earning.State.MATURED and reward.credit_id is not None
    assert credit_balance(code.user) == reward.amount
    assert _mature(NOW + timedelta(days=31)) == 0  # settled once
    with clock.freeze(NOW + timedelta(days=31)):
        nxt = billing.place_order(code.user, price(), "system").invoice
    [line] = _credit_lines(nxt)
    assert line.amount == -reward.amount and line.description == "Credit: Banner reward"
    assert nxt.total >= 0 and credit_balance(code.user) == 0


def test_a_refund_within_the_maturity_claws_the_reward_back():
    """A refund of the rewarded order before maturity cancels the reward: no credit is
    granted, and the referrer's next invoice is billed in full, never negative."""
    hosting_rule("10")
    code = referrer_code()
    bought = _buy(_referred(code), NOW)
    with clock.freeze(NOW + timedelta(days=5)):
        billing.refund_order(bought.order, actor="system", reason="Staff's decision.")
    reward = Reward.objects.get()
    assert reward.state == Earning.State.CLAWED_BACK
    assert _mature(NOW + timedelta(days=40)) == 0
    assert credit_balance(code.user) == 0
    with clock.freeze(NOW + timedelta(days=41)):
        nxt = billing.place_order(code.user, price(), "system").invoice
    assert not _credit_lines(nxt) and nxt.total == nxt.subtotal + nxt.tax > 0


def test_a_refund_after_maturity_leaves_the_credit():
    """The maturity period is the refund window: a refund after it leaves the credit."""
    hosting_rule("10")
    code = referrer_code()
    bought = _buy(_referred(code), NOW)
    _mature(NOW + timedelta(days=30))
    with clock.freeze(NOW + timedelta(days=35)):
        billing.refund_order(bought.order, actor="system", reason="Staff's decision.")
    assert Reward.objects.get().state == Earning.State.MATURED
    assert credit_balance(code.user) > 0


def test_a_credit_larger_than_the_next_invoice_leaves_it_at_zero_and_carries_over():
    """A fixed reward above the referrer's next invoice makes it 0, never negative, and the
    rest waits for the invoice after."""
    product = price(cycle="annual").product
    services.set_reward_rule(product=product, kind=RewardRule.Kind.FIXED,
                             value=Decimal("5000.00"), actor=ACTOR)
    code = referrer_code()
    bought = _buy(_referred(code), NOW, cycle="annual")
    reward = Reward.objects.get()
    assert reward.amount == min(Decimal("5000.00"), bought.order.subtotal)
    _mature(NOW + timedelta(days=30))
    with clock.freeze(NOW + timedelta(days=31)):
        nxt = billing.place_order(code.user, price(), "system").invoice
    assert nxt.total == 0 and nxt.subtotal >= 0
    assert credit_balance(code.user) == reward.amount - price().amount


def test_only_the_first_paid_invoice_rewards_and_domains_have_their_own_rule():
    """A domain line is rewarded by the domains rule; later invoices of the same referred
    subscriber earn nothing more."""
    services.set_reward_rule(domains=True, kind=RewardRule.Kind.FIXED,
                             value=Decimal("100.00"), actor=ACTOR)
    code = referrer_code()
    user = _referred(code)
    with clock.freeze(NOW):
        placed = billing.place_items(user, [LineItem(
            "Registration of shop-referred.test, 1 year", Decimal("800.00"),
            kind=Order.Kind.DOMAIN_REGISTRATION, domain="shop-referred.test")], actor="system")
        billing.pay_invoice(placed.invoice, "system")
    assert Reward.objects.get().amount == Decimal("100.00")
    hosting_rule("10")
    _buy(user, NOW + timedelta(days=3))
    assert Reward.objects.count() == 1


def test_an_unreferred_payment_earns_nothing():
    """A subscriber nobody referred pays without any reward written."""
    hosting_rule("10")
    _buy(factories.make_subscriber(), NOW)
    assert not Reward.objects.exists()
