#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded build); document tests turn PDFs into
# PNGs with poppler's pdftoppm and render with DejaVu fonts. Install whichever is missing.
set -euo pipefail
PACKAGES="chromium fonts-dejavu-core poppler-utils"
if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null \
  && [ -d /usr/share/fonts/truetype/dejavu ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Memasang paket Debian yang belum ada: $PACKAGES ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  exit 0
fi
echo "Galat: chromium, pdftoppm atau font DejaVu belum terpasang. Pasang sebagai root: apt-get install -y $PACKAGES" >&2
exit 1
