#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded build). Install it when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Chromium belum terpasang; memasang paket Debian chromium ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
  exit 0
fi
echo "Galat: /usr/bin/chromium tidak ada. Pasang sebagai root: apt-get install -y chromium fonts-dejavu-core" >&2
exit 1
