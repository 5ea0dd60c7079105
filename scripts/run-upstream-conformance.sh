#!/usr/bin/env bash
# Runs huggingface_hub's own API tests against process-artifacts-hub and prints the pass/fail counts.
#
#   HF_HUB_CHECKOUT=/path/to/huggingface_hub scripts/run-upstream-conformance.sh [extra pytest args]
#
# HF_HUB_CHECKOUT is a huggingface_hub source tree (its tests/ folder is what runs; docs/conformance.md
# names the version measured). The tests run with the python client of PYTHON (default .venv/bin/python,
# made by scripts/setup-python.sh with the pins of tests/conformance/requirements.txt), against the built
# emulator (npm run build) on 127.0.0.1. They are pointed at it through their staging constants
# (ENDPOINT_STAGING, USER, TOKEN) by scripts/upstream-conformance/emulator_plugin.py, which also refuses any
# connection beyond loopback.
# HF_HUB_DISABLE_XET defaults to 1 (the emulator has no Xet server yet); UPSTREAM_CLASSES overrides the
# classes run. Nothing is copied out of the checkout, and nothing of it is kept in this repository.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CHECKOUT="${HF_HUB_CHECKOUT:?set HF_HUB_CHECKOUT to a huggingface_hub source tree (with tests/)}"
CHECKOUT="$(cd "$CHECKOUT" && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
test -f "$CHECKOUT/tests/test_hf_api.py" || { echo "no tests/test_hf_api.py in $CHECKOUT" >&2; exit 2; }
test -x "$PYTHON" || { echo "no python at $PYTHON (run scripts/setup-python.sh, or set PYTHON)" >&2; exit 2; }
test -f "$ROOT/dist/emulator/bin.js" || { echo "no dist/emulator/bin.js: run npm run build" >&2; exit 2; }

# The classes for commits, uploads, deletes, trees, tags, branches, refs, history, exists, privacy,
# discussions, squash, and the repo endpoints (move, settings, whoami) and namespace listings.
DEFAULT_CLASSES="TestHfApiRepoFileExists TestHfApiEndpoints TestCommitApi TestHfApiUploadEmptyFile
TestHfApiDeleteFolder TestHfApiListRepoTree TestHfApiTagEndpoint TestHfApiBranchEndpoint TestHfApiDeleteFiles
TestHfApiPublicStaging TestHfApiPrivate TestHfApiDiscussions TestSquashHistory TestListGitRefs TestListGitCommits"
CLASSES="${UPSTREAM_CLASSES:-$DEFAULT_CLASSES}"

"$PYTHON" -c "import pytest_mock" 2>/dev/null || { echo "$PYTHON has no pytest-mock (scripts/setup-python.sh installs it)" >&2; exit 2; }

WORK="$(mktemp -d)"
EMULATOR_PID=""
cleanup() {
  if [ -n "$EMULATOR_PID" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkfifo "$WORK/ready"
node "$ROOT/dist/emulator/bin.js" --port 0 --user "${EMULATOR_USER:-alice}" >"$WORK/ready" 2>"$WORK/emulator.log" &
EMULATOR_PID=$!
read -r LINE <"$WORK/ready"
field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$LINE" "$1"; }
export EMULATOR_URL EMULATOR_TOKEN EMULATOR_USER UPSTREAM_CHECKOUT="$CHECKOUT"
EMULATOR_URL="$(field url)"
EMULATOR_TOKEN="$(field token)"
EMULATOR_USER="$(field user)"

SELECTED=()
for class in $CLASSES; do SELECTED+=("tests/test_hf_api.py::$class"); done

# Every HF_* the client reads is set here: nothing of the caller's shell (a real token, another endpoint).
set +e
(
  cd "$CHECKOUT"
  env -u HF_TOKEN -u HUGGING_FACE_HUB_TOKEN -u HUGGINGFACE_CO_STAGING -u HF_HUB_OFFLINE \
    HF_ENDPOINT="$EMULATOR_URL" HF_HOME="$WORK/hf-home" HF_HUB_DISABLE_XET="${HF_HUB_DISABLE_XET:-1}" \
    HF_HUB_DISABLE_TELEMETRY=1 PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH="$ROOT/scripts/upstream-conformance:$ROOT/tests/conformance${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" -m pytest -p emulator_plugin -p no:cacheprovider -o addopts="-Werror::FutureWarning --strict-markers" \
    -q -rfEs --basetemp "$WORK/pytest" "${SELECTED[@]}" "$@"
) | tee "$WORK/pytest.out"
STATUS=${PIPESTATUS[0]}
set -e
SUMMARY="$(grep -E '[0-9]+ (passed|failed|errors?)' "$WORK/pytest.out" | tail -1 || true)"
count() { echo "$SUMMARY" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }
echo "upstream conformance (HF_HUB_DISABLE_XET=${HF_HUB_DISABLE_XET:-1}): $(count passed) passed, $(count failed) failed, $(count "errors?") errors, $(count skipped) skipped"
exit "$STATUS"
