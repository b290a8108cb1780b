"""A photo of a find: checked by its content (a JPEG or PNG, not the name or the browser's
type) and limited in size before it is stored."""

from __future__ import annotations

import struct

from flask import current_app

from assets_app.common.errors import ValidationFailed

DEFAULT_MAX_BYTES = 3 * 1024 * 1024


def max_bytes() -> int:
    return int(current_app.config.get("INVENTORY_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def image_type(data: bytes) -> str | None:
    """ "image/jpeg" or "image/png" when `data` is built like one, else None."""
    if data[:3] == b"\xff\xd8\xff" and data.rstrip(b"\x00")[-2:] == b"\xff\xd9":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) > 33:
        width, height = struct.unpack(">II", data[16:24])
        if 0 < width <= 20000 and 0 < height <= 20000 and data[-8:-4] == b"IEND":
            return "image/png"
    return None


def check_photo(data: bytes | None, field: str = "photo") -> tuple[bytes, str] | None:
    """(bytes, content type) of an acceptable photo, None for no photo; else 422."""
    if not data:
        return None
    limit = max_bytes()
    if len(data) > limit:
        mb = f"{limit / (1024 * 1024):.0f}".replace(".", ",")
        raise ValidationFailed(errors={field: [f"Foto terlalu besar (maksimal {mb} MB)."]})
    kind = image_type(data)
    if kind is None:
        raise ValidationFailed(errors={field: ["Foto harus berkas gambar JPEG atau PNG."]})
    return data, kind
