"""The one validation layer: raw input (form text, JSON value, spreadsheet cell) → typed value,
or an Indonesian message saying what is wrong with it.

The `parse_*` functions are pure and shared by every boundary. WTForms fields below wrap them,
so a view hands services typed values (`int`, `date`, aware UTC `datetime`, clean `str`) and
the services check only business rules. Marshmallow does the same for the API
(`assets_app.api.base`); the XLSX importers call the parsers cell by cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import StopValidation

from assets_app.common.timeutil import WIB, wib_local_to_utc
from reports._format import is_forbidden_char


class Invalid(ValueError):
    """One field's value is wrong; the message is shown to the user as is. A field that checks
    several parts (one range per line) may give one message per faulty part."""

    @property
    def messages(self) -> list[str]:
        return [str(m) for m in self.args]


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
REQUIRED = "Wajib diisi."

# The sane window for any date typed, sent or imported (and for report periods).
MIN_DATE = date(1945, 1, 1)
MAX_DATE = date(2100, 12, 31)
# Integers that reach the database: ids and counts are 32-bit columns, money 64-bit.
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1

CONTROL_MESSAGE = "Berisi karakter kendali yang tidak diizinkan"


def forbidden_char(text: str, *, allow_cr: bool = False) -> str | None:
    """The first character that no text field may hold: a control character other than tab
    and newline (and carriage return where `allow_cr`), NUL, a lone surrogate or a
    non-character (they break exports, PDF and the PostgreSQL driver). None when clean."""
    if text.isprintable():
        return None
    for ch in text:
        if (ch == "\r" and not allow_cr) or is_forbidden_char(ch):
            return ch
    return None


def control_message(ch: str, field: str | None = None) -> str:
    code = f"U+{ord(ch):04X}"
    if field:
        return f"Isian '{field}' berisi karakter kendali yang tidak diizinkan ({code})."
    return f"{CONTROL_MESSAGE} ({code})."


def check_text(text: str, *, allow_cr: bool = False, field: str | None = None) -> str:
    """`text` unchanged, or Invalid naming the offending character (and `field` if given)."""
    ch = forbidden_char(text, allow_cr=allow_cr)
    if ch is not None:
        raise Invalid(control_message(ch, field))
    return text


class OutOfWindow(Invalid):
    """A well-formed date outside MIN_DATE … MAX_DATE."""


WINDOW_TEXT = f"di luar rentang yang diizinkan ({MIN_DATE:%d/%m/%Y}–{MAX_DATE:%d/%m/%Y})"


def check_date_window(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise OutOfWindow(f"Tanggal {WINDOW_TEXT}.")
    return value


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value, max_len: int | None = None) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column, e.g. a serial number
    if isinstance(value, datetime | date):
        raise Invalid("Harus berupa teks, bukan tanggal.")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise Invalid("Harus berupa teks.")
    text = " ".join(check_text(str(value), allow_cr=True).split())
    if max_len and len(text) > max_len:
        raise Invalid(f"Terlalu panjang: maksimal {max_len} karakter (terisi {len(text)}).")
    return text


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,0+)?$")


def parse_int(value) -> int | None:
    """An integer from a cell or a form: 1250000, 1250000.0, "1.250.000", "Rp 1.250.000"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise Invalid("Harus berupa bilangan bulat.")
    if isinstance(value, int):
        return _int_in_range(value)
    if isinstance(value, float | Decimal):
        if value != value or value in (float("inf"), float("-inf")):  # NaN / inf
            raise Invalid("Harus berupa bilangan bulat.")
        if int(value) != value:
            raise Invalid(f"Harus bilangan bulat tanpa pecahan (terisi {value}).")
        return _int_in_range(int(value))
    if isinstance(value, datetime | date):
        raise Invalid("Harus berupa angka, bukan tanggal.")
    if not isinstance(value, str):
        raise Invalid("Harus berupa bilangan bulat.")
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if text.lower().startswith("rp"):
        text = text[2:]
    if _THOUSANDS.match(text):
        text = text.split(",")[0].replace(".", "")
    elif re.fullmatch(r"-?\d+(,0+)?", text):
        text = text.split(",")[0]
    if not re.fullmatch(r"-?\d+", text):
        raise Invalid(f"Harus berupa bilangan bulat, misalnya 1250000 (terisi '{value.strip()}').")
    return _int_in_range(int(text))


def _int_in_range(value: int) -> int:
    if not -MAX_INT64 <= value <= MAX_INT64:
        raise Invalid("Angka terlalu besar.")
    return value


def parse_date(value) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return check_date_window(value.date())
    if isinstance(value, date):
        return check_date_window(value)
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            return check_date_window(parsed)
        raise Invalid(f"Tanggal tidak valid: '{text}'. Gunakan format YYYY-MM-DD atau DD/MM/YYYY.")
    raise Invalid("Tanggal tidak valid. Gunakan format YYYY-MM-DD atau DD/MM/YYYY.")


def parse_choice(value, choices: dict[str, str]) -> str | None:
    """A vocabulary value, given as its code or its Indonesian label (case-insensitive)."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise Invalid(f"Harus salah satu dari: {', '.join(choices)}.")
    text = value.strip()
    if text in choices:
        return text
    lowered = text.lower()
    for code, label in choices.items():
        if lowered in (code.lower(), label.lower()):
            return code
    raise Invalid(f"Nilai '{text}' tidak dikenal. Pilih salah satu dari: {', '.join(choices)}.")


def parse_datetime_wib(value) -> datetime | None:
    """A moment typed in WIB (`<input type=datetime-local>`: 2026-11-23T14:30) → aware UTC."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return wib_local_to_utc(check_date_window(value))
    if not isinstance(value, str):
        raise Invalid("Waktu tidak valid; gunakan format YYYY-MM-DD JJ:MM.")
    text = value.strip()
    for fmt in DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return wib_local_to_utc(check_date_window(parsed))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid("Waktu tidak valid; gunakan format YYYY-MM-DD JJ:MM.") from None
    return wib_local_to_utc(check_date_window(parsed))


# --- WTForms fields: `data` is the typed value, the input keeps what the user typed ---------


class Required:
    """`Wajib diisi.` when the parsed value is empty (also after a failed parse: that message
    is already there, so this one stops quietly)."""

    field_flags = {"required": True}

    def __init__(self, message: str = REQUIRED):
        self.message = message

    def __call__(self, form, field):
        if field.errors:
            raise StopValidation()
        if field.data is None or field.data == "":
            raise StopValidation(self.message)


class _ParsedMixin:
    """process_formdata parses with `self.parse` (by default the field's `parser`, plain text);
    a parse error becomes the field's error and the raw text stays in the input."""

    raw: str | None = None
    parser = staticmethod(parse_text)

    def parse(self, text):
        return self.parser(text)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.raw = valuelist[0]
        try:
            self.data = self.parse(self.raw)
        except Invalid as exc:
            self.data = None
            self.process_errors.extend(exc.messages)

    def _value(self):
        if self.raw is not None:
            return self.raw
        return self.render_data(self.data) if self.data is not None else ""

    def render_data(self, value) -> str:
        return str(value)


class TextField(_ParsedMixin, StringField):
    """One line of text, whitespace collapsed, `None` when empty; `max_len` checked."""

    def __init__(self, label=None, validators=None, max_len: int | None = None, **kw):
        super().__init__(label, validators, **kw)
        self.max_len = max_len

    def parse(self, text):
        return parse_text(text, self.max_len)


class NoteField(_ParsedMixin, TextAreaField):
    """Free text that keeps its line breaks; surrounding blanks stripped, `None` when empty."""

    def __init__(self, label=None, validators=None, max_len: int | None = None, **kw):
        super().__init__(label, validators, **kw)
        self.max_len = max_len

    def parse(self, text):
        text = check_text((text or "").strip(), allow_cr=True)
        if not text:
            return None
        if self.max_len and len(text) > self.max_len:
            raise Invalid(
                f"Terlalu panjang: maksimal {self.max_len} karakter (terisi {len(text)})."
            )
        return text


class IntField(_ParsedMixin, StringField):
    """An integer typed as 1000, 1.000 or Rp 1.000; `min`/`max` checked (by default at most
    what a 32-bit column holds; money passes `max=MAX_INT64`)."""

    def __init__(self, label=None, validators=None, min: int | None = None, max=MAX_INT32, **kw):
        kw.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kw)
        self.min, self.max = min, max

    def parse(self, text):
        value = parse_int(text)
        if value is not None and self.min is not None and value < self.min:
            raise Invalid(f"Tidak boleh kurang dari {self.min}.")
        if value is not None and self.max is not None and value > self.max:
            raise Invalid(f"Tidak boleh lebih dari {self.max}.")
        return value


class _PickerInput(_ParsedMixin, StringField):
    """An input the browser shows as a picker (`<input type=input_type>`), read by `parser`."""

    input_type = "text"

    def __init__(self, label=None, validators=None, **kw):
        kw.setdefault("render_kw", {"type": self.input_type})
        super().__init__(label, validators, **kw)


class DateInput(_PickerInput):
    """A date (YYYY-MM-DD from the browser's date picker, or DD/MM/YYYY typed)."""

    input_type = "date"
    parser = staticmethod(parse_date)

    def render_data(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


class DateTimeWibInput(_PickerInput):
    """A moment typed in WIB; `data` is aware UTC."""

    input_type = "datetime-local"
    parser = staticmethod(parse_datetime_wib)

    def render_data(self, value) -> str:
        return value.astimezone(WIB).strftime("%Y-%m-%dT%H:%M")


def choices(mapping: dict[str, str], blank: str | None = None) -> list[tuple[str, str]]:
    """Select options from a vocabulary (code → label), with an optional blank first option."""
    out = list(mapping.items())
    return [("", blank), *out] if blank is not None else out


class ChoiceField(SelectField):
    """A vocabulary choice. The value is checked by the service (the same rule for form, API
    and import), so an unknown value gets the service's Indonesian message, not WTForms'.
    `data` is the code, or None for the blank option."""

    def __init__(self, label=None, validators=None, mapping=None, blank=None, **kw):
        kw.setdefault("validate_choice", False)
        super().__init__(
            label, validators, choices=choices(mapping, blank) if mapping else [], **kw
        )

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data == "":
            self.data = None
