"""GnuPG for the escrow deposits: the keys, and files encrypted and signed as they are written.

The keys live in their own GnuPG home (``settings.ESCROW_GNUPG_HOME``, mode 700): the
registrar's signing key and the escrow agent's public key. Outside production, the first run
generates a demo key pair for each (ed25519 + cv25519, no passphrase); the agent's secret key
then exists only so that ``hostpact escrow verify`` and the tests can decrypt ("the configured
test key"). In production the keys are the operator's: nothing is generated, and a missing key
is an error that says which.

Each file is written through one ``gpg --encrypt --sign`` process: the CSV goes into its stdin
in chunks and the SHA-256 of the plaintext is computed on the way, so no file is ever held in
memory or written in clear to disk. python-gnupg (``gnupg.GPG``) lists and generates the keys;
the data itself streams through the gpg binary.
"""

import hashlib
import io
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import gnupg
from django.conf import settings

DEMO_UIDS = {"agent": "Escrow Agent (demo)", "registrar": "Hostpact Registrar (demo)"}


class EscrowKeyError(Exception):
    """A key the deposit needs is missing (and may not be generated here)."""


class GpgFailed(Exception):
    """gpg refused to encrypt, decrypt or verify; the message is gpg's reason."""


@dataclass(frozen=True)
class Keys:
    home: Path
    agent: str  # the recipient (an email or fingerprint)
    registrar: str  # the signer
    registrar_fingerprints: frozenset[str]  # primary key and subkeys: a signature's VALIDSIG


def _base(home: Path) -> list[str]:
    return ["gpg", "--homedir", str(home), "--batch", "--no-tty", "--quiet"]


def _fingerprints(gpg: gnupg.GPG, uid: str, secret: bool) -> frozenset[str]:
    """The fingerprints (primary and subkeys) of the key named ``uid`` (an email address or a
    fingerprint); empty when the home has no such key."""
    found = set()
    for key in gpg.list_keys(secret=secret):  # all, filtered here: gpg fails on an unknown uid
        if uid.upper() != key["fingerprint"] and not any(
                f"<{uid.lower()}>" in u.lower() for u in key.get("uids", ())):
            continue
        found.add(key["fingerprint"])
        found.update(sub[2] for sub in key.get("subkeys", ()) if len(sub) > 2 and sub[2])
    return frozenset(found)


def _generate(gpg: gnupg.GPG, name: str, email: str) -> None:
    result = gpg.gen_key(gpg.gen_key_input(
        key_type="EDDSA", key_curve="ed25519", key_usage="sign",
        subkey_type="ECDH", subkey_curve="cv25519", subkey_usage="encrypt",
        name_real=name, name_email=email, expire_date=0, no_protection=True))
    if not result.fingerprint:
        raise EscrowKeyError(f"gpg could not generate the demo key of {email}: {result.stderr}")


def ensure_keys() -> Keys:
    """Return the deposit's keys, generating the demo pairs on first run (never in
    production); raise ``EscrowKeyError`` when a key is missing."""
    home = Path(settings.ESCROW_GNUPG_HOME)
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)  # gpg refuses (warns about) a home others can read
    gpg = gnupg.GPG(gnupghome=str(home))
    agent, registrar = settings.ESCROW_AGENT_KEY, settings.ESCROW_REGISTRAR_KEY
    wanted = (("agent", agent, False), ("registrar", registrar, True))
    for role, uid, secret in wanted:
        if _fingerprints(gpg, uid, secret):
            continue
        if settings.PRODUCTION:
            kind = "secret signing key" if secret else "public key"
            raise EscrowKeyError(f"The {role}'s {kind} {uid!r} is not in {home}: import it "
                                 "(gpg --homedir HOME --import).")
        _generate(gpg, DEMO_UIDS[role], uid)
    return Keys(home, agent, registrar, _fingerprints(gpg, registrar, False))


class EncryptedFile:
    """A file written through ``gpg --encrypt --sign`` to ``path``; ``sha256`` of the plaintext.

    Write bytes with ``write``; ``close`` waits for gpg and raises ``GpgFailed`` if it failed;
    ``abort`` stops gpg (what it wrote stays, a ``.part`` the caller removes or redoes).
    """

    def __init__(self, keys: Keys, path: Path):
        self.path = path
        self.hash = hashlib.sha256()
        self.size = 0
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close/abort
        self._proc = subprocess.Popen(
            [*_base(keys.home), "--yes", "--trust-model", "always", "--recipient", keys.agent,
             "--local-user", keys.registrar, "--encrypt", "--sign", "--output", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._errors)

    def write(self, data: bytes) -> None:
        self.hash.update(data)
        self.size += len(data)
        try:
            self._proc.stdin.write(data)
        except BrokenPipeError:
            self._fail()

    def close(self) -> str:
        """Finish the file; return the SHA-256 (hex) of what was written."""
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        if self._proc.wait():
            self._fail()
        self._errors.close()
        return self.hash.hexdigest()

    def abort(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._errors.close()

    def _fail(self):
        self._proc.wait()
        self._errors.seek(0)
        reason = self._errors.read().decode(errors="replace").strip()
        self._errors.close()
        raise GpgFailed(f"gpg could not encrypt {self.path.name}: {reason or 'no reason given'}")


class _Hashing(io.RawIOBase):
    """A readable stream over gpg's output that hashes what passes."""

    def __init__(self, raw):
        self.raw, self.hash = raw, hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self.raw.readinto(buffer)
        if n:
            self.hash.update(memoryview(buffer)[:n])
        return n


class Decrypted:
    """A deposit file decrypted as it is read: ``stream`` (bytes, hashed as read), then
    ``finish()`` checks gpg's verdict (decrypted, signed by the registrar) and returns the
    SHA-256 of the plaintext."""

    def __init__(self, keys: Keys, path: Path):
        self.keys, self.path = keys, path
        self._status = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish
        self._proc = subprocess.Popen(
            [*_base(keys.home), "--status-fd", "2", "--decrypt", str(path)],
            stdout=subprocess.PIPE, stderr=self._status)
        self._hashing = _Hashing(self._proc.stdout)
        self.stream = io.BufferedReader(self._hashing, buffer_size=1 << 16)

    def finish(self) -> str:
        while self.stream.read(1 << 16):  # what the reader left: gpg finishes, the hash is whole
            pass
        code = self._proc.wait()
        self._status.seek(0)
        status = self._status.read().decode(errors="replace")
        self._status.close()
        lines = [line.split() for line in status.splitlines() if line.startswith("[GNUPG:]")]
        words = {parts[1] for parts in lines if len(parts) > 1}
        signers = {parts[2] for parts in lines if len(parts) > 2 and parts[1] == "VALIDSIG"}
        if code or "DECRYPTION_OKAY" not in words:
            raise GpgFailed(f"{self.path.name} does not decrypt with the configured key")
        if "BADSIG" in words or "GOODSIG" not in words:
            raise GpgFailed(f"{self.path.name} has no good signature")
        if not signers & self.keys.registrar_fingerprints:
            raise GpgFailed(f"{self.path.name} is not signed by the registrar's key "
                            f"{self.keys.registrar}")
        return self._hashing.hash.hexdigest()

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if not self._status.closed:
            self._status.close()
