"""Delivery over the two external channels: e-mail (stdlib smtplib) and a WhatsApp gateway
(an HTTP webhook, stdlib urllib). `webhook_request` is the one function to adapt when a
gateway wants another shape."""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

TIMEOUT = 15


class DeliveryError(Exception):
    """The message did not go (server down, refused, gateway error); it will be tried again."""


def message_text(row, link: str | None) -> str:
    text = row.body or ""
    if link:
        text = f"{text}\n\nBuka: {link}" if text else f"Buka: {link}"
    return f"{text}\n\n— Aset Dukcapil (pesan otomatis, jangan dibalas)"


def send_email(config: Mapping, to_addr: str, to_name: str, subject: str, text: str) -> None:
    msg = EmailMessage()
    sender = config.get("MAIL_DEFAULT_SENDER") or "aset-dukcapil@localhost"
    msg["From"] = sender
    msg["To"] = formataddr((to_name, to_addr))
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="aset-dukcapil")
    msg.set_content(text)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=TIMEOUT
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {config['MAIL_SERVER']}: {exc}") from exc


def webhook_request(config: Mapping, phone: str, subject: str, text: str) -> urllib.request.Request:
    """The gateway's HTTP request. Shape: POST JSON {"to", "phone", "subject", "text"} with an
    optional bearer token; `to` is the number without "+" (62812…), `phone` with it."""
    payload = {"to": phone.lstrip("+"), "phone": phone, "subject": subject, "text": text}
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if config.get("NOTIFY_WEBHOOK_TOKEN"):
        headers["Authorization"] = f"Bearer {config['NOTIFY_WEBHOOK_TOKEN']}"
    return urllib.request.Request(
        config["NOTIFY_WEBHOOK_URL"],
        data=json.dumps(payload).encode("utf-8"),
        headers=headers,
        method="POST",
    )


def send_webhook(config: Mapping, phone: str, subject: str, text: str) -> None:
    req = webhook_request(config, phone, subject, text)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 (configured URL)
            resp.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"gateway menjawab HTTP {exc.code}") from exc
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(f"gateway tidak terjangkau: {exc}") from exc


def deliver(config: Mapping, row, user, link: str | None) -> None:
    text = message_text(row, link)
    if row.channel == "email":
        if not config.get("MAIL_SERVER"):
            raise DeliveryError("MAIL_SERVER belum diatur.")
        if not user.email:
            raise DeliveryError("Penerima tidak punya alamat e-mail.")
        send_email(config, user.email, user.name, row.subject, text)
    elif row.channel == "whatsapp":
        if not config.get("NOTIFY_WEBHOOK_URL"):
            raise DeliveryError("NOTIFY_WEBHOOK_URL belum diatur.")
        if not user.phone:
            raise DeliveryError("Penerima tidak punya nomor WhatsApp.")
        send_webhook(config, user.phone, row.subject, f"*{row.subject}*\n{text}")
    else:
        raise DeliveryError(f"Saluran {row.channel} tidak dikirim keluar.")
