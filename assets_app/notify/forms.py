from __future__ import annotations

from flask_wtf import FlaskForm

from assets_app.common.validate import TextField
from assets_app.notify import vocab


class ContactForm(FlaskForm):
    email = TextField("E-mail", max_len=254)
    phone = TextField("Nomor WhatsApp (08…, 62… atau +62…)", max_len=30)


class ChannelsForm(FlaskForm):
    """Carries the CSRF token; the kind × channel checkboxes are named `ch_<kind>`."""


def chosen_channels(formdata) -> dict[str, list[str]]:
    """{kind: [channels]} from the checkbox grid (an unticked kind → no external channel)."""
    return {kind: formdata.getlist(f"ch_{kind}") for kind in vocab.KINDS}
