"""Ticket attachments: type by content (magic bytes), size cap, content-addressed storage under
`instance/uploads/tickets/<first two hex of SHA-256>/<sha256>.<ext>`.

Validation of every file comes first; nothing is written unless all files pass. Files written
by a request that is then rolled back are removed at its end (`discard_unsaved_files`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from assets_app.common.errors import ValidationFailed
from assets_app.extensions import db
from assets_app.tickets.models import TicketAttachment

# (magic prefix, content type, extension)
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str
    extension: str
    sha256: str


def max_bytes() -> int:
    return int(current_app.config.get("TICKET_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, ctype, ext in SIGNATURES:
        if data.startswith(magic):
            return ctype, ext
    return None


def safe_name(name: str) -> str:
    base = Path(name or "").name
    base = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", base).strip(" .") or "berkas"
    return base[-120:]


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",").replace(",0", "") + " MB"


def validate_files(files, field: str = "attachments") -> list[Upload]:
    """`files`: (filename, bytes) pairs. Returns checked uploads or raises with every problem."""
    files = [(n, d) for n, d in files if n or d]
    errors: list[str] = []
    if len(files) > MAX_FILES:
        raise ValidationFailed(errors={field: [f"Paling banyak {MAX_FILES} berkas sekaligus."]})
    limit = max_bytes()
    out: list[Upload] = []
    for name, data in files:
        shown = safe_name(name)
        if not data:
            errors.append(f"{shown}: berkas kosong (0 byte).")
            continue
        if len(data) > limit:
            errors.append(f"{shown}: ukuran {_mb(len(data))} melebihi batas {_mb(limit)}.")
            continue
        kind = sniff(data)
        if kind is None:
            errors.append(
                f"{shown}: jenis berkas tidak diterima; hanya foto JPEG/PNG atau PDF "
                "(diperiksa dari isi berkas, bukan nama)."
            )
            continue
        ctype, ext = kind
        out.append(Upload(shown, data, ctype, ext, hashlib.sha256(data).hexdigest()))
    if errors:
        raise ValidationFailed(errors={field: errors})
    return out


def storage_root() -> Path:
    return Path(current_app.instance_path) / "uploads" / "tickets"


def relative_path(upload: Upload) -> str:
    return f"{upload.sha256[:2]}/{upload.sha256}.{upload.extension}"


def write(upload: Upload) -> tuple[str, bool]:
    """Stores the bytes once per content; returns (relative path, whether newly written)."""
    rel = relative_path(upload)
    path = storage_root() / rel
    if path.exists():
        return rel, False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(upload.data)
    tmp.replace(path)
    return rel, True


def absolute(rel: str) -> Path:
    root = storage_root().resolve()
    path = (root / rel).resolve()
    if root not in path.parents:
        raise ValueError("path outside storage")
    return path


def discard_new_files(paths: list[str]) -> None:
    for rel in paths:
        with contextlib.suppress(ValueError):
            absolute(rel).unlink(missing_ok=True)


def _new_files() -> list[str]:
    if not has_app_context():
        return []
    if "_ticket_new_files" not in g:
        g._ticket_new_files = []
    return g._ticket_new_files


def store(ticket, uploads: list[Upload], by, at) -> list[TicketAttachment]:
    """Writes the files (content-addressed) and adds a row for each; the files this request
    wrote anew are remembered so a rollback does not leave them behind."""
    saved = []
    for up in uploads:
        rel, new = write(up)
        if new:
            _new_files().append(rel)
        att = TicketAttachment(
            ticket_id=ticket.id,
            filename=up.filename,
            content_type=up.content_type,
            size=len(up.data),
            sha256=up.sha256,
            stored_path=rel,
            uploaded_by_id=getattr(by, "id", None),
            created_at=at,
        )
        db.session.add(att)
        saved.append(att)
    return saved


def discard_unsaved_files(exc=None) -> None:
    """At the end of a request (after its commit or rollback): removes the files it wrote that
    no saved row references, e.g. those of a refused form. Registered in `tickets.init_app`."""
    paths = list(_new_files())
    _new_files().clear()
    if not paths:
        return
    if exc is not None:  # the request failed: nothing of it was saved
        discard_new_files(paths)
        return
    stmt = sa.select(TicketAttachment.stored_path).where(TicketAttachment.stored_path.in_(paths))
    keep = set(db.session.scalars(stmt))
    discard_new_files([p for p in paths if p not in keep])
