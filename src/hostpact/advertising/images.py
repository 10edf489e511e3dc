"""What an uploaded creative really is, read from its bytes, without an imaging library.

The platform has no Pillow (requirements/base.txt), and needs none: an image's type is in its
first bytes and its size in its header. This module reads both for PNG, GIF, JPEG and WebP and
refuses anything else, so a file named ``ad.png`` that is a script or a PDF never reaches a
page. It decodes nothing else: the bytes are served as uploaded, under the type found here.
"""

import struct
from dataclasses import dataclass


class NotAnImage(ValueError):
    """The bytes are not a PNG, GIF, JPEG or WebP image whose size can be read."""


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    extension: str
    width: int
    height: int


def _png(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise NotAnImage("The PNG file has no image header.")
    return struct.unpack(">II", data[16:24])


def _gif(data: bytes) -> tuple[int, int]:
    if len(data) < 10:
        raise NotAnImage("The GIF file is cut short.")
    return struct.unpack("<HH", data[6:10])


# JPEG start-of-frame markers (baseline, progressive, lossless...): not DHT, JPG or DAC.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> tuple[int, int]:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise NotAnImage("The JPEG file is damaged (a segment does not start with 0xFF).")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker in _SOF:
            if i + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        if marker == 0xD9 or length < 2:
            break
        i += 2 + length
    raise NotAnImage("The JPEG file has no frame header.")


def _webp(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise NotAnImage("The WebP file has no image header we can read.")


def inspect(data: bytes) -> ImageInfo:
    """Return the type and size of ``data``; raise ``NotAnImage`` for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind, w_h = ("image/png", "png"), _png(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        kind, w_h = ("image/gif", "gif"), _gif(data)
    elif data.startswith(b"\xff\xd8\xff"):
        kind, w_h = ("image/jpeg", "jpg"), _jpeg(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind, w_h = ("image/webp", "webp"), _webp(data)
    else:
        raise NotAnImage("The file is not a PNG, JPEG, GIF or WebP image.")
    width, height = w_h
    if not (width and height):
        raise NotAnImage("The image header gives no size.")
    return ImageInfo(kind[0], kind[1], width, height)
