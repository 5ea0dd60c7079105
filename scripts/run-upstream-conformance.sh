#!/usr/bin/env bash
# Runs huggingface_hub's own tests against process-artifacts-hub and prints the pass/fail counts.
#
#   HF_HUB_CHECKOUT=/path/to/huggingface_hub scripts/run-upstream-conformance.sh [extra pytest args]
#
# HF_HUB_CHECKOUT is a huggingface_hub source tree (its tests/ folder is what runs; docs/conformance.md
# names the version measured). The tests run with the python client of PYTHON (default .venv/bin/python,
# made by scripts/setup-python.sh with the pins of tests/conformance/requirements.txt), against the built
# emulator (npm run build) on 127.0.0.1. They are pointed at it through their staging constants
# (ENDPOINT_STAGING, USER, TOKEN) by scripts/upstream-conformance/emulator_plugin.py, which also refuses any
# connection beyond loopback. Nothing is copied out of the checkout, and nothing of it is kept here.
#
# What runs (each a space-separated list; set one to "" for none):
#   UPSTREAM_CLASSES  classes of tests/test_hf_api.py (default: the 15 of issue #17, 123 tests)
#   UPSTREAM_FILES    whole test files (default: tests/test_xet_upload.py tests/test_xet_download.py)
#   UPSTREAM_EXCLUDE  node ids (or their prefixes) to leave out, e.g. tests/test_xet_download.py::TestXetSnapshotDownload
#   UPSTREAM_SKIP_CANNOT_PASS=1  leaves out every test scripts/upstream-conformance/cannot-pass.txt lists
# How:
#   HF_HUB_DISABLE_XET  0 (default: Xet on, as with a default install) or 1 (uploads through LFS; the Xet
#                       test files force Xet on for their own tests, as upstream's conftest does)
#   UPSTREAM_CLIENT     pinned (default: PYTHON's huggingface_hub) or checkout (the checkout's own src/,
#                       the client its tests were written for, with PYTHON's hf_xet)
#   UPSTREAM_STAND_IN   1 (default): a second emulator stands in for huggingface.co (the tests'
#                       ENDPOINT_PRODUCTION) holding the one production repo the Xet download tests read;
#                       0: production stays unreachable
# The exit status is 0 when every failure is one cannot-pass.txt lists for this setting, 1 otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CHECKOUT="${HF_HUB_CHECKOUT:?set HF_HUB_CHECKOUT to a huggingface_hub source tree (with tests/)}"
CHECKOUT="$(cd "$CHECKOUT" && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PLUGIN_DIR="$ROOT/scripts/upstream-conformance"
test -f "$CHECKOUT/tests/test_hf_api.py" || { echo "no tests/test_hf_api.py in $CHECKOUT" >&2; exit 2; }
test -x "$PYTHON" || { echo "no python at $PYTHON (run scripts/setup-python.sh, or set PYTHON)" >&2; exit 2; }
test -f "$ROOT/dist/emulator/bin.js" || { echo "no dist/emulator/bin.js: run npm run build" >&2; exit 2; }
"$PYTHON" -c "import pytest_mock" 2>/dev/null || { echo "$PYTHON has no pytest-mock (scripts/setup-python.sh installs it)" >&2; exit 2; }

# The classes for commits, uploads, deletes, trees, tags, branches, refs, history, exists, privacy,
# discussions, squash, and the repo endpoints (move, settings, whoami) and namespace listings.
DEFAULT_CLASSES="TestHfApiRepoFileExists TestHfApiEndpoints TestCommitApi TestHfApiUploadEmptyFile
TestHfApiDeleteFolder TestHfApiListRepoTree TestHfApiTagEndpoint TestHfApiBranchEndpoint TestHfApiDeleteFiles
TestHfApiPublicStaging TestHfApiPrivate TestHfApiDiscussions TestSquashHistory TestListGitRefs TestListGitCommits"
DEFAULT_FILES="tests/test_xet_upload.py tests/test_xet_download.py"
CLASSES="${UPSTREAM_CLASSES-$DEFAULT_CLASSES}"
FILES="${UPSTREAM_FILES-$DEFAULT_FILES}"
export UPSTREAM_CLIENT="${UPSTREAM_CLIENT:-pinned}" UPSTREAM_STAND_IN="${UPSTREAM_STAND_IN:-1}"
XET_OFF="${HF_HUB_DISABLE_XET:-0}"
case "$UPSTREAM_CLIENT" in
  pinned) CLIENT_PATH="" ;;
  checkout) CLIENT_PATH="$CHECKOUT/src" ;;
  *) echo "UPSTREAM_CLIENT must be pinned or checkout, got \"$UPSTREAM_CLIENT\"" >&2; exit 2 ;;
esac

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts an emulator (extra args: its options) and sets LINE to the JSON line it prints once listening.
start_emulator() {
  local name="$1"
  shift
  mkfifo "$WORK/$name.ready"
  node "$ROOT/dist/emulator/bin.js" --port 0 "$@" >"$WORK/$name.ready" 2>"$WORK/$name.log" &
  PIDS+=($!)
  read -r LINE <"$WORK/$name.ready"
}
field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$LINE" "$1"; }

export EMULATOR_URL EMULATOR_TOKEN EMULATOR_USER UPSTREAM_CHECKOUT="$CHECKOUT"
start_emulator staging --user "${EMULATOR_USER:-alice}"
EMULATOR_URL="$(field url)"
EMULATOR_TOKEN="$(field token)"
EMULATOR_USER="$(field user)"
if [ "$UPSTREAM_STAND_IN" != "0" ]; then
  # The stand-in's user owns the namespace of the production repo the Xet download tests read.
  OWNER="$(cd "$CHECKOUT" && "$PYTHON" -c 'import tests.testing_constants as c; print(c.DUMMY_XET_MODEL_ID.split("/")[0])')"
  start_emulator production --user "$OWNER"
  export EMULATOR_PRODUCTION_URL EMULATOR_PRODUCTION_TOKEN
  EMULATOR_PRODUCTION_URL="$(field url)"
  EMULATOR_PRODUCTION_TOKEN="$(field token)"
fi

SELECTED=()
for class in $CLASSES; do SELECTED+=("tests/test_hf_api.py::$class"); done
for file in $FILES; do SELECTED+=("$file"); done
[ "${#SELECTED[@]}" -gt 0 ] || { echo "nothing selected: UPSTREAM_CLASSES and UPSTREAM_FILES are both empty" >&2; exit 2; }
EXCLUDED=()
for node in ${UPSTREAM_EXCLUDE:-}; do EXCLUDED+=(--deselect "$node"); done
if [ "${UPSTREAM_SKIP_CANNOT_PASS:-0}" = "1" ]; then
  while read -r node; do EXCLUDED+=(--deselect "$node"); done < <("$PYTHON" "$PLUGIN_DIR/summarize.py" "$PLUGIN_DIR/cannot-pass.txt")
fi

# Every HF_* the client reads is set here: nothing of the caller's shell (a real token, another endpoint).
set +e
(
  cd "$CHECKOUT"
  env -u HF_TOKEN -u HUGGING_FACE_HUB_TOKEN -u HUGGINGFACE_CO_STAGING -u HF_HUB_OFFLINE \
    HF_ENDPOINT="$EMULATOR_URL" HF_HOME="$WORK/hf-home" HF_HUB_DISABLE_XET="$XET_OFF" \
    HF_HUB_DISABLE_TELEMETRY=1 PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH="${CLIENT_PATH:+$CLIENT_PATH:}$PLUGIN_DIR:$ROOT/tests/conformance${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" -m pytest -p emulator_plugin -p no:cacheprovider -o addopts="-Werror::FutureWarning --strict-markers" \
    -q -rfEs --basetemp "$WORK/pytest" --junitxml "$WORK/report.xml" "${EXCLUDED[@]}" "${SELECTED[@]}" "$@"
)
set -e
test -f "$WORK/report.xml" || { echo "pytest wrote no report (see above)" >&2; exit 2; }
CLIENT_VERSION="$(PYTHONPATH="$CLIENT_PATH" "$PYTHON" -c 'import huggingface_hub, importlib.metadata as m; print("huggingface_hub", huggingface_hub.__version__ + ", hf_xet", m.version("hf_xet"))')"
echo "setting: HF_HUB_DISABLE_XET=$XET_OFF, $CLIENT_VERSION (UPSTREAM_CLIENT=$UPSTREAM_CLIENT), production stand-in: $([ "$UPSTREAM_STAND_IN" = 0 ] && echo off || echo on)"
"$PYTHON" "$PLUGIN_DIR/summarize.py" "$PLUGIN_DIR/cannot-pass.txt" "$WORK/report.xml"
