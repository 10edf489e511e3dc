"""Demo data of the programme: the reward rules of the default catalogue and the demo
subscriber's referral code, so ``make run`` shows the banner rewards page filled in.

Idempotent, through the services like any other write: what exists is left as it is.
"""

from decimal import Decimal

from hostpact.billing.models import Product
from hostpact.referrals import services
from hostpact.referrals.models import RewardRule

ACTOR = "system:bootstrap_demo"
DEMO_PERCENT = Decimal("10")  # of the first paid order of a hosting plan, SSL or email
DEMO_DOMAIN_REWARD = Decimal("100.00")  # rupees for a referred subscriber's first domain


def ensure_default_rules() -> int:
    """Give every active product without a rule a percentage rule, and domains a fixed one;
    return how many rules were set."""
    made = 0
    ruled = set(RewardRule.objects.values_list("product_id", flat=True))
    for product in Product.objects.filter(active=True).exclude(pk__in=ruled):
        services.set_reward_rule(product=product, kind=RewardRule.Kind.PERCENT,
                                 value=DEMO_PERCENT, actor=ACTOR)
        made += 1
    if not RewardRule.objects.filter(domains=True).exists():
        services.set_reward_rule(domains=True, kind=RewardRule.Kind.FIXED,
                                 value=DEMO_DOMAIN_REWARD, actor=ACTOR)
        made += 1
    return made


def ensure_demo_code(user) -> str:
    """Return the demo subscriber's referral code, creating it the first time."""
    return services.code_of(user, actor=ACTOR).code
