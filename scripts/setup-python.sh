#!/usr/bin/env bash
# Creates .venv/ in the repository with the pinned python packages of the conformance suite
# (tests/conformance/requirements.txt) from the local package index, so nothing reaches the public one.
# Does nothing when .venv/ already holds exactly those pins. Needs python3 with venv.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=tests/conformance/requirements.txt
STAMP=.venv/.requirements
if [ -f "$STAMP" ] && cmp -s "$STAMP" "$REQUIREMENTS" && .venv/bin/python -c "import huggingface_hub" 2>/dev/null; then
  echo "python: .venv is up to date ($(.venv/bin/python --version))"
  exit 0
fi
python3 -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  --index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple \
  -r "$REQUIREMENTS" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
cp "$REQUIREMENTS" "$STAMP"
echo "python: .venv ready ($(.venv/bin/python --version); $(grep -v '^#' "$REQUIREMENTS" | tr '\n' ' '))"
