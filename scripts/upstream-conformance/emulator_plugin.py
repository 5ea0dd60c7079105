"""pytest plugin for scripts/run-upstream-conformance.sh: points huggingface_hub's own tests at the emulator.

huggingface_hub's tests read their Hub from tests/testing_constants.py (ENDPOINT_STAGING, USER, TOKEN). This
plugin imports that module before the tests do and replaces those three values with the running emulator's, so
the checkout is used as it is (nothing is copied or rewritten). Every connection beyond loopback is refused
(tests/conformance/loopback_only.py), so a test that reaches for the production Hub fails instead of leaving
the machine.

With EMULATOR_PRODUCTION_URL set (the runner's stand-in for huggingface.co, a second emulator), the tests'
ENDPOINT_PRODUCTION points there instead, and the one production repo the Xet download tests read
(DUMMY_XET_MODEL_ID, holding DUMMY_XET_FILE) is created on it and its file uploaded through Xet before any
test runs. Tests that read other production repos find nothing there and still fail.
"""

import os
import struct
import sys

import pytest
from loopback_only import refuse_non_loopback_connections


def _point_tests_at_emulator():
    checkout = os.environ["UPSTREAM_CHECKOUT"]
    if checkout not in sys.path:
        sys.path.insert(0, checkout)
    import tests.testing_constants as constants  # the checkout's own module, as its tests import it

    constants.ENDPOINT_STAGING = os.environ["EMULATOR_URL"]
    constants.USER = os.environ["EMULATOR_USER"]
    constants.TOKEN = os.environ["EMULATOR_TOKEN"]
    return constants


def _safetensors(size: int) -> bytes:
    """A valid safetensors file of one uint8 tensor, `size` bytes of data that hf_xet cannot dedup away."""
    header = f'{{"dummy":{{"dtype":"U8","shape":[{size}],"data_offsets":[0,{size}]}}}}'.encode()
    header += b" " * (-len(header) % 8)
    data = bytes((i * 2654435761 >> 13) & 0xFF for i in range(size))
    return struct.pack("<Q", len(header)) + header + data


def _stand_in_for_production(constants) -> None:
    url = os.environ.get("EMULATOR_PRODUCTION_URL")
    if not url:
        return
    from huggingface_hub import HfApi
    from huggingface_hub import constants as client_constants
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    constants.ENDPOINT_PRODUCTION = url
    constants.ENDPOINT_PRODUCTION_URL_SCHEME = url + "/{repo_id}/resolve/{revision}/{filename}"
    api = HfApi(endpoint=url, token=os.environ["EMULATOR_PRODUCTION_TOKEN"])
    api.create_repo(constants.DUMMY_XET_MODEL_ID, exist_ok=True)
    xet_disabled = client_constants.HF_HUB_DISABLE_XET
    client_constants.HF_HUB_DISABLE_XET = False  # stored as production stores it, whatever the run's setting
    disable_progress_bars()
    try:
        api.upload_file(
            repo_id=constants.DUMMY_XET_MODEL_ID,
            path_in_repo=constants.DUMMY_XET_FILE,
            path_or_fileobj=_safetensors(300_000),
        )
    finally:
        client_constants.HF_HUB_DISABLE_XET = xet_disabled
        enable_progress_bars()


# At import (`-p emulator_plugin`), before pytest loads tests/conftest.py, which binds these constants.
refuse_non_loopback_connections()
_stand_in_for_production(_point_tests_at_emulator())


def pytest_configure(config: pytest.Config) -> None:
    # pytest-vcr (cassettes for inference tests) is not installed; its marker is declared so that
    # --strict-markers accepts the modules that use it.
    config.addinivalue_line("markers", "vcr: recorded HTTP cassette (pytest-vcr; unused here)")
