from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "hostpact.referrals"
    label = "referrals"
    verbose_name = "Banner rewards, affiliates and campaigns"

    def ready(self):
        # Rewards and commissions are facts about payments: billing tells us of each one.
        from hostpact.billing import events
        from hostpact.referrals import services

        events.on_paid(services.earn_on_payment)
        events.on_refunded(services.claw_back_on_refund)
