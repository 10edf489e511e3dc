"""Verifying a deposit as the escrow agent would: decrypt, signature, hashes, shapes, handles.

``verify_directory(path)`` takes a directory holding one deposit and checks, file by file as it
streams out of gpg: each file decrypts with the configured key (the agent's, present here for
the demo and the tests), is signed by the registrar's key, has the SHA-256 the hash file gives
it, starts with its type's header and has rows of the header's width (domain rows: a
well-formed expiration date, every contact column set); and that every handle the domain and
privacy customers' files name is in the handle file. An unfinished file (``*.part``), a file
the hash file does not list, or a listed file that is missing fails it too.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from hostpact.domains.escrow import gpg, layout


class VerifyFailed(Exception):
    """The deposit is not acceptable; the message says why."""


@dataclass
class Summary:
    directory: Path
    kind: str = ""
    day: str = ""
    files: list[str] = field(default_factory=list)
    domains: int = 0
    privacy_customers: int = 0
    contacts: int = 0

    def lines(self) -> list[str]:
        return [f"deposit {self.kind} of {self.day} in {self.directory}: OK",
                f"{len(self.files)} files decrypted, signed by the registrar, hashes match",
                f"{self.domains} domains, {self.privacy_customers} privacy-protected with "
                f"their customer, {self.contacts} contact handles, every handle present"]


def _hash_file(directory: Path) -> Path:
    names = sorted(p.name for p in directory.iterdir())
    partial = [n for n in names if n.endswith(layout.PARTIAL)]
    if partial:
        raise VerifyFailed(f"unfinished file {partial[0]}: the deposit was not completed")
    hashes = [n for n in names if layout.HASH_NAME.match(n.removesuffix(layout.ENCRYPTED))
              and n.endswith(layout.ENCRYPTED)]
    if not hashes:
        raise VerifyFailed(f"no hash file (*_hash.txt{layout.ENCRYPTED}) in {directory}: "
                           "not a complete deposit")
    if len(hashes) > 1:
        raise VerifyFailed(f"{len(hashes)} hash files in {directory}: one deposit a directory")
    return directory / hashes[0]


def _read_hashes(keys: gpg.Keys, path: Path) -> dict[str, str]:
    decrypted = gpg.Decrypted(keys, path)
    try:
        text = decrypted.stream.read().decode("utf-8", errors="replace")
        decrypted.finish()
    finally:
        decrypted.close()
    listed = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64 or layout.stream_of(parts[1]) is None:
            raise VerifyFailed(f"{path.name} line {number} is not '<sha256>  <file name>'")
        listed[parts[1]] = parts[0].lower()
    if not listed:
        raise VerifyFailed(f"{path.name} lists no file")
    return listed


class _Handles:
    def __init__(self):
        self.defined: set[str] = set()
        self.named: dict[str, str] = {}  # handle -> the first file and line naming it

    def name(self, handle: str, where: str) -> None:
        if not handle:
            raise VerifyFailed(f"{where}: a contact column is empty")
        self.named.setdefault(handle, where)


def _check_rows(name: str, stream: str, reader, handles: _Handles, summary: Summary) -> None:
    header = tuple(next(reader, ()))
    if header != layout.HEADERS[stream]:
        raise VerifyFailed(f"{name}: the header is {','.join(header) or 'missing'}, expected "
                           f"{','.join(layout.HEADERS[stream])}")
    width = len(header)
    for number, row in enumerate(reader, 2):
        where = f"{name} line {number}"
        if len(row) != width:
            raise VerifyFailed(f"{where}: {len(row)} columns, the header has {width}")
        if stream == layout.HANDLES:
            if not row[0]:
                raise VerifyFailed(f"{where}: no contact handle")
            handles.defined.add(row[0])
            summary.contacts += 1
            continue
        if not row[0]:
            raise VerifyFailed(f"{where}: no domain name")
        contact_columns = row[-4:]
        if stream == layout.DOMAINS:
            try:
                datetime.datetime.strptime(row[1], layout.DATE_FORMAT)
            except ValueError:
                raise VerifyFailed(f"{where}: expiration date {row[1]!r} is not "
                                   "YYYY-MM-DD HH:MM:SS")
            summary.domains += 1
        else:
            summary.privacy_customers += 1
        for handle in contact_columns:
            handles.name(handle, where)


def verify_directory(directory) -> Summary:
    """Check the deposit in ``directory``; return its summary or raise ``VerifyFailed``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise VerifyFailed(f"{directory} is not a directory")
    try:
        keys = gpg.ensure_keys()
    except gpg.EscrowKeyError as exc:
        raise VerifyFailed(str(exc))
    hash_path = _hash_file(directory)
    match = layout.HASH_NAME.match(hash_path.name.removesuffix(layout.ENCRYPTED))
    summary = Summary(directory, match["kind"], match["day"])
    try:
        listed = _read_hashes(keys, hash_path)
    except gpg.GpgFailed as exc:
        raise VerifyFailed(str(exc))
    expected_names = {name + layout.ENCRYPTED for name in listed} | {hash_path.name}
    for stray in sorted(p.name for p in directory.iterdir() if p.name not in expected_names):
        raise VerifyFailed(f"{stray} is not listed in {hash_path.name}")
    streams = {layout.stream_of(name) for name in listed}
    for needed in (layout.DOMAINS, layout.HANDLES):
        if needed not in streams:
            raise VerifyFailed(f"{hash_path.name} lists no {needed} file")
    handles = _Handles()
    for name, expected in listed.items():
        _verify_file(keys, directory, name, expected, handles, summary)
        summary.files.append(name)
    missing = sorted(set(handles.named) - handles.defined)
    if missing:
        raise VerifyFailed(f"handle {missing[0]} ({handles.named[missing[0]]}) is not in the "
                           f"handle file ({len(missing)} missing)")
    return summary


def _verify_file(keys, directory: Path, name: str, expected: str, handles: _Handles,
                 summary: Summary) -> None:
    path = directory / (name + layout.ENCRYPTED)
    if not path.is_file():
        raise VerifyFailed(f"{path.name}, listed in the hash file, is missing")
    decrypted = gpg.Decrypted(keys, path)
    try:
        text = io.TextIOWrapper(decrypted.stream, encoding="utf-8", newline="")
        problem = None
        try:
            _check_rows(name, layout.stream_of(name), csv.reader(text), handles, summary)
        except (csv.Error, UnicodeDecodeError) as exc:
            problem = VerifyFailed(f"{name}: not a readable CSV ({exc})")
        except VerifyFailed as exc:
            problem = exc
        finally:
            text.detach()
        # gpg's verdict first: a tampered file's rows are garbage because it is tampered.
        sha = decrypted.finish()
    except gpg.GpgFailed as exc:
        raise VerifyFailed(str(exc))
    finally:
        decrypted.close()
    if problem is not None:
        raise problem
    if sha != expected:
        raise VerifyFailed(f"{name}: SHA-256 {sha} differs from the hash file's {expected}")
