#!/usr/bin/env bash
# One command on a fresh Debian machine: system packages, the Python package with pinned
# dependencies in .venv, then the sample notices in data/raw/ imported into the default
# database. `./setup.sh --deps-only` stops before the import (the test command uses that).
set -euo pipefail
cd "$(dirname "$0")"

# each system tool the pipeline runs, and the Debian package that brings it
declare -A TOOLS=([soffice]=libreoffice-writer-nogui [tesseract]="tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd"
                  [pdftoppm]=poppler-utils [chromium]=chromium [chromedriver]=chromium-driver
                  [pg_ctlcluster]=postgresql)
missing=()
for tool in "${!TOOLS[@]}"; do
  command -v "$tool" >/dev/null || missing+=(${TOOLS[$tool]})
done
tesseract --list-langs 2>/dev/null | grep -qx vie || missing+=(tesseract-ocr-vie)
tesseract --list-langs 2>/dev/null | grep -qx osd || missing+=(tesseract-ocr-osd)   # page orientation
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [[ ! -f $stamp ]]; then
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e ".[test,scale]"
  .venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
  touch "$stamp"
fi

[[ "${1:-}" == "--deps-only" ]] && exit 0
mkdir -p data/processed
.venv/bin/vanban import data/raw --db data/processed/vanban.duckdb
