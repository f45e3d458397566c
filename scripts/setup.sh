#!/usr/bin/env bash
# Installs everything gongwen needs on a fresh Debian machine: system tools
# (catdoc for legacy .doc and .wps, a CJK font for PDFs and charts, chromium for the
# web-page tests, node to run the pages' own scripts in the web-form tests) and a virtualenv with the package and its test extras.
set -euo pipefail
venv="${1:-.venv}"
need=()
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
fc-list 2>/dev/null | grep -qi "droid sans fallback" || need+=(fonts-droid-fallback)
fc-list 2>/dev/null | grep -qi "wqy" || need+=(fonts-wqy-microhei)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
# the store's tests also run against a throwaway PostgreSQL cluster
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
# Compiled at install (not --no-compile): left to first use, the ~3,000 modules the suite
# imports were compiled by its many parallel processes, and the clean-clone SQLite pass took
# ~50 s longer than the ~40 s of install time it saved (session 31).
"$venv/bin/pip" install -q -e ".[dev]"
# OCR (rapidocr-onnxruntime) pulls in opencv-python, which loads libGL and GLib
# even headless: a minimal Debian has neither.
if ! "$venv/bin/python" -c "import cv2" >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends libgl1 libglib2.0-0 >/dev/null
fi
