#!/usr/bin/env bash
# Installs the Debian packages Mekong builds and tests with, when any is missing.
# Idempotent and quiet when everything is there already.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config python3 jq
  libboost-dev libsqlite3-dev sqlite3 libpq-dev postgresql postgresql-client
  nlohmann-json3-dev libssl-dev libsodium-dev libqrencode-dev libpng-dev zbar-tools
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libicu-dev
  libgtest-dev libbenchmark-dev zlib1g-dev clang clang-format libclang-rt-14-dev
  # The web application's browser tests: Debian's Chromium, the fonts of every script the
  # 15 languages are written in, and the PDF and QR readers the poster test uses.
  chromium fonts-noto-core fonts-noto-cjk fonts-khmeros fonts-lao fonts-sil-padauk poppler-utils
)
# Node.js and npm build the web application. A machine with Node already (the image's, from
# nodesource) keeps it; Debian's are installed only where there is none.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Vite 6 and Playwright 1.61 run on Node 18.19 or later, so Debian 12's own nodejs (18.20) builds
# and tests everything; the versions in web/package.json are held there for that reason.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>18||(a==18&&b>=19)?0:1)' || {
  echo "mekong: the web application needs Node.js 18.19 or later; this machine has $(node --version)." >&2
  echo "        Debian 12's nodejs package (18.20) is enough: apt-get install nodejs npm" >&2
  exit 1
}
