#!/usr/bin/env bash
# Install the Debian packages guidebuilder needs, only those missing.
#   scripts/system-deps.sh build   what `make guide` needs (Pango for WeasyPrint; rsvg-convert, with which
#                                  pandoc gives SVG charts a PNG fallback in the DOCX; libgs-common for the
#                                  CMYK ICC profile of the leaflet's PDF/X output intent; LibreOffice Impress,
#                                  which lays out the PDF of the workshop's slides)
#   scripts/system-deps.sh proof   also what the proof sheet needs (Chromium for the site, LibreOffice for the DOCX)
#   scripts/system-deps.sh test    also what the tests need (Chromium, poppler, LibreOffice)
# Runs apt-get as root; as another user it prints the command to run and fails.
set -euo pipefail
need=()
check_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need+=("$1"); }

for p in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig librsvg2-bin libgs-common \
         libreoffice-impress-nogui; do check_pkg "$p"; done
if [ "${1:-build}" = "proof" ]; then
  for p in chromium libreoffice-writer-nogui; do check_pkg "$p"; done
fi
if [ "${1:-build}" = "test" ]; then
  for p in chromium chromium-driver poppler-utils libreoffice-writer-nogui python3-uno; do check_pkg "$p"; done
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "guidebuilder: installing system packages: ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "guidebuilder: not root; run: sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
