"""The counts of an upstream conformance run, and whether its failures are the expected ones.

    python summarize.py cannot-pass.txt report.xml   # prints counts per file and class; exit 1 on a surprise
    python summarize.py cannot-pass.txt              # prints the node ids that cannot pass in this setting

The setting comes from the environment, as scripts/run-upstream-conformance.sh sets it: UPSTREAM_CLIENT
(pinned | checkout) and UPSTREAM_STAND_IN (1 | 0) decide which tagged reasons of cannot-pass.txt apply.
"""

import os
import sys
import xml.etree.ElementTree as ElementTree
from collections import defaultdict


def cannot_pass(list_file: str) -> dict[str, str]:
    """Node id -> reason, for the reasons that apply in this setting."""
    pinned = os.environ.get("UPSTREAM_CLIENT", "pinned") == "pinned"
    stand_in = os.environ.get("UPSTREAM_STAND_IN", "1") != "0"
    listed: dict[str, str] = {}
    reason = ""
    applies = True
    for raw in open(list_file, encoding="utf-8"):
        line = raw.strip()
        if line == "":
            reason = ""
            continue
        if line.startswith("#"):
            text = line.lstrip("# ")
            if reason == "":
                reason = text
                applies = not (text.startswith("[pinned-client]") and not pinned) and not (
                    text.startswith("[no-stand-in]") and stand_in
                )
            continue
        if applies:
            listed[line] = reason
    return listed


def node_id(case: ElementTree.Element) -> str:
    """tests.test_hf_api.TestCommitApi + test_x -> tests/test_hf_api.py::TestCommitApi::test_x."""
    parts = case.get("classname", "").split(".")
    module = next(i for i, part in enumerate(parts) if part.startswith("test_"))
    return "::".join(["/".join(parts[: module + 1]) + ".py", *parts[module + 1 :], case.get("name", "")])


def outcome(case: ElementTree.Element) -> str:
    for child in case:
        if child.tag in ("failure", "error", "skipped"):
            return {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
    return "passed"


def main() -> int:
    listed = cannot_pass(sys.argv[1])
    if len(sys.argv) == 2:
        print("\n".join(listed))
        return 0
    cases = [(node_id(case), outcome(case)) for case in ElementTree.parse(sys.argv[2]).iter("testcase")]
    by_group: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node, result in cases:
        path, *rest = node.split("::")
        group = f"{path}::{rest[0]}" if len(rest) > 1 else path
        by_group[path][result] += 1
        if group != path:
            by_group[group][result] += 1
    print("upstream conformance, per file and class (passed of run):")
    for group in sorted(by_group, key=lambda g: (g.split("::")[0], "::" in g, g)):
        counts = by_group[group]
        total = sum(counts.values())
        others = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()) if k != "passed" and n)
        indent = "    " if "::" in group else "  "
        name = group.split("::")[-1] if "::" in group else group
        print(f"{indent}{name}: {counts['passed']} of {total}" + (f" ({others})" if others else ""))
    failed = [node for node, result in cases if result in ("failed", "error")]
    expected = [node for node in failed if node in listed]
    surprises = [node for node in failed if node not in listed]
    passed_anyway = [node for node, result in cases if result == "passed" and node in listed]
    print(f"failed as expected (scripts/upstream-conformance/cannot-pass.txt): {len(expected)}")
    for node in passed_anyway:
        print(f"listed as cannot pass, but passed: {node}")
    for node in surprises:
        print(f"UNEXPECTED failure: {node}")
    return 1 if surprises else 0


if __name__ == "__main__":
    sys.exit(main())
