from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_standing(sender, using="default", **kwargs):
    """Re-create missing standing recipients after migrate, and after a test database flush
    (which empties what the data migration seeded and then sends this same signal)."""
    from django.db import connections

    from hostpact.privacy.disclosures.models import Recipient

    if Recipient._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before this app's tables
    from hostpact.privacy.disclosures.services import seed_standing

    seed_standing()


class DisclosuresConfig(AppConfig):
    name = "hostpact.privacy.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"

    def ready(self):
        post_migrate.connect(_seed_standing, sender=self,
                             dispatch_uid="hostpact.disclosures.seed_standing")
