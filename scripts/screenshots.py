"""Screenshots of the HTML edition for docs/images/ (`make images`): a document page and the
register at desktop (1280 px) and phone (390 px) width, and a change report, in Debian's
chromium through playwright (tests/support/browser.py launches it; nothing is downloaded).

    .venv/bin/python scripts/screenshots.py BUILD_DIR CHANGES_HTML OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402
from support.browser import launch  # noqa: E402

DOCUMENT = "handlingsplan-bostadssociala"
SHOTS = (  # (file, page in the build folder, width, height)
    ("html-dokument-1280.png", f"{DOCUMENT}/index.html", 1280, 1000),
    ("html-dokument-390.png", f"{DOCUMENT}/index.html", 390, 844),
    ("html-register-1280.png", "index.html", 1280, 760),
    ("html-register-390.png", "index.html", 390, 844),
)


def main(build: Path, changes: Path, out: Path) -> None:
    with sync_playwright() as p:
        browser = launch(p)
        shots = [(name, build / page, w, h) for name, page, w, h in SHOTS]
        shots.append(("html-rapport-1280.png", changes, 1280, 1000))
        for name, page_path, width, height in shots:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_path.resolve().as_uri())
            page.screenshot(path=out / name)
            page.close()
            print(out / name)
        browser.close()


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:4]))
