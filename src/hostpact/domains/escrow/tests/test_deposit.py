"""Registrar data escrow (C28): deposits in ICANN's format, encrypted and signed, verifiable."""

import csv
import hashlib
import io

import pytest
from django.conf import settings

from hostpact.core import clock
from hostpact.domains import services
from hostpact.domains.escrow import deposit, layout, verify
from hostpact.domains.escrow.models import EscrowDeposit
from hostpact.domains.escrow.tests.helpers import DAY, START, decrypt, files_of, gpg_run, reseal
from hostpact.domains.services.contacts import update_contact

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C28")]


def full_deposit(out, **kwargs):
    with clock.freeze(START + DAY):
        [made] = deposit.run_deposit("full", out=out, **kwargs)
    return made


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_full_deposit_round_trips_through_verify(escrow, portfolio, tmp_path):
    """A full deposit of a published, a redacted and a privacy-protected domain is accepted by
    verify: every file decrypts, is signed by the registrar and matches its hash."""
    made = full_deposit(tmp_path / "out")
    assert made.state == EscrowDeposit.State.DONE and made.finished_at
    summary = verify.verify_directory(tmp_path / "out")
    assert (summary.kind, summary.day) == ("full", "2026-06-02")
    assert (summary.domains, summary.privacy_customers, summary.contacts) == (3, 1, 4)
    iana = settings.REGISTRAR["iana_id"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{iana}_RDE_2026-06-02_{t}.gpg"
        for t in ("full_1.csv", "pp_1.csv", "hdl_1.csv", "full_hash.txt"))


def test_the_gpg_binary_decrypts_and_verifies_a_deposit_file(escrow, portfolio, tmp_path):
    """gpg itself decrypts the domain file and reports a good signature by the registrar's
    key; the rows are ICANN's layout, the privacy-protected domain naming the privacy service
    and the pp file its customer, whose data is in the handle file."""
    full_deposit(tmp_path / "out")
    files = files_of(tmp_path / "out")
    proc = gpg_run(escrow, "--status-fd", "2", "--decrypt", str(files["full_1"]))
    assert proc.returncode == 0
    status = proc.stderr.decode()
    assert "[GNUPG:] DECRYPTION_OKAY" in status and "[GNUPG:] GOODSIG" in status
    fingerprint = gpg_run(escrow, "--with-colons", "--fingerprint",
                          "registrar@hostpact.test").stdout.decode()
    validsig = next(line for line in status.splitlines() if "VALIDSIG" in line).split()
    assert f"fpr:::::::::{validsig[-1]}:" in fingerprint  # the primary key of the registrar
    domains = {r[0]: r for r in rows(proc.stdout.decode())}
    assert domains["domain"] == list(layout.DOMAIN_HEADER)
    service = settings.DOMAIN_PRIVACY_SERVICE["handle"]
    hidden = domains["hidden.test"]
    assert hidden[3:] == [service] * 4
    assert hidden[2] == "ns1.hosting.example ns2.hosting.example"
    assert hidden[1] == portfolio["private"].expires_at.strftime("%Y-%m-%d %H:%M:%S")
    [customer] = [r for r in rows(decrypt(escrow, files["pp_1"]))[1:]]
    handle = portfolio["private"].roles.get(role="registrant").contact.handle
    assert customer == ["hidden.test", *[handle] * 4]
    handles = {r[0]: r for r in rows(decrypt(escrow, files["hdl_1"]))}
    assert handles[handle][1] == "Kavya Private" and handles[handle][10] == "kavya@private.example"
    assert handles[service][1] == settings.DOMAIN_PRIVACY_SERVICE["name"]
    # Redaction is the directories' business: the escrow holds the redacted contact in full.
    quiet = portfolio["redacted"].roles.get(role="registrant").contact
    assert handles[quiet.handle][1] == quiet.name and handles[quiet.handle][3] == quiet.line1


def test_an_incremental_deposit_holds_only_what_changed(escrow, portfolio, tmp_path):
    """After a full deposit, the next day's incremental one holds the domain whose name
    servers changed and the contacts changed or named by it, nothing else."""
    full_deposit(tmp_path / "full")
    quiet = portfolio["redacted"].roles.get(role="registrant").contact
    with clock.freeze(START + 2 * DAY):
        services.set_nameservers(portfolio["published"], ["ns1.new.example", "ns2.new.example"],
                                 actor="system:test")
        update_contact(quiet, {"city": "Nashik"}, actor="system:test")
    with clock.freeze(START + 3 * DAY):
        [inc] = deposit.run_deposit("inc", out=tmp_path / "inc")
    assert inc.kind == "inc" and inc.since == START + DAY
    summary = verify.verify_directory(tmp_path / "inc")
    assert (summary.kind, summary.domains, summary.privacy_customers) == ("inc", 1, 0)
    files = files_of(tmp_path / "inc")
    [changed] = rows(decrypt(escrow, files["inc_1"]))[1:]
    assert changed[0] == "shown.test" and changed[2] == "ns1.new.example ns2.new.example"
    handles = {r[0]: r for r in rows(decrypt(escrow, files["hdl_1"]))[1:]}
    shown = portfolio["published"].roles.get(role="registrant").contact.handle
    assert set(handles) == {settings.DOMAIN_PRIVACY_SERVICE["handle"], shown, quiet.handle}
    assert handles[quiet.handle][4] == "Nashik"


def test_an_incremental_deposit_without_a_previous_one_is_made_full(escrow, portfolio):
    """The first deposit is full even when the daily incremental run makes it."""
    with clock.freeze(START + DAY):
        [made] = deposit.run_deposit("inc")
    assert made.kind == "full" and made.since is None
    assert verify.verify_directory(made.directory).domains == 3


def test_a_tampered_file_fails_verification(escrow, portfolio, tmp_path):
    """One byte changed in an encrypted file makes verify refuse the deposit."""
    full_deposit(tmp_path / "out")
    path = files_of(tmp_path / "out")["hdl_1"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(verify.VerifyFailed, match="hdl_1.csv.gpg"):
        verify.verify_directory(tmp_path / "out")


def test_a_wrong_hash_fails_verification(escrow, portfolio, tmp_path):
    """A hash file (well signed) whose hash of the domain file is wrong is refused."""
    full_deposit(tmp_path / "out")
    path = files_of(tmp_path / "out")["full_hash"]
    text = decrypt(escrow, path)
    first = text.split()[0]
    reseal(escrow, path, text.replace(first, "0" * 64, 1))
    with pytest.raises(verify.VerifyFailed, match="SHA-256 .* differs from the hash file"):
        verify.verify_directory(tmp_path / "out")


def test_a_handle_missing_from_the_handle_file_fails_verification(escrow, portfolio,
                                                                   tmp_path):
    """A handle the domain file names but the handle file lacks is refused, even with the
    hashes and signatures made right."""
    full_deposit(tmp_path / "out")
    files = files_of(tmp_path / "out")
    quiet = portfolio["redacted"].roles.get(role="registrant").contact.handle
    text = decrypt(escrow, files["hdl_1"])
    forged = "".join(line for line in text.splitlines(keepends=True)
                     if not line.startswith(quiet + ","))
    reseal(escrow, files["hdl_1"], forged)
    hashes = decrypt(escrow, files["full_hash"]).splitlines()
    hashes = [f"{hashlib.sha256(forged.encode()).hexdigest()}  {line.split()[1]}"
              if "_hdl_" in line else line for line in hashes]
    reseal(escrow, files["full_hash"], "\n".join(hashes) + "\n")
    with pytest.raises(verify.VerifyFailed, match=f"handle {quiet} .* not in the handle file"):
        verify.verify_directory(tmp_path / "out")


def test_an_unsigned_file_fails_verification(escrow, portfolio, tmp_path):
    """A file encrypted to the agent but not signed by the registrar is refused."""
    full_deposit(tmp_path / "out")
    path = files_of(tmp_path / "out")["pp_1"]
    reseal(escrow, path, decrypt(escrow, path), sign=False)
    with pytest.raises(verify.VerifyFailed, match="no good signature"):
        verify.verify_directory(tmp_path / "out")


def test_a_deposit_killed_midway_is_refused_then_finished_by_the_next_run(
        escrow, portfolio, tmp_path, monkeypatch):
    """Killed while writing its files, a deposit leaves nothing verify accepts; the next run
    keeps the finished files, redoes the partial one, and the deposit verifies."""
    from hostpact.domains.escrow import gpg

    real_write, calls = gpg.EncryptedFile.write, []

    def dying_write(self, data):
        calls.append(self.path.name)
        if len(calls) == 4:
            raise KeyboardInterrupt("killed")
        real_write(self, data)

    monkeypatch.setattr(gpg.EncryptedFile, "write", dying_write)
    with pytest.raises(KeyboardInterrupt):
        full_deposit(tmp_path / "out", rows_per_file=1)
    left = EscrowDeposit.objects.get()
    assert left.state == EscrowDeposit.State.FAILED and left.error == "killed"
    finished = [f["name"] for f in left.files]
    assert len(finished) == 3  # the first three domain files, one row each
    with pytest.raises(verify.VerifyFailed):
        verify.verify_directory(tmp_path / "out")
    # A kill by signal leaves it "running": the next run finishes it just the same.
    EscrowDeposit.objects.filter(pk=left.pk).update(state=EscrowDeposit.State.RUNNING)
    monkeypatch.setattr(gpg.EncryptedFile, "write", real_write)
    kept = {n: (tmp_path / "out" / (n + ".gpg")).stat().st_mtime_ns for n in finished}
    done = full_deposit(tmp_path / "out", rows_per_file=1)
    assert done.pk == left.pk and done.state == EscrowDeposit.State.DONE
    assert EscrowDeposit.objects.count() == 1
    assert {n: (tmp_path / "out" / (n + ".gpg")).stat().st_mtime_ns for n in finished} == kept
    assert not list((tmp_path / "out").glob("*.part"))
    summary = verify.verify_directory(tmp_path / "out")
    assert (summary.domains, summary.privacy_customers, summary.contacts) == (3, 1, 4)
    assert len(summary.files) == 3 + 1 + 4


def test_a_directory_holding_another_deposit_is_refused(escrow, portfolio, tmp_path):
    """A new deposit into a directory with another deposit's files writes nothing there."""
    full_deposit(tmp_path / "out")
    before = sorted(p.name for p in (tmp_path / "out").iterdir())
    with clock.freeze(START + 2 * DAY), pytest.raises(deposit.DepositError,
                                                       match="another deposit"):
        deposit.run_deposit("inc", out=tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == before


def test_a_file_beside_the_deposit_fails_verification(escrow, portfolio, tmp_path):
    """A file the hash file does not list (a plaintext copy, say) makes verify refuse."""
    full_deposit(tmp_path / "out")
    (tmp_path / "out" / "domains.csv").write_text("domain\nshown.test\n")
    with pytest.raises(verify.VerifyFailed, match="domains.csv is not listed"):
        verify.verify_directory(tmp_path / "out")


def test_a_second_run_on_a_deposit_being_written_is_refused(escrow, portfolio, tmp_path):
    """While one run holds a deposit's directory, another run of it stops at once."""
    import fcntl
    import os

    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(deposit.DepositError, match="another run is writing"):
            full_deposit(out)
    finally:
        os.close(fd)
    assert not list(out.iterdir())
    assert full_deposit(out).state == EscrowDeposit.State.DONE


def test_the_progress_callback_reaches_the_total(escrow, portfolio, tmp_path, monkeypatch):
    """The progress callback is told rows done out of the total, ending at the total."""
    monkeypatch.setattr(deposit, "WRITE_BYTES", 1)
    seen = []
    full_deposit(tmp_path / "out", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (8, 8)  # 3 domains, 1 privacy customer, 4 handles
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
