"""``hostpact bootstrap_demo``: the demo logins ``make run`` prints; created once, never in
production."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from hostpact.accounts.models import User


@pytest.mark.django_db
def test_demo_logins_work_and_a_second_run_changes_nothing():
    """The subscriber (verified, with a card) and the staff superuser log in; a rerun is a no-op.
    """
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")
    assert User.objects.count() == 2
    demo = authenticate(username="demo@hostpact.test", password="demo-password-1")
    assert demo is not None and demo.email_verified_at and not demo.is_staff
    assert demo.payment_methods.get().last4 == "4242"
    staff = authenticate(username="staff@hostpact.test", password="staff-password-1")
    assert staff is not None and staff.is_staff and staff.is_superuser


@pytest.mark.django_db
def test_bootstrap_demo_is_refused_in_production(settings):
    """Known passwords never reach a production database."""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("bootstrap_demo")
    assert not User.objects.exists()
