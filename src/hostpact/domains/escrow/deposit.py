"""Making a deposit: disclosed first, written file by file, resumable, delivered when complete.

``run_deposit`` first finishes a deposit a killed or failed run left (same kind), then makes
today's if there is none yet. A new deposit is a disclosure to the escrow agent: it is recorded
through the gate (every subject whose data it carries, the categories from the data map)
before a byte is written, and a refusal stops it there. Files are written as ``*.part`` and
renamed when complete; the hash file comes last, and only then is the deposit done (the
escrow directory is where the agent collects it: a deposit without its hash file is not
delivered, and ``verify`` refuses it). Resuming skips the files finished and redoes the one
that was being written, from the id after the last finished file.
"""

import datetime
import fcntl
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hostpact.core import audit, clock
from hostpact.domains.escrow import gpg, layout, rows
from hostpact.domains.escrow.models import EscrowDeposit
from hostpact.privacy.disclosures.services import disclose

RECIPIENT = "escrow-agent"
PURPOSE = "essential.legal_obligation"  # RAA 3.6: the registrar must escrow its data
ROWS_PER_FILE = 1_000_000
WRITE_BYTES = 1 << 16  # rows are sent to gpg in pieces of about this size
Progress = Callable[[int, int], None]  # (rows done, rows in all)


class DepositError(Exception):
    """A deposit cannot be made (a directory holding another deposit, a key missing)."""


def _iana() -> str:
    return str(settings.REGISTRAR["iana_id"])


def _default_directory(kind: str, day) -> Path:
    return Path(settings.ESCROW_DIR) / f"{layout.prefix(_iana(), day)}_{kind}"


def _day(moment) -> datetime.date:
    return moment.astimezone(datetime.UTC).date()


def _check_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise DepositError(f"{directory} exists and is not a directory.")
    if directory.is_dir() and any(f.name.startswith(f"{_iana()}_RDE_")
                                  for f in directory.iterdir()):
        raise DepositError(f"{directory} holds another deposit's files: choose an empty "
                           "directory.")


def _start(kind: str, directory: Path | None, actor: str) -> EscrowDeposit:
    """Record the disclosure, then the deposit (state running)."""
    now = clock.now()
    day = _day(now)
    directory = Path(directory) if directory else _default_directory(kind, day)
    _check_directory(directory)
    since = None
    if kind == EscrowDeposit.Kind.INCREMENTAL:
        since = (EscrowDeposit.objects.filter(state=EscrowDeposit.State.DONE)
                 .order_by("-snapshot_at").values_list("snapshot_at", flat=True).first())
    deposit = EscrowDeposit(kind=kind, day=day, directory=str(directory.resolve()),
                            since=since, snapshot_at=now, started_at=now)
    # The gate first: a refusal raises here and nothing is written (disclose() runs outside
    # a transaction so that a refusal's trace is kept).
    disclosure = disclose(RECIPIENT, rows.subject_ids(deposit), rows.categories(), PURPOSE, "",
                          actor=actor, reference=f"escrow:{layout.prefix(_iana(), day)}_{kind}")
    with transaction.atomic():
        deposit.disclosure = disclosure
        deposit.save()
        audit.record(actor, "domains.escrow.start", None, rows.categories(),
                     f"escrow:{deposit.pk}")
    directory.mkdir(parents=True, exist_ok=True)
    return deposit


class _Writer:
    """Writes the deposit's files one after another, saving progress after each."""

    def __init__(self, deposit: EscrowDeposit, keys: gpg.Keys, rows_per_file: int,
                 progress: Progress | None):
        self.deposit, self.keys, self.rows_per_file = deposit, keys, rows_per_file
        self.directory = Path(deposit.directory)
        self.progress = progress
        self.total = sum(rows.count(deposit, s) for s in layout.STREAMS)
        self.current: gpg.EncryptedFile | None = None

    def _open(self, name: str) -> gpg.EncryptedFile:
        self.current = gpg.EncryptedFile(self.keys, self.directory / (
            name + layout.ENCRYPTED + layout.PARTIAL))
        return self.current

    def _finish(self, name: str) -> str:
        sha = self.current.close()
        self.current = None
        final = self.directory / (name + layout.ENCRYPTED)
        os.replace(final.with_name(final.name + layout.PARTIAL), final)
        return sha

    def _record(self, entry: dict, rows_in_file: int) -> None:
        self.deposit.files = [*self.deposit.files, entry]
        self.deposit.rows_done += rows_in_file
        self.deposit.save(update_fields=["files", "rows_done"])

    def _tick(self, in_open_file: int = 0) -> None:
        if self.progress:
            self.progress(self.deposit.rows_done + in_open_file, self.total)

    def write_stream(self, stream: str) -> None:
        done = [f for f in self.deposit.files if f["stream"] == stream]
        if any(f["last"] for f in done):
            return
        n = len(done)
        after = done[-1]["last_id"] if done else rows.PRIVACY_SERVICE_ID - 1
        source = rows.rows_of(self.deposit, stream, after)
        header = ",".join(layout.HEADERS[stream]).encode() + b"\r\n"
        pending = next(source, None)
        while True:
            n += 1
            name = layout.file_name(_iana(), self.deposit.day, self.deposit.kind, stream, n)
            out = self._open(name)
            count, buffer = 0, [header]
            size = len(header)
            while pending is not None and count < self.rows_per_file:
                after, values = pending
                line = _csv_line(values)
                buffer.append(line)
                size += len(line)
                count += 1
                if size >= WRITE_BYTES:
                    out.write(b"".join(buffer))
                    buffer, size = [], 0
                    self._tick(count)
                pending = next(source, None)
            out.write(b"".join(buffer))
            sha = self._finish(name)
            last = pending is None
            self._record({"name": name, "stream": stream, "rows": count, "sha256": sha,
                          "last_id": after, "last": last}, count)
            self._tick()
            if last:
                return

    def write_hash_file(self) -> str:
        name = layout.hash_name(_iana(), self.deposit.day, self.deposit.kind)
        out = self._open(name)
        out.write("".join(f"{f['sha256']}  {f['name']}\n" for f in self.deposit.files).encode())
        self._finish(name)
        return name

    def abort(self) -> None:
        if self.current is not None:
            self.current.abort()
            self.current = None


def _csv_line(values) -> bytes:
    """One CSV row (RFC 4180 quoting, CRLF), values already cleaned of control characters."""
    cells = []
    for v in values:
        if any(c in v for c in ',"'):
            v = '"' + v.replace('"', '""') + '"'
        cells.append(v)
    return (",".join(cells) + "\r\n").encode()


@contextmanager
def _writing(directory: Path):
    """Hold the deposit directory for this run alone (a lock the system drops with the
    process, however it ends), so two runs never write the same files."""
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DepositError(f"another run is writing the deposit in {directory}")
        yield
    finally:
        os.close(fd)


def _complete(deposit: EscrowDeposit, keys: gpg.Keys, rows_per_file: int,
              progress: Progress | None, actor: str) -> EscrowDeposit:
    with _writing(Path(deposit.directory)):
        return _write_all(deposit, keys, rows_per_file, progress, actor)


def _write_all(deposit: EscrowDeposit, keys: gpg.Keys, rows_per_file: int,
               progress: Progress | None, actor: str) -> EscrowDeposit:
    writer = _Writer(deposit, keys, rows_per_file, progress)
    try:
        for stream in layout.STREAMS:
            writer.write_stream(stream)
        writer.write_hash_file()
    except BaseException as exc:  # a kill by signal never gets here: the row stays "running"
        writer.abort()
        deposit.state, deposit.error = EscrowDeposit.State.FAILED, str(exc)[:300]
        deposit.save(update_fields=["state", "error"])
        raise
    with transaction.atomic():
        deposit.state, deposit.error = EscrowDeposit.State.DONE, ""
        deposit.finished_at = clock.now()
        deposit.save(update_fields=["state", "error", "finished_at"])
        audit.record(actor, "domains.escrow.deliver", None, [], f"escrow:{deposit.pk}")
    return deposit


def unfinished(kind: str) -> EscrowDeposit | None:
    """The deposit of ``kind`` a killed or failed run left, if any."""
    return (EscrowDeposit.objects.filter(kind=kind).exclude(state=EscrowDeposit.State.DONE)
            .order_by("started_at", "id").first())


def run_deposit(kind: str, *, out: Path | None = None, actor: str = "system:escrow",
                rows_per_file: int = ROWS_PER_FILE,
                progress: Progress | None = None) -> list[EscrowDeposit]:
    """Finish the deposit of ``kind`` (full|inc) a previous run left, then make today's unless
    it exists; return the deposits finished. An incremental deposit with no deposit before it
    is made full. Raises ``DepositError``, ``gpg.EscrowKeyError``, ``gpg.GpgFailed`` or the
    gate's ``DisclosureRefused``."""
    if kind not in EscrowDeposit.Kind.values:
        raise DepositError(f"kind: {kind!r} is neither full nor inc")
    if rows_per_file < 1:
        raise DepositError("rows_per_file: at least 1")
    keys = gpg.ensure_keys()
    finished = []
    left = unfinished(kind)
    if left is not None and (out is None or Path(out).resolve() == Path(left.directory)):
        finished.append(_complete(left, keys, rows_per_file, progress, actor))
        if out is not None:
            return finished
    if kind == EscrowDeposit.Kind.INCREMENTAL and not EscrowDeposit.objects.filter(
            state=EscrowDeposit.State.DONE).exists():
        kind = EscrowDeposit.Kind.FULL
    today = EscrowDeposit.objects.filter(kind=kind, day=_day(clock.now()),
                                         state=EscrowDeposit.State.DONE)
    if out is None and today.exists():
        return finished or [today.first()]
    finished.append(_complete(_start(kind, out, actor), keys, rows_per_file, progress, actor))
    return finished
