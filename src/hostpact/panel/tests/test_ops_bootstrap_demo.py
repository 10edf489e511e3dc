"""``hostpact bootstrap_demo``: the demo logins ``make run`` prints; created once, never in
production."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from hostpact.accounts.models import User
from hostpact.domains.models import Contact, Domain


@pytest.mark.django_db
def test_demo_logins_work_and_a_second_run_changes_nothing():
    """The subscriber (verified, with a card) and the staff superuser log in; a rerun is a no-op.
    """
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")
    assert User.objects.count() == 4  # with the demo reseller's owner and its customer
    demo = authenticate(username="demo@hostpact.test", password="demo-password-1")
    assert demo is not None and demo.email_verified_at and not demo.is_staff
    assert demo.payment_methods.get().last4 == "4242"
    staff = authenticate(username="staff@hostpact.test", password="staff-password-1")
    assert staff is not None and staff.is_staff and staff.is_superuser


@pytest.mark.django_db
def test_the_demo_subscriber_has_its_two_domains_once():
    """demo-hostpact.test (contacts unpublished) and private-demo.test (privacy on) belong to
    the demo subscriber, with its details as contacts and the demo name servers; a rerun adds
    nothing."""
    call_command("bootstrap_demo")
    call_command("bootstrap_demo")
    demo = User.objects.get_by_natural_key("demo@hostpact.test")
    domains = {d.name: d for d in Domain.objects.filter(user=demo)}
    assert set(domains) == {"demo-hostpact.test", "private-demo.test"}
    assert domains["private-demo.test"].privacy and not domains["demo-hostpact.test"].privacy
    assert Contact.objects.count() == 1
    contact = Contact.objects.get()
    assert contact.email == "demo@hostpact.test" and contact.name == "Demo Subscriber"
    assert not contact.publish and contact.email_verified_at
    for domain in domains.values():
        assert [n.host for n in domain.nameservers.all()] == ["ns1.hostpact.test",
                                                             "ns2.hostpact.test"]
        assert {r.contact_id for r in domain.roles.all()} == {contact.pk}
        assert domain.roles.count() == 4


@pytest.mark.django_db
def test_the_demo_transfer_domain_moves_to_the_subscriber_with_the_printed_code():
    """transfer-demo.test is held once by another registrar; the auth code the banner prints
    transfers it to the demo subscriber."""
    from hostpact.domains.registry.models import RegistryDomain
    from hostpact.domains.services.transfer_in import transfer_in_domain
    from hostpact.panel.apps import PanelConfig
    from hostpact.panel.management.commands import bootstrap_demo as demo

    call_command("bootstrap_demo")
    call_command("bootstrap_demo")
    assert RegistryDomain.objects.get(name=demo.TRANSFER_DOMAIN).sponsor == "other-registrar"
    assert any(demo.TRANSFER_AUTH_CODE in line
               for line in PanelConfig.banner_lines(None, "http://localhost"))
    user = User.objects.get_by_natural_key(demo.DEMO_EMAIL)
    handle = Contact.objects.get().handle
    domain = transfer_in_domain(user, demo.TRANSFER_DOMAIN, auth_code=demo.TRANSFER_AUTH_CODE,
                                contacts=dict.fromkeys(("registrant", "admin", "tech",
                                                        "billing"), handle),
                                actor="system:test")
    assert domain.user == user


@pytest.mark.django_db
def test_bootstrap_demo_is_refused_in_production(settings):
    """Known passwords never reach a production database."""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("bootstrap_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_forum_and_testimonial_are_made_once_and_shown(client):
    """The forum's categories, a published welcome thread and an approved testimonial exist
    after the first run, once; the storefront shows the testimonial under its chosen name."""
    from hostpact.community.models import Category, Post, State, Testimonial

    call_command("bootstrap_demo")
    call_command("bootstrap_demo")
    assert Category.objects.count() == 3
    assert Post.objects.get().state == State.VISIBLE
    assert Testimonial.objects.get().state == Testimonial.Status.APPROVED
    assert "Asha, Pune" in client.get("/").content.decode()
    page = client.get("/community/c/getting-started/").content.decode()
    assert "Hello from a new customer" in page
