"""Escrow deposits as disclosures (C22), on schedule, and through ``hostpact escrow`` (C28)."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string
from django_tasks.base import Task

from hostpact.core import clock
from hostpact.domains.escrow import deposit
from hostpact.domains.escrow.models import EscrowDeposit
from hostpact.domains.escrow.tests.helpers import DAY, START
from hostpact.domains.models import DomainContact
from hostpact.domains.tasks import escrow_full_deposit, escrow_incremental_deposit
from hostpact.privacy.disclosures.models import Disclosure, DisclosureRefusal, Recipient
from hostpact.privacy.disclosures.services import DisclosureRefused

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C22")
@pytest.mark.commitment("C28")
def test_each_deposit_records_one_disclosure_to_the_escrow_agent_with_its_subjects(
        escrow, portfolio, tmp_path):
    """A deposit is one disclosure to the escrow agent, for a legal obligation, naming every
    owner and contact whose data it carries (the privacy-protected domain's customer too),
    with the categories of the data map."""
    with clock.freeze(START + DAY):
        [made] = deposit.run_deposit("full", out=tmp_path / "out")
    [disclosure] = Disclosure.objects.filter(recipient__slug="escrow-agent")
    assert made.disclosure == disclosure
    assert disclosure.purpose == "essential.legal_obligation"
    assert disclosure.reference == f"escrow:{settings.REGISTRAR['iana_id']}_RDE_2026-06-02_full"
    assert {"user.name", "user.contact.email", "user.contact.url"} <= set(disclosure.categories)
    contacts = {r.contact.contact_subject_id for r in DomainContact.objects.select_related(
        "contact")}
    owners = {d.subject_id for d in portfolio.values()}
    linked = set(disclosure.links.values_list("subject_id", flat=True))
    assert linked == contacts | owners and disclosure.subject_count == len(linked)
    private = portfolio["private"].roles.get(role="registrant").contact.contact_subject_id
    assert private in linked
    with clock.freeze(START + 2 * DAY):
        deposit.run_deposit("inc", out=tmp_path / "inc")
    assert Disclosure.objects.filter(recipient__slug="escrow-agent").count() == 2


@pytest.mark.commitment("C22")
def test_a_refused_disclosure_stops_the_deposit_before_any_file(escrow, portfolio, tmp_path):
    """With the escrow agent inactive the gate refuses: no deposit, no file, the refusal kept."""
    Recipient.objects.filter(slug="escrow-agent").update(active=False)
    with clock.freeze(START + DAY), pytest.raises(DisclosureRefused):
        deposit.run_deposit("full", out=tmp_path / "out")
    assert not EscrowDeposit.objects.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert DisclosureRefusal.objects.filter(recipient_slug="escrow-agent").exists()


@pytest.mark.commitment("C28")
def test_the_commands_deposit_then_verify(escrow, portfolio, tmp_path, capsys):
    """``escrow deposit --full --out DIR`` writes a deposit that ``escrow verify DIR``
    accepts, printing its summary."""
    with clock.freeze(START + DAY):
        call_command("escrow", "deposit", "--full", "--out", str(tmp_path / "out"))
    assert "full deposit of 2026-06-02: done" in capsys.readouterr().out
    call_command("escrow", "verify", str(tmp_path / "out"))
    out = capsys.readouterr().out
    assert ": OK" in out and "3 domains, 1 privacy-protected" in out


@pytest.mark.commitment("C28")
@pytest.mark.parametrize("args, message", [
    (["verify", "/nonexistent/escrow"], "is not a directory"),
    (["verify"], "the following arguments are required: DIR"),
    ([], "the following arguments are required: deposit|verify"),
    (["deposit", "--weekly"], "unrecognized arguments: --weekly"),
])
def test_bad_command_arguments_give_clear_errors(escrow, args, message):
    """A missing or wrong argument, or a directory that does not exist, is a clear error."""
    with pytest.raises(CommandError, match=message):
        call_command("escrow", *args)


@pytest.mark.commitment("C28")
def test_verify_of_a_directory_without_a_deposit_fails(escrow, tmp_path):
    """An empty directory is not a deposit: verify says there is no hash file."""
    with pytest.raises(CommandError, match="no hash file"):
        call_command("escrow", "verify", str(tmp_path))


@pytest.mark.commitment("C28")
def test_a_deposit_into_a_file_path_fails_clearly(escrow, portfolio, tmp_path):
    """``--out`` naming a file is refused with the reason, and no deposit is recorded."""
    target = tmp_path / "a-file"
    target.write_text("not a directory")
    with clock.freeze(START + DAY), pytest.raises(CommandError, match="not a directory"):
        call_command("escrow", "deposit", "--full", "--out", str(target))
    assert not EscrowDeposit.objects.exists()


@pytest.mark.commitment("C28")
def test_the_deposits_are_scheduled_full_weekly_and_incremental_daily():
    """Both tasks are in PERIODIC_TASKS once, full every week and incremental every day."""
    schedule = dict(settings.PERIODIC_TASKS)
    assert schedule["hostpact.domains.tasks.escrow_full_deposit"] == 7 * 86400
    assert schedule["hostpact.domains.tasks.escrow_incremental_deposit"] == 86400
    for path in ("hostpact.domains.tasks.escrow_full_deposit",
                 "hostpact.domains.tasks.escrow_incremental_deposit"):
        assert isinstance(import_string(path), Task)


@pytest.mark.commitment("C28")
def test_the_tasks_make_one_deposit_a_day_into_the_escrow_directory(escrow, portfolio):
    """The tasks deposit under ESCROW_DIR, once a day each: a second run the same day makes
    nothing new, and the next day's incremental follows the full."""
    with clock.freeze(START + DAY):
        first = escrow_full_deposit.call()
        again = escrow_full_deposit.call()
    assert first == again and first["deposits"][0]["kind"] == "full"
    with clock.freeze(START + 2 * DAY):
        inc = escrow_incremental_deposit.call()
    assert inc["deposits"][0]["kind"] == "inc"
    assert EscrowDeposit.objects.filter(state="done").count() == 2
    for made in EscrowDeposit.objects.all():
        assert made.directory.startswith(str(settings.ESCROW_DIR))
