#!/usr/bin/env bash
# The browser tests drive Debian's Chromium and ChromeDriver (a test tool's own browser download fails
# here): installed when missing, as root with apt; otherwise one line saying what to install.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
else
  echo "error: the browser tests need Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver" >&2
  exit 1
fi
