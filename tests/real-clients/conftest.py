"""pytest plumbing for the real-client checks (see test_real_clients.py).

Installs the loopback-only guard before any library is imported, and writes each check's outcome to
the JSON file named by REAL_CLIENTS_REPORT, so the vitest side can name every check that did not pass.
"""

import json
import os

import loopback_only

loopback_only.install()

_outcomes: dict[str, str] = {}


def _summary(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return text if len(text) <= 2000 else text[:2000] + " …"


def pytest_collectreport(report) -> None:
    if report.failed:
        _outcomes[f"collecting {report.nodeid or 'the checks'}"] = f"failed: {_summary(report)}"


def pytest_runtest_logreport(report) -> None:
    name = report.nodeid.split("::", 1)[-1]
    if report.failed:
        _outcomes[name] = f"failed ({report.when}): {_summary(report)}"
    elif report.skipped:
        _outcomes.setdefault(name, f"skipped: {_summary(report)}")
    elif report.when == "call":
        _outcomes.setdefault(name, "passed")


def pytest_sessionfinish(session) -> None:
    path = os.environ.get("REAL_CLIENTS_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(_outcomes, file, indent=2, sort_keys=True)
