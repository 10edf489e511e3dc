"""A changed domain is served changed at once: every domain service that changes published
data rewrites the precomputed record in its own transaction (decision 0006, C27). After
each, the served RDAP object and the WHOIS text equal a fresh render of the rows."""

import datetime

import orjson
import pytest
from django.db import transaction

from hostpact.core import clock
from hostpact.domains import services
from hostpact.domains.models import SPONSORED_STATES, Domain
from hostpact.domains.services.contacts import set_publish, update_contact
from hostpact.domains.services.holds import UNVERIFIED
from hostpact.domains.services.lifecycle import end_sponsorship
from hostpact.rds import records, store
from hostpact.rds.models import Record
from hostpact.rds.published import published_domain
from hostpact.rds.rdap.render import domain_object
from hostpact.rds.tests.conftest import ACTOR, START, roles_of
from hostpact.rds.whois.render import domain_text

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C27")]
LATER = START + datetime.timedelta(days=90)
SERVED_AT_REQUEST = ("rdapConformance", "notices", "links")


def served(rdap, name: str) -> dict:
    """The served domain object without what is added per request."""
    doc = rdap(f"/rdap/domain/{name}").json()
    for member in SERVED_AT_REQUEST:
        doc.pop(member)
    doc["events"] = [e for e in doc["events"]
                     if e["eventAction"] != "last update of RDAP database"]
    return doc


def assert_fresh(rdap, name: str) -> dict:
    """Served RDAP and WHOIS equal a render of the current rows; return the RDAP object."""
    domain = Domain.objects.get(name=name, state__in=SPONSORED_STATES)
    published = published_domain(domain)
    doc = served(rdap, name)
    assert doc == orjson.loads(orjson.dumps(domain_object(published)))
    assert store.domain_whois(name)[0] == domain_text(published)
    return doc


def test_a_new_registration_is_served_at_once(rdap, redacted_domain):
    """The record exists as soon as the registration's transaction commits."""
    assert assert_fresh(rdap, "redacted.test")["ldhName"] == "redacted.test"


def test_new_name_servers_are_served_at_once(rdap, redacted_domain):
    """set_nameservers rewrites the record."""
    services.set_nameservers(redacted_domain, ["ns1.other.example", "ns2.other.example",
                                               "ns3.other.example"], actor=ACTOR)
    doc = assert_fresh(rdap, "redacted.test")
    assert [n["ldhName"] for n in doc["nameservers"]] == [
        "ns1.other.example", "ns2.other.example", "ns3.other.example"]


def test_privacy_on_and_off_is_served_at_once(rdap, redacted_domain):
    """set_privacy on shows the service, off shows the (redacted) customer again."""
    services.set_privacy(redacted_domain, True, actor=ACTOR)
    doc = assert_fresh(rdap, "redacted.test")
    assert "redacted" not in doc
    services.set_privacy(Domain.objects.get(pk=redacted_domain.pk), False, actor=ACTOR)
    assert "redacted" in assert_fresh(rdap, "redacted.test")


def test_a_contact_update_is_served_at_once_in_the_domain_and_the_entity(rdap,
                                                                         published_domain):
    """update_contact rewrites the domain's record and the contact's entity."""
    contact = roles_of(published_domain)["registrant"]
    update_contact(contact, {"name": "Asha Renamed"}, actor=ACTOR)
    doc = assert_fresh(rdap, "published.test")
    names = {e["roles"][0]: e["vcardArray"][1][1][3] for e in doc["entities"]}
    assert names["registrant"] == "Asha Renamed"
    entity = rdap(f"/rdap/entity/{contact.handle}").json()
    assert entity["vcardArray"][1][1][3] == "Asha Renamed"


def test_publishing_on_and_off_is_served_at_once(rdap, redacted_domain):
    """set_publish on shows the contact (and gives it an entity), off redacts it again."""
    contact = roles_of(redacted_domain)["registrant"]
    set_publish(contact, True, actor=ACTOR)
    doc = assert_fresh(rdap, "redacted.test")
    assert "Registrant Name" not in {r["name"]["type"] for r in doc.get("redacted", [])}
    assert rdap(f"/rdap/entity/{contact.handle}").status == 200
    set_publish(contact, False, actor=ACTOR)
    doc = assert_fresh(rdap, "redacted.test")
    assert "Registrant Name" in {r["name"]["type"] for r in doc["redacted"]}
    assert rdap(f"/rdap/entity/{contact.handle}").status == 404


def test_holds_are_served_at_once(rdap, redacted_domain):
    """add_hold shows client hold; remove_hold takes it away."""
    services.add_hold(redacted_domain, UNVERIFIED, actor=ACTOR)
    assert "client hold" in assert_fresh(rdap, "redacted.test")["status"]
    services.remove_hold(Domain.objects.get(pk=redacted_domain.pk), UNVERIFIED, actor=ACTOR)
    assert "client hold" not in assert_fresh(rdap, "redacted.test")["status"]


def test_a_renewal_is_served_at_once(rdap, redacted_domain):
    """renew_domain moves the expiration events."""
    services.renew_domain(redacted_domain, 2, actor=ACTOR)
    events = {e["eventAction"]: e["eventDate"]
              for e in assert_fresh(rdap, "redacted.test")["events"]}
    assert events["expiration"] == "2029-03-01T10:00:00Z"


def test_the_transfer_lock_is_served_at_once(rdap, redacted_domain):
    """set_transfer_lock off and on changes the status words."""
    with clock.freeze(LATER):
        services.set_transfer_lock(redacted_domain, False, actor=ACTOR)
        assert assert_fresh(rdap, "redacted.test")["status"] == ["active"]
        services.set_transfer_lock(Domain.objects.get(pk=redacted_domain.pk), True,
                                   actor=ACTOR)
        assert assert_fresh(rdap, "redacted.test")["status"] == ["client transfer prohibited"]


def test_the_end_of_sponsorship_stops_the_answer_at_once(rdap, published_domain):
    """end_sponsorship removes the domain's record and its contacts' entities."""
    contact = roles_of(published_domain)["registrant"]
    end_sponsorship(published_domain, state="deleted", actor=ACTOR)
    assert rdap("/rdap/domain/published.test").status == 404
    assert rdap(f"/rdap/entity/{contact.handle}").status == 404
    assert not Record.objects.exists()


def test_a_rolled_back_change_keeps_the_old_answer(rdap, redacted_domain):
    """The record is rewritten inside the change's transaction, so a rollback keeps it."""
    before = served(rdap, "redacted.test")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.set_nameservers(redacted_domain, ["ns1.other.example", "ns2.other.example"],
                                 actor=ACTOR)
        raise RuntimeError("the change fails after the rewrite")
    assert served(rdap, "redacted.test") == before


def test_rebuild_makes_every_record_again_and_drops_stale_ones(rdap, redacted_domain,
                                                              private_domain, idn_domain):
    """rebuild writes a record per sponsored domain equal to a fresh render, and drops the
    record of a domain no longer sponsored."""
    Domain.objects.filter(pk=private_domain.pk).update(state=Domain.State.DELETED)
    Record.objects.filter(kind=Record.Kind.DOMAIN, key="redacted.test").delete()
    assert records.rebuild(batch=1) == 2
    assert_fresh(rdap, "redacted.test")
    assert_fresh(rdap, "xn--bcher-rdap-9db.test")
    assert rdap("/rdap/domain/private.test").status == 404


def test_a_transfer_in_is_served_at_once(rdap, subscriber):
    """transfer_in_domain makes the domain's record in its transaction."""
    from hostpact.domains.services.transfer_in import transfer_in_domain
    from hostpact.domains.tests.helpers import CODE, contact_fields, held_elsewhere

    held_elsewhere("moved.test")
    fields = contact_fields()
    with clock.freeze(LATER):
        transfer_in_domain(subscriber, "moved.test", auth_code=CODE, actor=ACTOR,
                           contacts={role: fields for role in services.ROLES})
    assert assert_fresh(rdap, "moved.test")["ldhName"] == "moved.test"


def test_expiry_is_served_at_once(rdap, redacted_domain):
    """expire_domain (past the date) rewrites the record; the expired domain is still
    sponsored, so it is still answered."""
    from hostpact.domains.services.lifecycle import expire_domain

    with clock.freeze(START + datetime.timedelta(days=400)):
        assert expire_domain(redacted_domain)
    assert_fresh(rdap, "redacted.test")


def test_a_shredded_key_stops_the_answer_even_when_the_body_was_served_before(
        rdap, redacted_domain):
    """The lean path keeps opened bodies, but reads the key row with every request: once the
    owner's registration key is shredded the domain is no longer answered."""
    from hostpact.core.subjects import shred
    from hostpact.rds.models import REGISTRATION

    assert rdap("/rdap/domain/redacted.test").status == 200
    assert rdap("/rdap/domain/redacted.test").status == 200
    shred(redacted_domain.subject_id, [REGISTRATION])
    assert rdap("/rdap/domain/redacted.test").status == 404
