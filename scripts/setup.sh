#!/usr/bin/env bash
# Installs what the service and its tests use beyond npm: poppler (pdftotext, pdftoppm) and
# qpdf to read PDFs back in tests, LibreOffice (and python3-uno to keep one running) to turn DOCX
# into the merged PDF, and Chromium for the browser tests of the web pages (playwright-core drives
# it; it downloads no browser itself).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
# The warm DOCX converter drives LibreOffice over UNO from Python (office-bridge.py).
dpkg -s python3-uno >/dev/null 2>&1 || missing+=(python3-uno)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Fonts to draw pages with: Times New Roman metrics and every script a name may use for LibreOffice,
# and the standard PDF fonts (ZapfDingbats draws the ticks of official forms) for poppler. The PDF
# forms draw Thai (fonts-noto-core), Hangul (fonts-noto-cjk) and emoji (fonts-symbola, black and
# white) from these too; without them those characters are refused as unprintable.
for f in fonts-liberation2 fonts-noto-core fonts-noto-cjk fonts-symbola fonts-urw-base35; do
  dpkg -s "$f" >/dev/null 2>&1 || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
