"""Shape of contact details: an e-mail address and an Indonesian WhatsApp number (+62…)."""

from __future__ import annotations

import re

from assets_app.common.validate import Invalid, is_blank

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
# After the country code: a mobile number starts with 8 and has 9–12 digits in all.
MOBILE_RE = re.compile(r"^8\d{8,11}$")


def parse_email(value) -> str | None:
    if is_blank(value):
        return None
    text = str(value).strip().lower()
    if len(text) > 254 or not EMAIL_RE.match(text):
        raise Invalid("Alamat e-mail tidak valid (contoh: nama@dukcapil.go.id).")
    return text


def parse_phone(value) -> str | None:
    """`0812…`, `62812…`, `+62 812-…` → `+62812…`; anything else is refused."""
    if is_blank(value):
        return None
    digits = re.sub(r"[\s().-]", "", str(value).strip())
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("62"):
            raise Invalid("Nomor WhatsApp harus nomor Indonesia (+62…).")
    if digits.startswith("62"):
        rest = digits[2:]
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        rest = digits
    if not rest.isdigit() or not MOBILE_RE.match(rest):
        raise Invalid("Nomor WhatsApp tidak valid: tulis 08…, 62… atau +62… (10–13 angka).")
    return "+62" + rest
