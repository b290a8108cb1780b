"""Training materials: one uploaded PDF/DOCX/PPTX/XLSX per session, its content checked."""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from assets_app.common.errors import NotFound, ValidationFailed
from assets_app.training.models import Training

MAX_MATERIALS_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str | None
    data: bytes


MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_DIR = {".docx": "word/", ".pptx": "ppt/", ".xlsx": "xl/"}


def _looks_like(ext: str, data: bytes) -> bool:
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(_OOXML_DIR[ext]) for n in names)


def check_materials(upload: UploadedFile) -> str:
    """Returns the extension; refuses anything not a real PDF/DOCX/PPTX/XLSX (content checked)."""
    name = Path(upload.filename or "").name
    ext = Path(name).suffix.lower()
    if ext not in MATERIAL_TYPES:
        raise ValidationFailed(
            errors={"materials": ["Materi harus berkas PDF, DOCX, PPTX atau XLSX."]}
        )
    if not upload.data:
        raise ValidationFailed(errors={"materials": ["Berkas materi kosong."]})
    if len(upload.data) > MAX_MATERIALS_BYTES:
        raise ValidationFailed(errors={"materials": ["Berkas materi maksimal 10 MB."]})
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared and declared not in ("application/octet-stream", MATERIAL_TYPES[ext]):
        raise ValidationFailed(
            errors={"materials": [f"Jenis berkas ({declared}) tidak sesuai dengan ekstensi {ext}."]}
        )
    if not _looks_like(ext, upload.data):
        raise ValidationFailed(
            errors={"materials": [f"Isi berkas bukan {ext.lstrip('.').upper()} yang sah."]}
        )
    return ext


def materials_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "training"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attach_materials(training: Training, upload: UploadedFile) -> None:
    ext = check_materials(upload)
    stored = secrets.token_hex(16) + ext
    (materials_dir() / stored).write_bytes(upload.data)
    training.materials_name = Path(upload.filename).name[:200]
    training.materials_file = stored
    training.materials_type = MATERIAL_TYPES[ext]
    training.materials_size = len(upload.data)


def get_materials_path(training: Training) -> Path:
    """The stored file of the session's materials; `NotFound` when there is none."""
    path = materials_dir() / training.materials_file if training.materials_file else None
    if path is None or not path.is_file():
        raise NotFound("Sesi ini tidak memiliki berkas materi.")
    return path
