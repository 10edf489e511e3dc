"""Tools of the escrow tests: the gpg binary on the test keys, and the files of a deposit.

``reseal`` re-encrypts and re-signs a file's new content with the gpg binary, as someone
holding both keys could: how the tests forge a deposit whose signatures are good but whose
content is wrong.
"""

import datetime
import subprocess
from pathlib import Path

START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def gpg_run(home: Path, *args, data: bytes | None = None) -> subprocess.CompletedProcess:
    """The gpg binary on the test home."""
    return subprocess.run(["gpg", "--homedir", str(home), "--batch", "--no-tty", *args],
                          input=data, capture_output=True, check=False)


def decrypt(home: Path, path: Path) -> str:
    proc = gpg_run(home, "--quiet", "--decrypt", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def reseal(home: Path, path: Path, text: str, *, sign: bool = True) -> None:
    """Replace ``path`` by ``text`` encrypted to the agent (and signed by the registrar)."""
    signing = ["--local-user", "registrar@hostpact.test", "--sign"] if sign else []
    proc = gpg_run(home, "--yes", "--trust-model", "always", "--recipient",
                   "escrow@hostpact.test", *signing, "--encrypt", "--output", str(path),
                   data=text.encode())
    assert proc.returncode == 0, proc.stderr.decode()


def files_of(directory: Path) -> dict[str, Path]:
    """The deposit's files by type token (full_1, hdl_1, pp_1, full_hash, ...)."""
    out = {}
    for p in sorted(directory.iterdir()):
        token = p.name.split("_RDE_", 1)[1].split("_", 1)[1]
        out[token.removesuffix(".gpg").removesuffix(".csv").removesuffix(".txt")] = p
    return out
