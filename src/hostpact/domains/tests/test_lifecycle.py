"""A domain's end with the platform: expiry, the 30-day grace, deletion, transfer out."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.domains import services
from hostpact.domains.models import Domain
from hostpact.domains.registry import RegistryError, connector
from hostpact.domains.registry.builtin import BuiltinRegistry
from hostpact.domains.registry.models import RegistryDomain
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.lifecycle import (
    delete_domain,
    end_sponsorship,
    release_for_transfer,
    run_expiry,
    settle_transfers,
)
from hostpact.domains.tests.helpers import register
from hostpact.privacy.rights.models import KeyExpiry

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
EXPIRY = START + relativedelta(years=1)
DAY = datetime.timedelta(days=1)
GAINER = "gaining-registrar"


def _mail(user, words) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.filter(subject_id=user.subject_id)
            if words in m.subject_line]


@pytest.fixture
def domain(subscriber):
    with clock.freeze(START):
        return register(subscriber, "lifecycle.test")


def test_a_domain_past_its_date_expires_once_and_the_subscriber_is_told(subscriber, domain):
    """The daily run leaves a domain alone until its expiry date, then marks it expired and
    mails the subscriber the last day to renew; running again changes and mails nothing."""
    with clock.freeze(EXPIRY - DAY):
        assert run_expiry() == {"expired": 0, "deleted": 0}
    with clock.freeze(EXPIRY + datetime.timedelta(hours=1)):
        assert run_expiry() == {"expired": 1, "deleted": 0}
        assert run_expiry() == {"expired": 0, "deleted": 0}
    domain.refresh_from_db()
    assert domain.state == Domain.State.EXPIRED and domain.ended_at is None
    [mail] = _mail(subscriber, "has expired")
    assert "2027-03-31" in mail.body  # the grace's last day


def test_a_renewal_in_the_grace_makes_the_domain_active_again(subscriber, domain):
    """Renewed within the 30 days after expiry, the domain is active again from its old
    expiry date and is not deleted when the grace would have ended."""
    with clock.freeze(EXPIRY + 10 * DAY):
        run_expiry()
        renewed = services.renew_domain(domain, 1, actor="system:test")
    assert renewed.state == Domain.State.ACTIVE
    assert renewed.expires_at == EXPIRY + relativedelta(years=1)
    with clock.freeze(EXPIRY + 31 * DAY):
        assert run_expiry() == {"expired": 0, "deleted": 0}


def test_after_the_grace_the_domain_is_deleted_and_its_sponsorship_ends(subscriber, domain):
    """31 days after expiry the run deletes the domain at the registry, ends the sponsorship
    with its date, tells the subscriber, and schedules the contacts' key expiry 2 years on."""
    with clock.freeze(EXPIRY + DAY):
        run_expiry()
    ended = EXPIRY + 31 * DAY
    with clock.freeze(ended):
        assert run_expiry() == {"expired": 0, "deleted": 1}
        assert run_expiry() == {"expired": 0, "deleted": 0}
    domain.refresh_from_db()
    assert domain.state == Domain.State.DELETED and domain.ended_at == ended
    assert not domain.auto_renew and not domain.auth_code_hash
    assert not RegistryDomain.objects.filter(name="lifecycle.test").exists()
    [mail] = _mail(subscriber, "has been deleted")
    assert "2029-04-01" in mail.body  # kept until: ended + 2 years
    [expiry] = KeyExpiry.objects.filter(retention_class="registration")
    assert expiry.due_at == ended + relativedelta(years=2)
    with pytest.raises(DomainError) as refused:
        services.renew_domain(domain, 1, actor="system:test")
    assert refused.value.code == "not_sponsored"


def test_a_transfer_in_the_60_days_after_registration_is_refused_naming_the_date(domain):
    """Within 60 days of registration the release is refused with the first allowed date,
    and nothing changes."""
    with clock.freeze(START + 59 * DAY):
        with pytest.raises(DomainError) as refused:
            release_for_transfer(domain, actor="system:test")
    assert refused.value.code == "transfer_lock_period"
    assert "2026-04-30" in str(refused.value)
    domain.refresh_from_db()
    assert domain.state == Domain.State.ACTIVE and domain.transfer_locked


def test_a_released_domain_transfers_with_its_auth_code_and_sponsorship_ends(
        subscriber, domain):
    """Released, the lock is lifted and a new code issued; a gaining registrar with a wrong
    code is refused, with the right one it takes the domain; the poll task then ends the
    sponsorship (once) and tells the subscriber."""
    with clock.freeze(START + 61 * DAY):
        code = release_for_transfer(domain, actor="system:test")
    domain.refresh_from_db()
    assert domain.state == Domain.State.TRANSFERRING_OUT and not domain.transfer_locked
    assert "clientTransferProhibited" not in connector().info(domain.name).statuses
    assert services.auth_code_matches(domain, code)
    gainer = BuiltinRegistry(GAINER)
    with pytest.raises(RegistryError) as wrong:
        gainer.transfer(domain.name, auth_code_hash=services.auth_code_hash(domain.name, "x"))
    assert wrong.value.code == "auth_failed"
    assert settle_transfers() == 0
    moved = START + 65 * DAY
    with clock.freeze(moved):
        info = gainer.transfer(domain.name,
                               auth_code_hash=services.auth_code_hash(domain.name, code))
        assert info.sponsor == GAINER
        assert settle_transfers() == 1
        assert settle_transfers() == 0
    domain.refresh_from_db()
    assert domain.state == Domain.State.TRANSFERRED_OUT and domain.ended_at == moved
    assert connector().poll() == []  # the transfer message was acknowledged
    assert len(_mail(subscriber, "moved to another registrar")) == 1
    assert RegistryDomain.objects.get(name=domain.name).sponsor == GAINER


def test_deleting_by_choice_ends_the_sponsorship_and_a_second_time_is_refused(
        subscriber, domain):
    """The subscriber's deletion removes the domain at the registry, ends the sponsorship,
    is audited and mailed; asked again it answers clearly that the domain is gone."""
    with clock.freeze(START + DAY):
        delete_domain(domain, actor="system:test")
    domain.refresh_from_db()
    assert domain.state == Domain.State.DELETED and domain.ended_at == START + DAY
    assert connector().check([domain.name]) == {domain.name: True}
    assert AuditEntry.objects.filter(action="domains.domain.deleted").exists()
    assert len(_mail(subscriber, "has been deleted")) == 1
    with pytest.raises(DomainError) as again:
        delete_domain(domain, actor="system:test")
    assert again.value.code == "not_sponsored"


def test_ending_sponsorship_is_idempotent_and_takes_only_an_ending_state(domain):
    """Ending twice keeps the first date; an active state is not an end."""
    with clock.freeze(START + DAY):
        end_sponsorship(domain, state=Domain.State.DELETED, actor="system:test")
    with clock.freeze(START + 2 * DAY):
        again = end_sponsorship(domain, state=Domain.State.DELETED, actor="system:test")
    assert again.ended_at == START + DAY
    with pytest.raises(ValueError):
        end_sponsorship(domain, state=Domain.State.ACTIVE, actor="system:test")


def test_a_contact_still_used_by_another_domain_gets_no_key_expiry(subscriber):
    """A contact shared with a domain still sponsored keeps its key; once the last of its
    domains ends, it is scheduled from that end."""
    with clock.freeze(START):
        first = register(subscriber, "first.test")
        handle = first.roles.get(role="registrant").contact.handle
        second = register(subscriber, "second.test", contacts={r: handle for r in services.ROLES})
    with clock.freeze(START + DAY):
        delete_domain(first, actor="system:test")
    assert not KeyExpiry.objects.exists()
    with clock.freeze(START + 5 * DAY):
        delete_domain(second, actor="system:test")
    [expiry] = KeyExpiry.objects.all()
    assert expiry.due_at == START + 5 * DAY + relativedelta(years=2)


def test_a_contact_used_again_by_a_new_domain_is_no_longer_due_to_be_shredded(subscriber):
    """Registering a new domain with a contact whose keep had begun calls off its expiry."""
    with clock.freeze(START):
        first = register(subscriber, "again1.test")
        handle = first.roles.get(role="registrant").contact.handle
        delete_domain(first, actor="system:test")
        assert KeyExpiry.objects.count() == 1
        register(subscriber, "again2.test", contacts={r: handle for r in services.ROLES})
    assert not KeyExpiry.objects.exists()


def test_a_deleted_name_can_be_registered_again_while_its_old_record_is_kept(
        subscriber, domain):
    """The ended registration stays for its 2-year keep, yet the name is free: the new
    registration is the one the subscriber's pages find."""
    with clock.freeze(START + DAY):
        delete_domain(domain, actor="system:test")
    with clock.freeze(START + 2 * DAY):
        again = register(subscriber, "lifecycle.test")
    assert again.pk != domain.pk and again.state == Domain.State.ACTIVE
    assert Domain.objects.filter(name="lifecycle.test").count() == 2
    from hostpact.domains.queries import domain_of

    assert domain_of(subscriber, "lifecycle.test") == again
    with pytest.raises(DomainError) as taken:
        register(subscriber, "lifecycle.test")
    assert taken.value.code == "taken"
