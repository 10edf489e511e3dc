"""Background tasks of the domains app. Arguments are ids only, never personal data."""

from django_tasks import task  # noqa: F401 - the tasks below are added by their features
