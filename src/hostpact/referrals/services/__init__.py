"""The referrals app's writes, by what they act on (set-up, attribution, earnings); callers
import them from ``hostpact.referrals.services``."""

from hostpact.referrals.services.attribution import (
    active_code,
    advertising_allowed,
    attribute,
    attribute_order,
    attribute_signup,
    carried,
    record_click,
)
from hostpact.referrals.services.codes import (
    MAX_CODES,
    ReferralError,
    code_of,
    create_affiliate,
    create_affiliate_code,
    create_code,
    set_commission_rule,
    set_reward_rule,
)
from hostpact.referrals.services.earnings import (
    affiliate_balance,
    claw_back_on_refund,
    earn_on_payment,
    mature_earnings,
    record_payout,
)

__all__ = [
    "MAX_CODES", "ReferralError", "active_code", "advertising_allowed", "affiliate_balance",
    "attribute", "attribute_order", "attribute_signup", "carried", "claw_back_on_refund",
    "code_of", "create_affiliate", "create_affiliate_code", "create_code", "earn_on_payment",
    "mature_earnings", "record_click", "record_payout", "set_commission_rule",
    "set_reward_rule",
]
