"""pytest plugin for scripts/run-upstream-conformance.sh: points huggingface_hub's own tests at the emulator.

huggingface_hub's tests read their Hub from tests/testing_constants.py (ENDPOINT_STAGING, USER, TOKEN). This
plugin imports that module before the tests do and replaces those three values with the running emulator's, so
the checkout is used as it is (nothing is copied or rewritten). Every connection beyond loopback is refused
(tests/conformance/loopback_only.py), so a test that reaches for the production Hub fails instead of leaving
the machine.
"""

import os
import sys

import pytest
from loopback_only import refuse_non_loopback_connections


def _point_tests_at_emulator() -> None:
    checkout = os.environ["UPSTREAM_CHECKOUT"]
    if checkout not in sys.path:
        sys.path.insert(0, checkout)
    import tests.testing_constants as constants  # the checkout's own module, as its tests import it

    constants.ENDPOINT_STAGING = os.environ["EMULATOR_URL"]
    constants.USER = os.environ["EMULATOR_USER"]
    constants.TOKEN = os.environ["EMULATOR_TOKEN"]


# At import (`-p emulator_plugin`), before pytest loads tests/conftest.py, which binds these constants.
refuse_non_loopback_connections()
_point_tests_at_emulator()


def pytest_configure(config: pytest.Config) -> None:
    # pytest-vcr (cassettes for inference tests) is not installed; its marker is declared so that
    # --strict-markers accepts the modules that use it.
    config.addinivalue_line("markers", "vcr: recorded HTTP cassette (pytest-vcr; unused here)")
