"""Helpers of the advertising tests: attributes, a PNG header, a crowd split by gender."""

import datetime
import struct
import zlib
from dataclasses import dataclass

DAY = datetime.date(2026, 3, 2)


@dataclass(frozen=True)
class Attrs:
    """The fields of ``hostpact.audiences.queries.Attributes`` this app reads."""

    subject_id: object
    age_band: str | None = None
    gender: str | None = None
    country: str | None = "IN"
    org_type: str | None = None
    org_size: str | None = None
    products: frozenset = frozenset()


def png(width=10, height=10, extra=0) -> bytes:
    """Return a PNG header of the given size (enough for the upload checks) and ``extra``
    bytes of padding."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\0" * extra)


def gender_split(crowd, males: int) -> dict:
    """The first ``males`` of the crowd male, the rest female, all aged 25-34."""
    return {sid: Attrs(sid, gender="male" if i < males else "female", age_band="25-34")
            for i, (_uid, sid) in enumerate(crowd)}
