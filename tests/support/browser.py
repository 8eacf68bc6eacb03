"""Headless Chromium (Debian's `chromium`) through playwright, and axe-core injected into pages.

No browser is downloaded: playwright drives the system's /usr/bin/chromium, and axe-core comes
from npm (package.json, installed by `make build` with `npm ci`).
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


def axe(page) -> dict:
    """axe-core's results for the page at WCAG 2.1 AA."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_21_AA,
    )


def violations(page) -> list[str]:
    """Each violation as one readable line: rule, impact, the elements it is about."""
    out = []
    for v in axe(page)["violations"]:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return out
