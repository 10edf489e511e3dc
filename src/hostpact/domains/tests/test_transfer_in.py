"""Transfer in: a domain held at another registrar moves to the platform with its auth code."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.domains import services
from hostpact.domains.models import Domain, DomainContact
from hostpact.domains.registry import RegistryError
from hostpact.domains.registry.builtin import BuiltinRegistry
from hostpact.domains.registry.models import RegistryDomain
from hostpact.domains.services.transfer_in import transfer_in_domain
from hostpact.domains.tests.helpers import CODE, OTHER, contact_fields, held_elsewhere, register
from hostpact.privacy.disclosures.models import Disclosure

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
MOVED = START + datetime.timedelta(days=100)


def transfer(user, name, code=CODE, **kwargs):
    fields = contact_fields()
    kwargs.setdefault("contacts", {role: fields for role in services.ROLES})
    with clock.freeze(MOVED):
        return transfer_in_domain(user, name, auth_code=code, actor="system:test", **kwargs)


def test_a_transfer_moves_the_sponsorship_and_adds_a_year(subscriber):
    """With the right auth code the registry sponsor becomes the platform, the local domain
    carries the registry's expiry plus one year, the lock and the 60-day period, the
    registry's name servers, and the four contacts, disclosed to the registry; the transfer
    is audited and the registrant is asked to verify their email."""
    before = held_elsewhere("moving.test")
    domain = transfer(subscriber, "Moving.test")
    row = RegistryDomain.objects.get(name="moving.test")
    assert row.sponsor == "hostpact" and row.auth_code_hash == ""
    assert domain.roid == before.roid and domain.state == Domain.State.ACTIVE
    assert domain.expires_at == before.expires_at + relativedelta(years=1) == row.expires_at
    assert domain.created_at == MOVED
    assert domain.transfer_locked and "clientTransferProhibited" in row.statuses
    assert domain.transfer_lock_until == MOVED + datetime.timedelta(days=60)
    assert [n.host for n in domain.nameservers.order_by("position")] == [
        "ns1.elsewhere.example", "ns2.elsewhere.example"]
    roles = {r.role: r.contact for r in DomainContact.objects.filter(domain=domain)}
    assert set(roles) == set(services.ROLES)
    assert row.contacts == {role: c.handle for role, c in roles.items()}
    assert Disclosure.objects.filter(recipient__slug="registry",
                                     reference="domain:moving.test").exists()
    assert AuditEntry.objects.filter(action="domains.domain.transfer_in",
                                     subject_id=subscriber.subject_id).exists()
    assert any(m.to_addr == roles["registrant"].email for m in OutboxMessage.objects.all())


def test_given_name_servers_and_privacy_replace_what_the_registry_had(subscriber):
    """Given name servers are set at the registry; with privacy on the registry holds the
    privacy service's contact for every role."""
    held_elsewhere("quiet.test")
    domain = transfer(subscriber, "quiet.test", privacy=True,
                      nameservers=["ns1.hosting.example", "ns2.hosting.example"])
    row = RegistryDomain.objects.get(name="quiet.test")
    assert [n["host"] for n in row.nameservers] == ["ns1.hosting.example",
                                                    "ns2.hosting.example"]
    assert domain.privacy and len(set(row.contacts.values())) == 1
    assert not Disclosure.objects.filter(reference="domain:quiet.test").exists()


def test_a_wrong_auth_code_is_refused_and_changes_nothing(subscriber):
    """A wrong code is refused naming the auth code; the registry still has the other
    registrar as sponsor and no domain or contact is made here."""
    held_elsewhere("stuck.test")
    with pytest.raises(services.DomainError) as refused:
        transfer(subscriber, "stuck.test", code="not-the-code")
    assert (refused.value.field, refused.value.code) == ("auth_code", "auth_code")
    assert RegistryDomain.objects.get(name="stuck.test").sponsor == OTHER
    assert not Domain.objects.filter(name="stuck.test").exists()
    assert not DomainContact.objects.exists()
    assert not Disclosure.objects.filter(reference="domain:stuck.test").exists()


def test_a_domain_we_already_sponsor_is_refused(subscriber):
    """A domain the platform already sponsors cannot be transferred in."""
    with clock.freeze(START):
        register(subscriber, "ours.test")
    with pytest.raises(services.DomainError) as refused:
        transfer(subscriber, "ours.test")
    assert refused.value.code == "already_ours"


def test_an_unregistered_name_is_refused_as_not_found(subscriber):
    """A name the registry does not hold has nothing to transfer."""
    with pytest.raises(services.DomainError) as refused:
        transfer(subscriber, "nowhere.test")
    assert (refused.value.field, refused.value.code) == ("name", "not_found")
    assert not Domain.objects.exists()


def test_a_bad_name_or_a_missing_code_is_refused_naming_it(subscriber):
    """A malformed name is refused by its rule; an empty auth code names the auth code."""
    with pytest.raises(services.DomainError) as bad:
        transfer(subscriber, "-bad-.test")
    assert bad.value.field == "name"
    held_elsewhere("blank.test")
    with pytest.raises(services.DomainError) as blank:
        transfer(subscriber, "blank.test", code="  ")
    assert blank.value.field == "auth_code"


def test_the_registry_transfer_adds_a_year_and_drops_the_losers_client_statuses():
    """At the registry a transfer extends the registration by one year and removes the
    losing registrar's client statuses."""
    before = held_elsewhere("statuses.test")
    BuiltinRegistry(OTHER).update("statuses.test", add_statuses=("clientUpdateProhibited",))
    with pytest.raises(RegistryError):
        BuiltinRegistry("hostpact").transfer("statuses.test", auth_code_hash="wrong")
    info = BuiltinRegistry("hostpact").transfer(
        "statuses.test", auth_code_hash=services.auth_code_hash("statuses.test", CODE))
    assert info.expires_at == before.expires_at + relativedelta(years=1)
    assert info.statuses == ("ok",)


def test_a_domain_transferred_away_can_come_back_beside_its_ended_record(subscriber):
    """The ended record of a domain that left keeps its ROID for its 2-year keep; the same
    domain transferred back is a new sponsored record with that ROID."""
    from hostpact.domains.services.lifecycle import release_for_transfer, settle_transfers

    with clock.freeze(START):
        left = register(subscriber, "boomerang.test")
    with clock.freeze(START + datetime.timedelta(days=61)):
        code = release_for_transfer(left, actor="system:test")
        BuiltinRegistry(OTHER).transfer(
            left.name, auth_code_hash=services.auth_code_hash(left.name, code))
        settle_transfers()
        BuiltinRegistry(OTHER).update(left.name,
                                      auth_code_hash=services.auth_code_hash(left.name, CODE))
    back = transfer(subscriber, "boomerang.test")
    left.refresh_from_db()
    assert left.state == Domain.State.TRANSFERRED_OUT and back.state == Domain.State.ACTIVE
    assert back.roid == left.roid and back.pk != left.pk
    assert RegistryDomain.objects.get(name="boomerang.test").sponsor == "hostpact"
