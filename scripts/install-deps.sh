#!/usr/bin/env bash
# Installs the Debian packages Mekong builds and tests with, when any is missing.
# Idempotent and quiet when everything is there already.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config python3
  libboost-dev libsqlite3-dev libpq-dev postgresql postgresql-client
  nlohmann-json3-dev libssl-dev libsodium-dev libqrencode-dev libpng-dev zbar-tools
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libbenchmark-dev zlib1g-dev clang libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
