"""A letter as PDF: rendered from its stored fields (drafts carry a DRAF watermark), stored once
signed under instance/letters/ by SHA-256, and served verified against that hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from assets_app.common.errors import ValidationFailed
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


def letter_pdf_bytes(letter: Letter) -> bytes:
    """The stored PDF of a signed letter (verified against its SHA-256), else a fresh render."""
    if letter.pdf_path and letter.pdf_sha256:
        path = _storage_root() / letter.pdf_path
        if path.exists():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == letter.pdf_sha256:
                return data
    return render_letter_pdf(letter)
