"""Every column of an audit entry is under the chain: altering any one is found and named."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command

from hostpact.core import audit
from hostpact.core.models import AuditEntry

# column -> how a forger would change it, given the entry
FORGERIES = {
    "seq": lambda e: e.seq + 1000,
    "at": lambda e: e.at + timedelta(seconds=1),
    "actor": lambda e: "staff:999",
    "action": lambda e: "accounts.forged",
    "subject_id": lambda e: uuid.uuid4(),
    "object_ref": lambda e: "HP-999999",
    "fields": lambda e: [*e.fields, "forged"],
    "prev_hash": lambda e: "f" * 64,
    "hash": lambda e: "e" * 64,
}


def _ledger() -> AuditEntry:
    """Write a few entries; return the middle one, which names a subject and fields."""
    for n in range(5):
        audit.record("system:test", f"test.event{n}", uuid.uuid4(), ["name", "email"],
                     f"HP-{n:06d}")
    return AuditEntry.objects.order_by("seq")[2]


def test_every_column_of_an_entry_has_a_forgery_below():
    """A column added to the ledger must be added here, and so be proved to be chained."""
    columns = {f.name for f in AuditEntry._meta.concrete_fields if not f.primary_key}
    assert columns == set(FORGERIES)


@pytest.mark.django_db
@pytest.mark.parametrize("column", sorted(FORGERIES))
def test_altering_one_column_of_an_entry_is_named_by_verify(column, capsys):
    """Changing ``column`` of one entry in the database makes ``hostpact audit verify`` exit 1
    naming that entry; the entries before it are intact."""
    victim = _ledger()
    before = audit.verify()
    assert before.ok, before
    AuditEntry.objects.filter(pk=victim.pk).update(**{column: FORGERIES[column](victim)})
    verdict = audit.verify()
    assert not verdict.ok and verdict.checked == victim.seq - 1
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify")
    assert exit_.value.code == 1
    assert f"#{victim.seq}" in capsys.readouterr().err
