#!/usr/bin/env bash
# Builds the web application into web/dist, which `mekong serve` serves at /. Installs its npm
# packages from package-lock.json first, when the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! cmp -s package-lock.json node_modules/.mekong-installed 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.mekong-installed
fi
npm run build --silent >/dev/null
