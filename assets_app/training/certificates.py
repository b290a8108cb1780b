"""Certificates: numbering and issue on passing, the public verification record, and the
wording of the PDF certificate (issuer, unit, place)."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.exc import IntegrityError

from assets_app.common import vocab
from assets_app.common.errors import ValidationFailed
from assets_app.common.timeutil import today_wib
from assets_app.extensions import db
from assets_app.letters import services as letters
from assets_app.officials import services as officials
from assets_app.regions.models import Region
from assets_app.training.models import (
    Attendance,
    CertificateCounter,
    CertificateTopic,
    Operator,
    Training,
)
from assets_app.training.queries import region_label
from assets_app.training.settings import validity_months

TOPICS = tuple(vocab.TRAINING_TOPIC)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_certificate_no(year: int) -> str:
    """SERT/<year>/<6-digit sequence>; the counter row is bumped atomically (no duplicates)."""
    bump = (
        sa.update(CertificateCounter)
        .where(CertificateCounter.year == year)
        .values(last_no=CertificateCounter.last_no + 1)
        .returning(CertificateCounter.last_no)
        .execution_options(synchronize_session=False)
    )
    number = db.session.execute(bump).scalar()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(CertificateCounter).values(year=year, last_no=1))
            number = 1
        except IntegrityError:
            number = db.session.execute(bump).scalar()
    return f"SERT/{year}/{number:06d}"


def issue_certificate(att: Attendance, training: Training) -> None:
    months = validity_months(training.region_code)  # the setting of the training's kab/kota
    issued = training.ends_on
    att.issued_on = issued
    att.document = officials.snapshot(training.region_code, "sertifikat", issued)
    att.certificate_no = _next_certificate_no(issued.year)
    att.verify_token = secrets.token_urlsafe(18)[:24]
    rows = []
    for topic in training.topics:
        until = add_months(issued, months[topic]) - timedelta(days=1)
        rows.append(
            CertificateTopic(
                attendance_id=att.id, operator_id=att.operator_id, topic=topic, valid_until=until
            )
        )
    db.session.add_all(rows)
    att.valid_until = max((r.valid_until for r in rows), default=None)


def verify_url(token: str) -> str:
    """The public verification page of a certificate (`PUBLIC_BASE_URL` when configured)."""
    from assets_app.core.public_url import base_url

    base = base_url()
    if base:
        return base.rstrip("/") + url_for("training_public.certificate", token=token)
    return url_for("training_public.certificate", token=token, _external=True)


def _topics_of(att: Attendance) -> list[tuple[str, date]]:
    """(topic, valid_until) of one certificate, in vocabulary order."""
    rows = db.session.execute(
        sa.select(CertificateTopic.topic, CertificateTopic.valid_until).where(
            CertificateTopic.attendance_id == att.id
        )
    ).all()
    return sorted(((t, v) for t, v in rows), key=lambda r: TOPICS.index(r[0]))


@dataclass(frozen=True)
class PublicCertificate:
    """Exactly what the public page may show: no NIP, phone, position, kecamatan or score."""

    certificate_no: str
    name: str
    topics: tuple[tuple[str, date], ...]  # (label, valid_until)
    starts_on: date
    ends_on: date
    issued_on: date
    valid_until: date
    status: str  # berlaku | kedaluwarsa | dicabut
    status_label: str


def public_certificate(token: str, today: date | None = None) -> PublicCertificate | None:
    today = today or today_wib()
    if not token or len(token) > 40:
        return None
    att = db.session.scalar(sa.select(Attendance).where(Attendance.verify_token == token))
    if att is None or att.certificate_no is None:
        return None
    op = db.session.get(Operator, att.operator_id)
    training = db.session.get(Training, att.training_id)
    topics = _topics_of(att)
    valid_until = max((v for _, v in topics), default=att.valid_until or att.issued_on)
    if not att.passed:
        status, label = "dicabut", "Tidak berlaku (kelulusan dibatalkan)"
    elif valid_until < today:
        status, label = "kedaluwarsa", "Kedaluwarsa"
    else:
        status, label = "berlaku", "Berlaku"
    return PublicCertificate(
        certificate_no=att.certificate_no,
        name=op.name,
        topics=tuple((vocab.label(vocab.TRAINING_TOPIC, t), v) for t, v in topics),
        starts_on=training.starts_on,
        ends_on=training.ends_on,
        issued_on=att.issued_on,
        valid_until=valid_until,
        status=status,
        status_label=label,
    )


def certificate_document(att: Attendance, verify_url: str):
    """The frozen input of reports.certificate_pdf for one passed attendee."""
    from reports.certificate_pdf import CertificateTopicLine, TrainingCertificate

    if not att.passed or att.certificate_no is None:
        raise ValidationFailed(
            errors={"_schema": ["Peserta ini belum lulus: tidak ada sertifikat."]}
        )
    op = db.session.get(Operator, att.operator_id)
    training = db.session.get(Training, att.training_id)
    regions = {
        r.code: r
        for r in db.session.scalars(
            sa.select(Region).where(Region.code.in_({op.region_code, training.region_code}))
        )
    }
    organiser_region = regions.get(training.region_code)
    op_region = regions.get(op.region_code)
    return TrainingCertificate(
        certificate_no=att.certificate_no,
        name=op.name,
        nip=op.nip,
        position=op.position,
        unit=region_label(op_region) if op_region else op.region_code,
        training_title=training.title,
        topics=tuple(
            CertificateTopicLine(vocab.label(vocab.TRAINING_TOPIC, t), v)
            for t, v in _topics_of(att)
        ),
        starts_on=training.starts_on,
        ends_on=training.ends_on,
        place=training.place,
        organiser=training.organiser_label,
        trainer=training.trainer,
        score=att.score,
        issuer=_issuer(organiser_region),
        issued_on=att.issued_on,
        issued_place=_issued_place(organiser_region),
        verify_url=verify_url,
        **_signed_with(att, training),
    )


def _signed_with(att: Attendance, training: Training) -> dict:
    """The kop and the official the certificate was issued with (older ones: today's)."""
    from reports._kop import kop_of, signatory_of

    if officials.kabkota_or_none(training.region_code) is None:
        return {}
    snap = att.document or officials.snapshot(training.region_code, "sertifikat", att.issued_on)
    kop = snap.get("kop") or {}
    return {
        "kop": kop_of(kop, letters.logo_file(kop.get("logo"))),
        "signatory": signatory_of(snap.get("signatory")),
    }


def _issuer(organiser: Region | None) -> str:
    """The Dinas that signs: the organiser's kab/kota, or the province's."""
    if organiser is not None and organiser.level == "kabkota":
        return f"Dinas Kependudukan dan Pencatatan Sipil {organiser.name}"
    if organiser is not None:
        return f"Dinas Kependudukan dan Pencatatan Sipil Provinsi {organiser.name}"
    return "Dinas Kependudukan dan Pencatatan Sipil"


def _issued_place(organiser: Region | None) -> str:
    """ "Bondowoso" of "Kabupaten Bondowoso": the place beside the signature's date."""
    if organiser is None:
        return ""
    return organiser.name.replace("Kabupaten ", "").replace("Kota ", "")
