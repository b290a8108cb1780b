import pytest

from tests.notify.servers import Gateway, SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gateway():
    gw = Gateway()
    yield gw
    gw.close()


@pytest.fixture
def channels(app, smtp, gateway):
    """The app pointed at the local SMTP server and gateway (restored afterwards)."""
    saved = {
        k: app.config.get(k)
        for k in (
            "MAIL_SERVER",
            "MAIL_PORT",
            "NOTIFY_WEBHOOK_URL",
            "NOTIFY_WEBHOOK_TOKEN",
            "PUBLIC_BASE_URL",
        )
    }
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        NOTIFY_WEBHOOK_URL=gateway.url,
        NOTIFY_WEBHOOK_TOKEN="rahasia-gateway",
        PUBLIC_BASE_URL="https://aset.dukcapil.example.go.id",
    )
    yield smtp, gateway
    app.config.update(saved)


@pytest.fixture
def no_csrf(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True
