#!/usr/bin/env bash
# Creates .venv/ in the repository with every pinned python package the tests use: the conformance suite's
# (tests/conformance/requirements.txt) and the real-client tests' (tests/real-clients/requirements.txt).
# On this project's machines the wheels come from the local index (no network); elsewhere pip's own
# configuration decides; PIP_INDEX_URL, when set, wins over both. Does nothing when .venv/ already holds
# exactly those pins. Needs python3 with venv. CI runs it before `npm test` (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=(tests/conformance/requirements.txt tests/real-clients/requirements.txt)
STAMP=.venv/.requirements
if [ -f "$STAMP" ] && cat "${REQUIREMENTS[@]}" | cmp -s "$STAMP" - && .venv/bin/python -c "import huggingface_hub" 2>/dev/null; then
  echo "python: .venv is up to date ($(.venv/bin/python --version))"
  exit 0
fi
python3 -m venv --clear .venv
index=()
if [ -z "${PIP_INDEX_URL:-}" ] && [ -d /opt/pypi/simple ]; then
  index=(--index-url file:///opt/pypi/simple)
  if [ -d /opt/pypi-more/simple ]; then
    index+=(--extra-index-url file:///opt/pypi-more/simple)
  fi
fi
args=()
for file in "${REQUIREMENTS[@]}"; do
  args+=(-r "$file")
done
# pip warns about every package that one of the two indexes lacks, which is most of them: noise.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input "${index[@]}" "${args[@]}" \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
cat "${REQUIREMENTS[@]}" > "$STAMP"
echo "python: .venv ready ($(.venv/bin/python --version))"
