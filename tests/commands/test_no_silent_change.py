"""No silent change: everything `check` accepts is built as written, and everything else is
refused at its line with the fix. Each row puts one input into a small document and asserts one
of the two: the DOCX holds the text as written, or check and build refuse it at its line."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from styrdok.cli import main

REPO = Path(__file__).resolve().parents[2]
BODY = """# Inledning {#inledning}

{X}

# Åtgärder {#atgarder}

## En åtgärd {#en-atgard .åtgärd}

Vad åtgärden gör.

Ansvarig nämnd eller bolag
: Socialförvaltningen

Tidplan
: Klart 2019

Uppföljning
: Styrgruppen
{Y}"""
X_LINE, Y_LINE = 3, 20

BUILT = [  # also in the table: "[@smith]" and "| a" lines are text in this Markdown
    ("# 1 Bakgrund {#bakgrund}\n\nText.", ["2 1 Bakgrund", "Text."]),  # a title in section 2
    ("## Spara som .pdf\n\n## Staden är #1", ["Spara som .pdf", "Staden är #1"]),
    # (the input at line 3, the paragraphs the DOCX must hold)
    ("3. tre\n4. fyra", ["tre", "fyra"]),
    ("1. ett\n2. två", ["ett", "två"]),
    ("- a\n- b", ["a", "b"]),
    ("Box 1\\\nHelsingborg", ["Box 1\nHelsingborg"]),
    ("Box 1  \nHelsingborg", ["Box 1\nHelsingborg"]),
    ("**Adress:**\\\nBox 1\\\n251 89 Helsingborg", ["Adress:\nBox 1\n251 89 Helsingborg"]),
    ("- Box 1\\\n  Helsingborg", ["Box 1\nHelsingborg"]),
    ("Se https://helsingborg.se/bo.", ["Se https://helsingborg.se/bo."]),
    ("Se <https://helsingborg.se>.", ["Se https://helsingborg.se."]),
    ("**fet** och *kursiv*", ["fet och kursiv"]),
    ("m² och CO₂ och 1:a", ["m² och CO₂ och 1:a"]),
    ("100 m^2^ och CO~2~ och x^a b^", ["100 m2 och CO2 och xa b"]),
    ("Pris: 100 kr", ["Pris: 100 kr"]),
    ("\\*inte kursiv\\*", ["*inte kursiv*"]),
    ("En rad\nsom fortsätter", ["En rad som fortsätter"]),
    ("\"raka\" och 'enkla' -- två", ["\"raka\" och 'enkla' -- två"]),
    ("[länk](https://a.se) och [mejl](mailto:a@b.se)", ["länk och mejl"]),
    ("Text med `kod`", ["Text med kod"]),
    ("Skriv `[^z]` för en fotnot.", ["Skriv [^z] för en fotnot."]),
    ("10 steg mot målet", ["10 steg mot målet"]),
    ("2026 års satsningar", ["2026 års satsningar"]),
    ("100 % & 5 < 6", ["100 % & 5 < 6"]),
    ("{{ titel }} {% if %}", ["{{ titel }} {% if %}"]),
    # tables: each row as its cells' texts joined by " | "
    ("| Roll | Ansvar |\n|---|---|\n| Nämnd | **Leder** |", ["Roll | Ansvar", "Nämnd | Leder"]),
    ("|Roll|Ansvar|\n|-|-|\n|Nämnd|Leder|", ["Roll | Ansvar", "Nämnd | Leder"]),
    ("Roll | Ansvar\n--- | ---\nNämnd | Leder", ["Roll | Ansvar", "Nämnd | Leder"]),
    ("| a | b |\n|---|---|\n| 1 |  |", ["a | b", "1 | "]),
    ("| Pris \\| kr | x |\n|---|---|\n| 1 | 2 |", ["Pris | kr | x", "1 | 2"]),
    ("| Vad | m^2^ |\n|---|---|\n| [länk](https://a.se) | CO~2~ |", ["Vad | m2", "länk | CO2"]),
    ("| a |\n|---|\n| - punkt |\n| 1. ett |", ["a", "- punkt", "1. ett"]),
    ("| a |\n|---|\n| 1 |\n\nText.\n\n| b |\n|---|\n| 2 |", ["a", "1", "Text.", "b", "2"]),
    ("Text | med streck", ["Text | med streck"]),  # no line of dashes: no table
    # footnotes: the mark where it stands (its text in word/footnotes.xml, see the test below)
    ("Text[^1] och mer[^a].\n\n[^1]: Ett.\n\n[^a]: Två.", ["Text och mer."]),
    ("Text[^1].\n\nMer.\n\n[^1]: En not.", ["Text.", "Mer."]),
    ("- punkt[^1]\n\n[^1]: En not.", ["punkt"]),
    ("Pris[^1]: 100 kr\n\n[^1]: Exkl. moms.", ["Pris: 100 kr"]),
]

REFUSED = [
    # (where, the input, the line, what the message says)
    ("X", "# 2 Bakgrund {#bakgrund}", X_LINE, "avsnittets nummer sätts automatiskt"),
    ("X", "## 3:2 Gör {#gor .åtgärd}", X_LINE, "åtgärdens nummer sätts automatiskt"),
    ("X", "## Gör något {#gor-nagot .atgard}", X_LINE, "okänd klass '.atgard' i rubriken (menade"),
    ("X", "## Gör något .åtgärd", X_LINE, "står utan klammerparenteser; skriv '## Rubrik {#id"),
    ("X", "# Gör något #gor-nagot", X_LINE, "står utan klammerparenteser"),
    ("X", "## Gör något {.åtgärd}", X_LINE, "skriv rubriken som '## Rubrik {#ett-id .åtgärd}'"),
    ("X", "#### Nivå fyra", X_LINE, "rubriknivå 4 stöds inte"),
    ("X", "[a]{.underline}", X_LINE, "understrykning stöds inte"),
    ("X", "[a]{.smallcaps}", X_LINE, "kapitäler stöds inte"),
    ("X", "[a]{#ankare}", X_LINE, "formateringen {#ankare} stöds inte"),
    ("X", "~~bort~~", X_LINE, "genomstrykning stöds inte"),
    ("X", "![bild](a.png)", X_LINE, "bilder stöds inte i texten"),
    ("X", "Text[^1].", X_LINE, "fotnoten [^1] saknar sin text"),
    ("X", "Text.\n\n[^1]: En not.", X_LINE + 2, "fotnoten [^1] används inte i texten"),
    ("X", "## Rubrik[^1]\n\n[^1]: En not.", X_LINE, "fotnoter i rubriker stöds inte"),
    ("X", "Text[^1].\n\n[^1]: - en\n    - två", X_LINE, "en fotnot rymmer ett stycke"),
    ("X", "Text[^1].\n\n[^1]: Ett.\n\n[^1]: Två.", X_LINE + 4, "[^1] har redan en text på rad 5"),
    ("X", "| a | b | c |\n|---|---|\n| 1 | 2 |", X_LINE, "ser ut som en tabell men blev ingen"),
    ("X", "| a | `b|c` |\n|---|---|\n| 1 | 2 |", X_LINE, "ser ut som en tabell men blev ingen"),
    ("X", "| a |", X_LINE, "raden ser ut som en tabell men blev ingen"),
    ("X", "| a | b |\n| c | d |", X_LINE, "raden ser ut som en tabell men blev ingen"),
    ("X", "> citat", X_LINE, "citatblock ('> …') stöds inte"),
    ("X", "    kod", X_LINE, "kodblock stöds inte"),
    ("X", "***", X_LINE, "linjer ('---') stöds inte"),
    ("X", "<div>x</div>", X_LINE, "HTML stöds inte"),
    ("X", "a <b>fet</b>", X_LINE, "HTML stöds inte"),
    ("X", "| a | b |\n|---|---|\n| 1 | 2 | 3 |", X_LINE + 2, "raden har 3 celler men"),
    ("X", "| a | b |\n|---|---|\n| 1 |", X_LINE + 2, "raden har 1 cell men"),
    ("X", "| a | b |\n|:--|--:|\n| 1 | 2 |", X_LINE + 1, "kolumnjustering (':'"),
    ("X", "|  |  |\n|---|---|\n| 1 | 2 |", X_LINE, "tabellen saknar rubrikrad"),
    ("X", "| a | b |\n|---|---|", X_LINE, "tabellen har bara en rubrikrad"),
    ("X", "| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |", X_LINE + 4, "två tabeller direkt"),
    ("X", "| a |\n|---|\n| ![x](https://a.se/b.png) |", X_LINE + 2, "bilder stöds inte"),
    ("X", "| a |\n|---|\n| <b>x</b> |", X_LINE + 2, "HTML stöds inte"),
    ("X", "$x^2$", X_LINE, "formler stöds inte"),
    ("X", "::: ruta\ntext\n:::", X_LINE, "block inom ':::' stöds inte"),
    ("X", "[x](javascript:alert(1))", X_LINE, "länken 'javascript:alert(1)' går inte"),
    ("X", "[x](bilaga.pdf)", X_LINE, "länken 'bilaga.pdf' går inte"),
    ("X", "[åtgärd](#finns-inte)", X_LINE, "hänvisningen till '#finns-inte' pekar inte"),
    ("X", "Rad\x0bmed Skift+Retur", X_LINE, "radbrytning från Word (Skift+Retur, U+000B)"),
    ("Y", "\nEfter fälten.", Y_LINE, "text efter fälten i åtgärden 'en-atgard'"),
    ("Y", "\n## Underrubrik", Y_LINE, "text efter fälten i åtgärden"),
    ("Y", "\nTidplan\n:Klart 2020", Y_LINE, "fältet 'Tidplan': skriv kolon och mellanslag"),
    ("Y", "\nTidplan\n: Klart 2020", Y_LINE, "fältet 'Tidplan' står två gånger"),
    ("X", "# Begrepp {#begrepp .bilaga}", 5, "avsnittet står efter en bilaga; bilagorna"),
    ("X", "## Gör {#gor .bilaga}", X_LINE, "okänd klass '.bilaga' i rubriken"),
    ("Y", "\n# B {#b .bilaga}\n\n## Gör {#g .åtgärd}", 22, "en bilaga har inga åtgärder"),
    ("Y", "\n# Bilaga 1 Begrepp {#b .bilaga}", Y_LINE, "bilagans nummer sätts automatiskt"),
]


def project(tmp_path: Path, x: str = "Text.", y: str = "") -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "roots" / "good", root)
    body = BODY.replace("{X}", x).replace("{Y}", y)
    (root / "source" / "liten" / "document.md").write_text(body + "\n", encoding="utf-8")
    return root


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root)])


@pytest.mark.parametrize(("source", "paragraphs"), BUILT)
def test_accepted_input_is_built_as_written(tmp_path, source, paragraphs):
    root = project(tmp_path, x=source)
    checked = cli(root, "check")
    assert checked.exit_code == 0, checked.output
    assert cli(root, "build", "--format", "docx").exit_code == 0
    docx = root / "build" / "liten" / "liten.docx"
    texts = [
        p.text if isinstance(p, Paragraph) else row
        for p in Document(str(docx)).iter_inner_content()
        for row in ([None] if isinstance(p, Paragraph) else _rows(p))
    ]
    start = texts.index("1 Inledning") + 1 if "1 Inledning" in texts else 0
    found = texts[start : start + len(paragraphs)]
    assert found == paragraphs, texts


def _rows(table) -> list[str]:
    return [" | ".join(cell.text for cell in row.cells) for row in table.rows]


@pytest.mark.parametrize(("where", "source", "line", "message"), REFUSED)
def test_refused_input_names_its_line_and_the_fix(tmp_path, where, source, line, message):
    root = project(tmp_path, **{where.lower(): source})
    for command in (("check",), ("build", "--format", "docx")):
        result = cli(root, *command)
        assert result.exit_code == 1, result.output
        assert f"document.md:{line}: " in result.output, result.output
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    assert not (root / "build").exists()


def test_a_numbered_list_starts_at_its_first_number(tmp_path):
    root = project(tmp_path, x="3. tre\n4. fyra")
    assert cli(root, "build", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(root / "build" / "liten" / "liten.docx") as z:
        numbering = z.read("word/numbering.xml").decode()
    assert '<w:startOverride w:val="3"/>' in numbering


def test_the_type_is_read_in_any_case_and_written_canonical(tmp_path):
    root = project(tmp_path)
    meta = root / "source" / "liten" / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("typ: plan", "typ: POLICY"))
    assert cli(root, "build", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(root / "build" / "liten" / "liten.docx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "<cp:category>POLICY</cp:category>" in core
    assert "<cp:keywords>styrdokument; policy;" in core


def test_a_yaml_value_with_a_colon_is_told_to_be_quoted(tmp_path):
    root = project(tmp_path)
    meta = root / "source" / "liten" / "document.yaml"
    text = meta.read_text(encoding="utf-8").replace("giltighet: 2019-2020", "giltighet: Till: 2028")
    meta.write_text(text, encoding="utf-8")
    result = cli(root, "check")
    assert result.exit_code == 1
    assert "document.yaml:8: värdet innehåller" in result.output
    assert 'sätt värdet inom citattecken: giltighet: "Till: 2028"' in result.output


APPENDICES = """

# Begreppslista {#begrepp .bilaga}

Se [bilaga 2](#lagar), [bilagan](#lagar) och [åtgärd](#en-atgard).

# Lagar {#lagar .bilaga}

Socialtjänstlagen\\
(2001:453)"""


def test_appendices_are_numbered_on_their_own_pages_and_in_the_toc(tmp_path):
    root = project(tmp_path, y=APPENDICES)
    assert cli(root, "build", "--format", "docx").exit_code == 0
    docx = root / "build" / "liten" / "liten.docx"
    paragraphs = Document(str(docx)).paragraphs
    texts = [p.text for p in paragraphs]
    assert "Bilaga 1 Begreppslista" in texts and "Bilaga 2 Lagar" in texts
    assert "Se bilaga 2, bilagan Bilaga 2 och åtgärd 2:1." in texts
    assert "Socialtjänstlagen\n(2001:453)" in texts
    assert [t.split("\t")[0] for t in texts if "\t" in t][-2:] == [
        "Bilaga 1 Begreppslista",
        "Bilaga 2 Lagar",
    ]
    heading = next(p for p in paragraphs if p.text == "Bilaga 1 Begreppslista")
    assert heading._p.pPr.find(qn("w:pageBreakBefore")) is not None
    assert heading.style.name == "Heading 1"


def test_an_appendix_survives_the_round_trip_through_word(tmp_path):
    root = project(tmp_path, y=APPENDICES)
    assert cli(root, "build", "--format", "docx").exit_code == 0
    docx = root / "build" / "liten" / "liten.docx"
    imported = cli(root, "import", str(docx), "--name", "tillbaka")
    assert imported.exit_code == 0, imported.output
    body = (root / "source" / "tillbaka" / "document.md").read_text(encoding="utf-8")
    assert "# Begreppslista {#begrepp .bilaga}" in body and "# Lagar {#lagar .bilaga}" in body
    assert "Socialtjänstlagen\\\n(2001:453)" in body
    from styrdok.readers.markdown.source import load_document

    a = load_document(root / "source" / "liten")
    b = load_document(root / "source" / "tillbaka")
    assert [(s.id, s.appendix) for s in a.sections] == [(s.id, s.appendix) for s in b.sections]


def test_super_and_subscript_are_real_and_survive_word(tmp_path):
    root = project(tmp_path, x="Ytan är 100 m^2^, utsläppen av CO~2~ **minskar^1^**.")
    assert cli(root, "build", "--format", "docx").exit_code == 0
    docx = root / "build" / "liten" / "liten.docx"
    paragraph = next(p for p in Document(str(docx)).paragraphs if p.text.startswith("Ytan"))
    scripts = [(r.text, bool(r.font.superscript), bool(r.font.subscript)) for r in paragraph.runs]
    assert [x for x in scripts if x[1] or x[2]] == [
        ("2", True, False),
        ("2", False, True),
        ("1", True, False),
    ]
    imported = cli(root, "import", str(docx), "--name", "tillbaka")
    assert imported.exit_code == 0, imported.output
    body = (root / "source" / "tillbaka" / "document.md").read_text(encoding="utf-8")
    assert "100 m^2^" in body and "CO~2~" in body and "**minskar**^**1**^" in body


def test_a_word_list_that_goes_on_after_a_paragraph_keeps_counting(tmp_path):
    import copy

    root = project(tmp_path, x="1. ett\n2. två\n3. tre")
    assert cli(root, "build", "--format", "docx").exit_code == 0
    docx = root / "build" / "liten" / "liten.docx"
    doc = Document(str(docx))
    items = [p for p in doc.paragraphs if p.text in ("två", "tre")]
    between = copy.deepcopy(items[0]._p)
    between.remove(between.pPr)
    for t in between.iter(qn("w:t")):
        t.text = "Mellan punkterna."
    items[0]._p.addnext(between)
    doc.save(str(tmp_path / "ändrad.docx"))
    assert cli(root, "import", str(tmp_path / "ändrad.docx"), "--name", "tillbaka").exit_code == 0
    body = (root / "source" / "tillbaka" / "document.md").read_text(encoding="utf-8")
    assert "1. ett\n2. två\n\nMellan punkterna.\n\n3. tre" in body


def test_footnotes_are_word_footnotes_with_their_text_as_written(tmp_path):
    root = project(tmp_path, x="Text[^1] och mer[^a].\n\n[^1]: Ett *kursivt* ord.\n\n[^a]: Två.")
    assert cli(root, "build", "--format", "docx").exit_code == 0
    with zipfile.ZipFile(root / "build" / "liten" / "liten.docx") as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    texts = re.findall(r'<w:footnote w:id="\d+">(.*?)</w:footnote>', notes)
    assert [re.sub(r"<[^>]+>", "", t) for t in texts] == [" Ett kursivt ord.", " Två."]
    assert body.count("<w:footnoteReference ") == 2
