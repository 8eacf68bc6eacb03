"""serve's own pages (writers/preview.py): a document refused, a message, the PDF view — each
under the project's banner, as the documents' pages are."""

from __future__ import annotations

import pytest

from styrdok.project.settings import City
from styrdok.writers import preview

LUND = City("Lunds kommun", "LUNDS KOMMUN")


@pytest.mark.parametrize(
    "make",
    [
        lambda f: preview.problem_page("Cykelplan", f),
        lambda f: preview.message_page("Cykelplan", "Byggs just nu.", f),
        lambda f: preview.pdf_page("Cykelplan", "cykelplan.pdf", f),
    ],
)
def test_serves_own_pages_carry_the_citys_banner(make):
    frame = preview.Frame("cykelplan", "cykelplan", "run", 1, (("/", "Alla"),), "", city=LUND)
    html = make(frame)
    assert '<p class="city">LUNDS KOMMUN</p>' in html and "HELSINGBORG" not in html
    assert "Cykelplan" in html
