"""Groups of form fields that more than one domain's forms declare alike."""

from __future__ import annotations

from assets_app.common.validate import NoteField, TextField


class LetterTextFields:
    """The wording of an outgoing letter, the same on a draft (letters) and on a letter written
    from a ticket; each form adds its own `sifat` and dates."""

    recipient = NoteField("Yth. (penerima)", render_kw={"rows": 2})
    recipient_place = TextField("di (tempat)")
    perihal = TextField("Hal (perihal)")
    classification = TextField("Kode klasifikasi", render_kw={"list": "klasifikasi"})
    lampiran = TextField("Lampiran")
    body = NoteField("Isi surat", render_kw={"rows": 16})
    tembusan = NoteField("Tembusan (satu per baris)", render_kw={"rows": 2})
