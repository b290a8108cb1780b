"""`python -m assets_app.serve`: waitress on HOST:PORT (default 127.0.0.1:5000)."""

from __future__ import annotations

import os

from waitress import serve

from assets_app import create_app
from assets_app.common.runtime import tune_gc


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    app = create_app(os.environ.get("APP_ENV", "development"))
    tune_gc()
    print(f"Aset Dukcapil berjalan di http://{host}:{port}  (Ctrl+C untuk berhenti)", flush=True)
    options = {"host": host, "port": port, "threads": int(os.environ.get("THREADS", "8"))}
    if os.environ.get("TRUSTED_PROXY"):
        options.update(
            trusted_proxy=os.environ["TRUSTED_PROXY"],
            trusted_proxy_headers="x-forwarded-for x-forwarded-proto",
        )
    serve(app, **options)


if __name__ == "__main__":
    main()
