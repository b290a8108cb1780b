"""`/api/v1/letters`: the letters of every subject (tickets, blanko requests) end to end —
list, one letter, its PDF, sign (kadis; numbers it and stores the PDF with SHA-256), record it
sent, record the incoming reply. Same services, scope and roles as the web."""

from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask_login import current_user

from assets_app.api.auth import require_api
from assets_app.api.base import Blueprint, PageArgs, Timestamps, paginated
from assets_app.api.schemas import Day, Int, Moment, list_filters, one_of
from assets_app.letters import pdf as letter_pdf
from assets_app.letters import queries, services, vocab

blp = Blueprint("api_letters", __name__, url_prefix="/api/v1/letters", description="Surat dinas")


class LetterArgs(PageArgs):
    direction = one_of(vocab.LETTER_DIRECTION, load_default=None)
    status = one_of(vocab.LETTER_STATUS, load_default=None)
    subject_type = one_of(vocab.SUBJECT_TYPES, load_default=None)
    q = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))


class LetterRecordOut(Timestamps):
    region_code = ma.fields.String()
    direction = ma.fields.String()
    status = ma.fields.String()
    number = ma.fields.String(allow_none=True)
    classification = ma.fields.String(allow_none=True)
    letter_date = Day(allow_none=True)
    sifat = ma.fields.String()
    lampiran = ma.fields.String()
    perihal = ma.fields.String()
    sender = ma.fields.String(allow_none=True)
    recipient = ma.fields.String()
    recipient_place = ma.fields.String(allow_none=True)
    body = ma.fields.String()
    tembusan = ma.fields.String(allow_none=True)
    signer_name = ma.fields.String(allow_none=True)
    signer_position = ma.fields.String(allow_none=True)
    subject_type = ma.fields.String(allow_none=True)
    subject_id = Int(allow_none=True)
    in_reply_to_id = Int(allow_none=True)
    signed_by_id = Int(allow_none=True)
    signed_at = Moment(allow_none=True)
    sent_on = Day(allow_none=True)
    received_on = Day(allow_none=True)
    channel = ma.fields.String(allow_none=True)
    replied_on = Day(allow_none=True)
    reply_summary = ma.fields.String(allow_none=True)
    pdf_sha256 = ma.fields.String(allow_none=True)


class LetterDetailOut(LetterRecordOut):
    replies = ma.fields.List(ma.fields.Nested(LetterRecordOut), dump_default=list)


class _WithReplies:
    """A letter plus its replies, for LetterDetailOut to dump."""

    def __init__(self, letter, replies):
        self._letter, self.replies = letter, replies

    def __getattr__(self, name):
        return getattr(self._letter, name)


class SignIn(ma.Schema):
    """Signing takes no fields (the kadis is the token's user, the date today unless the
    draft has one); a body, if sent, is still checked like every other."""


class SendIn(ma.Schema):
    sent_on = Day(required=True)
    via = one_of(vocab.LETTER_CHANNEL, required=True)


class ReplyIn(ma.Schema):
    number = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    letter_date = Day(required=True)
    perihal = ma.fields.String(required=True, validate=ma.validate.Length(max=300))
    sender = ma.fields.String(load_default=None, allow_none=True)
    received_on = Day(load_default=None, allow_none=True)
    file = ma.fields.String(load_default=None, allow_none=True)
    file_name = ma.fields.String(load_default=None, allow_none=True)


@blp.route("")
@blp.arguments(LetterArgs, location="query")
@blp.response(200, LetterRecordOut(many=True))
def list_letters(args):
    """Surat dalam cakupan, terbaru dulu; filter `region` (subtree), `direction`
    (`keluar`/`masuk`), `status`, `subject_type` (`ticket`, `blanko_request`), `q`."""
    require_api("letters.view")
    return paginated(queries.letters_query(current_user, **list_filters(args)), args)


@blp.route("/<int:letter_id>")
@blp.response(200, LetterDetailOut)
def get_letter(letter_id):
    """Satu surat beserta surat balasan yang tercatat (`replies`)."""
    require_api("letters.view")
    letter = queries.get_letter_or_404(letter_id, current_user)
    return _WithReplies(letter, queries.replies_to(letter))


@blp.route("/<int:letter_id>/pdf")
@blp.response(200, content_type="application/pdf")
def get_pdf(letter_id):
    """PDF surat keluar: yang tersimpan saat ditandatangani (SHA-256 = `pdf_sha256`); draf
    dibuat ulang dengan tanda DRAF. Surat masuk: berkas pindaian yang diunggah (PDF/JPEG/PNG)."""
    require_api("letters.view")
    letter = queries.get_letter_or_404(letter_id, current_user)
    data, mimetype = letter_pdf.letter_file(letter)
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "private, no-store"})


@blp.route("/<int:letter_id>/sign", methods=["POST"])
@blp.arguments(SignIn)
@blp.response(200, LetterRecordOut)
def sign(_data, letter_id):
    """Kepala dinas menandatangani draf: nomor dari pola dan urutan tahunan Dinas, PDF disimpan
    beserta SHA-256. Peran lain 403."""
    require_api("letters.sign")
    letter = queries.get_letter_or_404(letter_id, current_user)
    return services.sign_letter(letter, current_user)


@blp.route("/<int:letter_id>/send", methods=["POST"])
@blp.arguments(SendIn)
@blp.response(200, LetterRecordOut)
def send(data, letter_id):
    """Mencatat surat yang sudah ditandatangani sebagai terkirim: `sent_on`, `via`."""
    require_api("letters.write")
    letter = queries.get_letter_or_404(letter_id, current_user)
    return services.mark_sent(letter, current_user, data["sent_on"], data["via"])


@blp.route("/<int:letter_id>/reply", methods=["POST"])
@blp.arguments(ReplyIn)
@blp.response(201, LetterRecordOut)
def reply(data, letter_id):
    """Mencatat surat balasan yang masuk atas surat keluar yang terkirim: `number`,
    `letter_date`, `perihal`, opsional `sender`, `received_on`, dan `file` (isi berkas PDF/JPEG/
    PNG dalam base64, diperiksa dari isinya) dengan `file_name`. Mengembalikan surat balasan."""
    require_api("letters.write")
    letter = queries.get_letter_or_404(letter_id, current_user)
    return services.record_incoming_reply(letter, by=current_user, **data)
