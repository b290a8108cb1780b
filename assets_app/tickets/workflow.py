"""The ticket workflow as data: who may move a ticket from which status to which, and the
urgency × impact priority matrix. Pure: services and tests read these tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assets_app.common import vocab
from assets_app.common.permissions import ROLE_LABELS

REOPEN_WINDOW = timedelta(days=14)
HANDLERS = frozenset({"petugas", "kadis", "admin"})
# Close and reopen belong to the kecamatan (any camat of the ticket's kecamatan, the reporter)
# and to the kadis/admin; petugas resolve but do not close their own work.
KECAMATAN_SIDE = frozenset({"camat", "kadis", "admin"})


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    label: str  # the button
    roles: frozenset[str]
    reporter_may: bool = False  # the reporter may, whatever their role
    note_required: bool = False
    note_hint: str = ""


STEPS: tuple[Step, ...] = (
    Step("baru", "diterima", "Terima tiket", HANDLERS),
    Step("diterima", "dikerjakan", "Mulai kerjakan", HANDLERS),
    Step(
        "dikerjakan",
        "menunggu_pihak_ketiga",
        "Tunggu pihak ketiga",
        HANDLERS,
        note_required=True,
        note_hint="Apa yang ditunggu dari pihak ketiga?",
    ),
    Step("menunggu_pihak_ketiga", "dikerjakan", "Lanjutkan pengerjaan", HANDLERS),
    Step(
        "dikerjakan",
        "selesai",
        "Selesaikan",
        HANDLERS,
        note_required=True,
        note_hint="Apa yang diperbaiki?",
    ),
    Step(
        "menunggu_pihak_ketiga",
        "selesai",
        "Selesaikan",
        HANDLERS,
        note_required=True,
        note_hint="Apa yang diperbaiki?",
    ),
    Step("selesai", "ditutup", "Tutup tiket", KECAMATAN_SIDE, reporter_may=True),
    Step(
        "selesai",
        "dikerjakan",
        "Buka kembali",
        KECAMATAN_SIDE,
        reporter_may=True,
        note_required=True,
        note_hint="Mengapa masalah belum selesai?",
    ),
)
STEP_BY_PAIR = {(s.source, s.target): s for s in STEPS}

# A wait names who is awaited: anyone but the Dinas itself.
THIRD_PARTIES = tuple(p for p in vocab.RESPONSIBLE_PARTY if p != "disdukcapil")


def is_reopen(source: str, target: str) -> bool:
    return source == "selesai" and target == "dikerjakan"


def step_allowed(step: Step, *, role: str, is_reporter: bool) -> bool:
    return role in step.roles or (step.reporter_may and is_reporter)


def refusal(
    source: str,
    target: str,
    *,
    role: str,
    is_reporter: bool,
    resolved_at: datetime | None,
    now: datetime,
) -> str | None:
    """None when allowed; otherwise the Indonesian reason shown to the user."""
    label = vocab.TICKET_STATUS
    if target not in label:
        return f"Status tujuan '{target}' tidak dikenal."
    step = STEP_BY_PAIR.get((source, target))
    if step is None:
        nexts = [label[s.target] for s in STEPS if s.source == source]
        hint = (
            f" Langkah yang mungkin dari {label[source]}: {', '.join(dict.fromkeys(nexts))}."
            if nexts
            else f" Tiket berstatus {label[source]} sudah final."
        )
        return f"Tiket berstatus {label[source]} tidak dapat diubah menjadi {label[target]}.{hint}"
    if not step_allowed(step, role=role, is_reporter=is_reporter):
        return (
            f"Peran {ROLE_LABELS.get(role, role)} tidak boleh mengubah tiket dari "
            f"{label[source]} menjadi {label[target]}."
        )
    if is_reopen(source, target) and resolved_at is not None and now - resolved_at > REOPEN_WINDOW:
        return (
            "Tiket hanya dapat dibuka kembali dalam 14 hari setelah diselesaikan; "
            "buat tiket baru untuk masalah ini."
        )
    return None


# urgency × impact → priority (ITIL-style matrix).
PRIORITY_MATRIX = {
    ("tinggi", "tinggi"): "kritis",
    ("tinggi", "sedang"): "tinggi",
    ("sedang", "tinggi"): "tinggi",
    ("tinggi", "rendah"): "sedang",
    ("rendah", "tinggi"): "sedang",
    ("sedang", "sedang"): "sedang",
    ("sedang", "rendah"): "rendah",
    ("rendah", "sedang"): "rendah",
    ("rendah", "rendah"): "rendah",
}


def priority_for(urgency: str, impact: str) -> str:
    return PRIORITY_MATRIX[(urgency, impact)]
