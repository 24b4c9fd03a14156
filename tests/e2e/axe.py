"""axe-core, the accessibility rules engine, run inside the page under test.

The script is vendored under tests/e2e/vendor/ from the npm package (`npm pack axe-core@<version>`, files
axe.min.js and the licences): it is test equipment, never served by the portal. It is injected as an
inline script, so the context must be opened with `bypass_csp=True` once the portal sends a CSP.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING_IMPACTS = ("critical", "serious")


@cache
def _source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Any, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA (and best-practice) violations of the current page with the given impacts."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=_source())
    results = page.evaluate(
        """() => axe.run(document, {
            resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        })"""
    )
    return [violation for violation in results["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: the rule, what it asks, and where it fails (first few elements)."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
