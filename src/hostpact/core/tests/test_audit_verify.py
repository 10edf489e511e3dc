"""``hostpact audit verify`` accepts an intact ledger and names the first altered entry."""

import subprocess
import sys

import pytest
from django.core.management import call_command

from hostpact.core.models import AuditEntry
from hostpact.testing.factories import make_subscriber
from hostpact.testing.processes import hostpact_env


@pytest.mark.django_db
def test_intact_ledger_verifies(capsys):
    """After sign-ups the chain holds: exit 0 and the number of entries."""
    make_subscriber()
    call_command("audit", "verify")
    count = AuditEntry.objects.count()
    assert capsys.readouterr().out.strip() == f"ok, {count} entries"


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"fields": ["nothing"]}, {"action": "accounts.forged"},
                                     {"actor": "staff:999"}])
def test_altered_entry_fails_verification_naming_its_seq(change, capsys):
    """Changing one column of one entry in the database makes verify exit 1 naming that entry."""
    make_subscriber()
    make_subscriber()
    victim = AuditEntry.objects.order_by("seq")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(**change)
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify")
    assert exit_.value.code == 1
    assert f"#{victim.seq}" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_cli_exits_1_on_the_database_file_naming_the_entry():
    """The real ``hostpact audit verify`` process, run on the test database, exits 1."""
    make_subscriber()
    victim = AuditEntry.objects.order_by("seq").last()
    AuditEntry.objects.filter(pk=victim.pk).update(object_ref="HP-999999")
    done = subprocess.run([sys.executable, "-m", "hostpact", "audit", "verify"],
                          env=hostpact_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"#{victim.seq}" in done.stderr
