from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField

from assets_app.common.validate import ChoiceField, DateInput, Required
from assets_app.hearing.period import default_period, parse_day
from assets_app.hearing.services import SCOPE_LEVELS
from assets_app.regions.services import region_choices


class PeriodDay(DateInput):
    """One end of the period; the message names which end ("Tanggal mulai tidak valid")."""

    def __init__(self, label, end_word: str, **kw):
        super().__init__(label, [Required(f"Tanggal {end_word} wajib diisi.")], **kw)
        self.end_word = end_word

    def parse(self, text):
        return parse_day(text, self.end_word)


class PacketForm(FlaskForm):
    """The area (scope and level checked by the service) and the period."""

    region = ChoiceField("Wilayah", [Required("Wilayah wajib diisi.")])
    start = PeriodDay("Periode mulai", "mulai")
    end = PeriodDay("Periode selesai", "selesai")


def packet_form(user) -> PacketForm:
    """The form with the user's areas; a new form starts at the user's scope, last 30 days."""
    form = PacketForm()
    form.region.choices = [("", "— pilih wilayah —"), *region_choices(user, SCOPE_LEVELS)]
    if not form.is_submitted():
        form.region.data = user.region_code or ""
        form.start.data, form.end.data = default_period()
    return form


class VerifyForm(FlaskForm):
    file = FileField("Berkas PDF atau XLSX paket")
