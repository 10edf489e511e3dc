"""Writes racing an erasure: each lands before the job opens, and is erased or listed as kept,
or is refused; none lands after."""

import contextlib
import threading
import time

import pytest
from django.db import connection, connections

from hostpact.accounts import services as accounts
from hostpact.accounts.models import Profile
from hostpact.billing import services as billing
from hostpact.billing.models import Invoice
from hostpact.core import audit
from hostpact.core.models import AuditEntry
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.guard import SubjectErased
from hostpact.privacy.rights.tests.helpers import price
from hostpact.testing import factories

WRITES = ("billing.order.place", "billing.invoice.issue", "accounts.profile.update")
WAIT = 60  # seconds: bounds each writer and each wait; never reached when the test passes


def _write_until_refused(write, turn, started: threading.Event, erased: threading.Event,
                         outcome: list) -> None:
    """Write again and again, as a request that authenticated earlier would, until refused;
    one write after the erasure has finished ends the loop too (it must have been refused)."""
    deadline, i = time.monotonic() + WAIT, 0
    try:
        while time.monotonic() < deadline:
            i += 1
            finished = erased.is_set()
            try:
                with turn:
                    write(i)
            except SubjectErased:
                outcome.append("refused")
                return
            started.set()
            if finished:
                outcome.append("written after the erasure")
                return
        outcome.append("never refused")
    except Exception as exc:  # noqa: BLE001 - the test reports what the writer met
        outcome.append(type(exc).__name__)
    finally:
        started.set()
        connections.close_all()  # this thread's own connection


@pytest.mark.django_db(transaction=True)
def test_writes_racing_an_erasure_land_before_it_or_not_at_all():
    """Orders and profile changes made in other threads (each on its own database connection)
    while the subscriber is erased are refused from the moment the job opens: no write is
    audited after the erasure request, every invoice left is in the job's kept list, and the
    profile holds nothing readable."""
    user = factories.make_subscriber()
    sid, actor, offer = user.subject_id, audit.actor_of(user), price()
    writes = {
        "orders": lambda i: billing.place_order(user, offer, actor),
        "profile": lambda i: accounts.update_profile(user, {"name": f"Racing Name {i}"}, actor),
    }
    erased = threading.Event()
    # SQLite runs one writing transaction at a time whatever the threads do; writers taking
    # turns keeps its busy handler from starving one of them (or the erasure) for seconds.
    turn = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    started = {name: threading.Event() for name in writes}
    outcomes: dict[str, list] = {name: [] for name in writes}
    threads = [threading.Thread(target=_write_until_refused,
                                args=(write, turn, started[name], erased, outcomes[name]))
               for name, write in writes.items()]
    for thread in threads:
        thread.start()
    try:
        assert all(event.wait(WAIT) for event in started.values())
        # The erasure takes its turn too on SQLite: two writers hammering in turns could keep
        # its BEGIN IMMEDIATE waiting past the busy timeout on a loaded machine.
        with turn:
            job = erasure.erase_subject(sid, actor="system:test", reason="staff")
    finally:
        erased.set()
        for thread in threads:
            thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert outcomes == {"orders": ["refused"], "profile": ["refused"]}
    assert job.state == job.State.DONE

    opened = AuditEntry.objects.get(action="rights.erasure.request", subject_id=sid).seq
    late = AuditEntry.objects.filter(subject_id=sid, action__in=WRITES, seq__gt=opened)
    assert list(late.values_list("action", flat=True)) == []
    invoices = Invoice.objects.filter(subject_id=sid).count()
    listed = sum(k["count"] for k in job.kept if k["model"] == "billing.Invoice")
    assert invoices >= 1 and listed == invoices
    assert Profile.objects.get(subject_id=sid).name is None
