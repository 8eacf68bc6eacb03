"""The screenshot of `styrdok serve` showing a source `check` refuses, for the README
(`make images`): the example is copied to a temporary folder and served, a date and a heading are
spoiled on disk as a writer might, and the page that loaded again by itself is photographed in
Debian's chromium through playwright (nothing is downloaded).

    .venv/bin/python scripts/serve_screenshot.py OUT.png
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from support.browser import launch  # noqa: E402
from support.serving import Served  # noqa: E402

DOCUMENT = "handlingsplan-bostadssociala"


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "projekt"
        shutil.copytree(REPO / "source" / DOCUMENT, root / "source" / DOCUMENT)
        shutil.copytree(REPO / "templates", root / "templates")
        server = Served(root, DOCUMENT)
        try:
            server.settled()
            with sync_playwright() as p:
                browser = launch(p)
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(f"{server.url}{DOCUMENT}/")
                folder = root / "source" / DOCUMENT
                meta = folder / "document.yaml"
                meta.write_text(
                    meta.read_text("utf-8").replace("2018-02-12", "2018-02-30"), "utf-8"
                )
                body = folder / "document.md"
                text = body.read_text("utf-8").replace(
                    " {#koppling-till-andra-styrdokument}", "", 1
                )
                body.write_text(text, "utf-8")
                expect(page.locator(".sd-fel li")).to_have_count(2, timeout=60_000)
                page.screenshot(path=out)
                browser.close()
        finally:
            server.stop()
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
