#!/usr/bin/env bash
# Installs the web UI's npm packages when package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/../web"
[ -f package.json ] || exit 0
stamp=node_modules/.civicdesk-lock-stamp
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then exit 0; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$stamp"
