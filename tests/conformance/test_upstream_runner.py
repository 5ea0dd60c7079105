"""The bookkeeping of scripts/run-upstream-conformance.sh: which upstream failures it expects, and how it names tests."""

import importlib.util
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[2] / "scripts" / "upstream-conformance"
spec = importlib.util.spec_from_file_location("summarize", RUNNER / "summarize.py")
summarize = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summarize)


def listed(monkeypatch, **env) -> dict:
    for name in ("UPSTREAM_CLIENT", "UPSTREAM_STAND_IN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return summarize.cannot_pass(str(RUNNER / "cannot-pass.txt"))


def test_tagged_reasons_apply_only_in_their_setting(monkeypatch):
    default = listed(monkeypatch)
    checkout = listed(monkeypatch, UPSTREAM_CLIENT="checkout")
    no_stand_in = listed(monkeypatch, UPSTREAM_STAND_IN="0")

    drift = {node for node, reason in default.items() if reason.startswith("[pinned-client]")}
    production = set(no_stand_in) - set(default)
    assert drift and drift.isdisjoint(checkout)
    assert set(checkout) == set(default) - drift
    assert production and all(no_stand_in[node].startswith("[no-stand-in]") for node in production)
    assert all(node.startswith("tests/test_xet_download.py::") for node in production)
    # Every node id names a file and a test, and comes with its reason.
    for node, reason in no_stand_in.items():
        assert node.startswith("tests/test_") and node.count("::") >= 1 and reason


@pytest.mark.parametrize(
    ("classname", "name", "node"),
    [
        ("tests.test_hf_api.TestCommitApi", "test_x", "tests/test_hf_api.py::TestCommitApi::test_x"),
        ("tests.test_xet_upload", "test_y[a-b]", "tests/test_xet_upload.py::test_y[a-b]"),
    ],
)
def test_junit_cases_map_back_to_node_ids(classname, name, node):
    case = ElementTree.fromstring(f'<testcase classname="{classname}" name="{name}"/>')
    assert summarize.node_id(case) == node
