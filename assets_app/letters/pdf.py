"""A letter as PDF: rendered from its stored fields (drafts carry a DRAF watermark), stored once
signed under instance/letters/ by SHA-256, and served verified against that hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.extensions import db
from assets_app.letters.models import Letter


def letter_document(letter: Letter):
    from assets_app.letters.settings import logo_file
    from reports.letter_pdf import LetterDoc, LetterKop

    kop = letter.kop or {}
    tembusan = tuple(t.strip() for t in (letter.tembusan or "").splitlines() if t.strip())
    return LetterDoc(
        kop=LetterKop(
            pemerintah=kop.get("pemerintah", ""),
            dinas=kop.get("dinas", ""),
            address=kop.get("address", ""),
            contact=kop.get("contact", ""),
            logo=logo_file(kop.get("logo")),
        ),
        place=kop.get("city", ""),
        letter_date=letter.letter_date,
        number=letter.number,
        sifat=letter.sifat_label,
        lampiran=letter.lampiran,
        perihal=letter.perihal,
        recipient=letter.recipient,
        recipient_place=letter.recipient_place,
        body=letter.body,
        signer_position=letter.signer_position or "",
        signer_name=letter.signer_name or "",
        signer_nip=letter.signer_nip or "",
        signer_rank=letter.signer_rank or "",
        signer_line=letter.signer_line or "",
        tembusan=tembusan,
        draft=letter.status == "draf",
    )


def render_letter_pdf(letter: Letter) -> bytes:
    """The letter as PDF (drafts carry a DRAF watermark). Incoming letters have no PDF here."""
    from reports.letter_pdf import render_letter_pdf as render

    if letter.direction != "keluar":
        raise ValidationFailed("Surat masuk tidak dibuat sebagai PDF di sini.")
    return render(letter_document(letter))


def _storage_root() -> Path:
    return Path(current_app.instance_path) / "letters"


def store_letter_pdf(letter: Letter) -> str:
    """Renders the signed letter once and keeps it under instance/letters/ by SHA-256."""
    data = render_letter_pdf(letter)
    sha = hashlib.sha256(data).hexdigest()
    rel = f"{sha[:2]}/{sha}.pdf"
    path = _storage_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    letter.pdf_sha256 = sha
    letter.pdf_path = rel
    db.session.flush()
    return sha


# (magic prefix, content type, extension) of a scanned incoming letter
SCAN_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
SCAN_MAX_BYTES = 5 * 1024 * 1024
MIMETYPES = {ext: ctype for _, ctype, ext in SCAN_SIGNATURES}


def scan_kind(data: bytes) -> str | None:
    """The extension of a scan by its content (PDF, JPEG, PNG), None for anything else."""
    return next((ext for magic, _, ext in SCAN_SIGNATURES if data.startswith(magic)), None)


def store_scan(letter: Letter, data: bytes, ext: str) -> str:
    """Keeps the scan of an incoming letter under instance/letters/ by SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    rel = f"{sha[:2]}/{sha}.{ext}"
    path = _storage_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    letter.pdf_sha256, letter.pdf_path = sha, rel
    db.session.flush()
    return sha


def letter_file(letter: Letter) -> tuple[bytes, str]:
    """(bytes, content type) of a letter: the stored PDF of an outgoing letter (a draft's is
    rendered afresh), the stored scan of an incoming one (NotFound when none was uploaded)."""
    if letter.direction == "keluar":
        return letter_pdf_bytes(letter), "application/pdf"
    path = _storage_root() / letter.pdf_path if letter.pdf_path else None
    if path is None or not path.exists():
        raise NotFound("Surat masuk ini tidak memiliki berkas pindaian.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != letter.pdf_sha256:
        raise NotFound("Berkas pindaian surat ini tidak cocok dengan SHA-256-nya.")
    return data, MIMETYPES.get(path.suffix.lstrip("."), "application/octet-stream")


def letter_pdf_bytes(letter: Letter) -> bytes:
    """The stored PDF of a signed letter (verified against its SHA-256), else a fresh render."""
    if letter.pdf_path and letter.pdf_sha256:
        path = _storage_root() / letter.pdf_path
        if path.exists():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == letter.pdf_sha256:
                return data
    return render_letter_pdf(letter)
