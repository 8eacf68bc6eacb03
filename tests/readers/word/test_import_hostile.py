"""Word files that no one here wrote, made in the test with zipfile: each is read, or refused
with a clear Swedish message naming the file (never a traceback), as a new document and with
--into (the existing source then stays as it was, byte for byte)."""

from __future__ import annotations

import io
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.wordpackage import (
    NAMESPACES,
    footer_xml,
    header_xml,
    heading_then,
    parts,
    styles_xml,
    write,
)

from styrdok.cli import main

OK = heading_then("Stadens text.")


def run(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(root)])


def refused(result, message: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.fixture
def project(tmp_path) -> Path:
    """A project with one document, imported from a plain Word file and its metadata filled in
    (as `--into` wants it)."""
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    assert run(root, "import", str(write(tmp_path / "plan.docx", parts(OK)))).exit_code == 0
    good = Path(__file__).parents[2] / "roots" / "good" / "source" / "liten" / "document.yaml"
    (root / "source" / "plan" / "document.yaml").write_bytes(good.read_bytes())
    return root


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def patched(contents: dict[str, bytes], name: str, **change) -> bytes:
    """A zip of the parts whose entry `name` has another general purpose flag, compression
    method, size or damaged data in its headers than what it holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in contents.items():
            z.writestr(part, data)
    b = bytearray(buffer.getvalue())
    for signature, name_at, fields in (
        (b"PK\x03\x04", 30, (6, 8, 22)),
        (b"PK\x01\x02", 46, (8, 10, 24)),
    ):
        i = 0
        while (i := b.find(signature, i)) >= 0:
            length = struct.unpack_from("<H", b, i + name_at - 4 if name_at == 30 else i + 28)[0]
            if bytes(b[i + name_at : i + name_at + length]) == name.encode():
                flag_at, method_at, size_at = (i + f for f in fields)
                if "flag" in change:
                    old = struct.unpack_from("<H", b, flag_at)[0]
                    struct.pack_into("<H", b, flag_at, old | change["flag"])
                if "method" in change:
                    struct.pack_into("<H", b, method_at, change["method"])
                if "size" in change:
                    struct.pack_into("<I", b, size_at, change["size"])
                if "damage" in change and signature == b"PK\x03\x04":
                    extra = struct.unpack_from("<H", b, i + 28)[0]
                    start = i + name_at + length + extra + 20
                    b[start : start + 40] = bytes(range(40))  # no valid deflate stream
            i += 4
    return bytes(b)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:hdr [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    f"<w:hdr {NAMESPACES}><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:hdr>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f"<w:styles {NAMESPACES}><w:style w:styleId='a'><w:name w:val='&x;'/></w:style></w:styles>"
)
LARGE = "<w:p/>" * 150_000  # more paragraphs than any styrdokument (the bound is 100 000)
LONG = f"<w:p><w:r><w:t>{'ord ' * 30_000}</w:t></w:r></w:p>"  # one paragraph of 120 000

# (file name, what is made of it, the message)
REFUSED = [
    (
        "trasig.docx",
        lambda: patched(parts(OK), "word/document.xml", damage=True),
        "filen är skadad (delen 'word/document.xml' går inte att packa upp)",
    ),
    (
        "krypterad.docx",
        lambda: patched(parts(OK), "word/document.xml", flag=0x1),
        "delen 'word/document.xml' är krypterad",
    ),
    (
        "ppmd.docx",
        lambda: patched(parts(OK), "word/document.xml", method=98),
        "packad med en metod som Word inte använder",
    ),
    (
        "underskattad.docx",  # says 100 bytes, holds 20 MB
        lambda: patched(
            parts(OK, headers=(header_xml("<w:p/>" + " " * (20 << 20)),)),
            "word/header1.xml",
            size=100,
        ),
        "filen är skadad (delen 'word/header1.xml'",
    ),
    (
        "sidhuvud-entiteter.docx",
        lambda: zipped(parts(OK, headers=(BILLION_LAUGHS,))),
        "delen 'word/header1.xml' har en DTD",
    ),
    (
        "sidhuvud-odefinierad.docx",
        lambda: zipped(
            parts(OK, headers=(header_xml("<w:p><w:r><w:t>&okänd;</w:t></w:r></w:p>"),))
        ),
        "delen 'word/header1.xml' är ingen giltig XML (rad 1)",
    ),
    (
        "xxe.docx",
        lambda: zipped(parts(OK, styles=XXE)),
        "delen 'word/styles.xml' har en DTD",
    ),
    (
        "dispositionsniva.docx",
        lambda: zipped(
            parts('<w:p><w:pPr><w:outlineLvl w:val="ett"/></w:pPr><w:r><w:t>1 A</w:t></w:r></w:p>')
        ),
        "delen 'word/document.xml': dispositionsnivån (w:outlineLvl) 'ett' är inget tal",
    ),
    (
        "stilar-dispositionsniva.docx",
        lambda: zipped(
            parts(
                OK,
                styles=styles_xml(
                    '<w:style w:type="paragraph" w:styleId="R"><w:name w:val="R"/><w:pPr>'
                    '<w:outlineLvl w:val="1.5"/></w:pPr></w:style>'
                ),
            )
        ),
        "delen 'word/styles.xml': dispositionsnivån (w:outlineLvl) '1.5' är inget tal",
    ),
    (
        "tomma-stycken.docx",
        lambda: zipped(parts(OK + LARGE)),
        "har fler än 100 000 stycken",
    ),
    ("langt-stycke.docx", lambda: zipped(parts(OK + LONG)), "ett stycke med mer än 100 000 tecken"),
    (
        "gammal.docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "lösenordsskyddat Word-dokument eller ett i det äldre .doc-formatet",
    ),
    (
        "sidhuvud-sparad-andring.docx",
        lambda: zipped(parts(OK, headers=(TRACKED_HEADER,))),
        "dokumentet har spårade ändringar",
    ),
    (
        "sidfot-sparad-andring.docx",
        lambda: zipped(
            parts(OK, footers=(footer_xml(TRACKED_HEADER[TRACKED_HEADER.index("<w:p>") : -8]),))
        ),
        "dokumentet har spårade ändringar",
    ),
    (
        "ingen-huvuddel.docx",
        lambda: zipped({"_rels/.rels": parts(OK)["_rels/.rels"]}),
        "inte ett Word-dokument (.docx) som går att läsa",
    ),
]

TRACKED_HEADER = header_xml(
    '<w:p><w:r><w:t xml:space="preserve">DNR </w:t></w:r><w:del w:id="1" w:author="A">'
    '<w:r><w:delText>KS 2018/1</w:delText></w:r></w:del><w:ins w:id="2" w:author="A">'
    "<w:r><w:t>KS 2019/7</w:t></w:r></w:ins></w:p>"
)


def zipped(contents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in contents.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_a_message_new_and_into(project, tmp_path, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    refused(run(project, "import", str(path), "--name", "ny"), message)
    assert not (project / "source" / "ny").exists()
    before = files(project)
    refused(run(project, "import", str(path), "--into", "plan"), message)
    assert files(project) == before  # the source stayed intact, nothing staged is left


def test_xxe_leaks_nothing(project, tmp_path):
    path = tmp_path / "xxe.docx"
    path.write_bytes(zipped(parts(OK, styles=XXE)))
    result = run(project, "import", str(path), "--name", "ny")
    assert "root:" not in result.output and result.exit_code == 1


def imported(project: Path, path: Path, *args: str, name: str = "ny") -> tuple[str, str, str]:
    result = run(project, "import", str(path), "--name", name, *args)
    assert result.exit_code == 0, result.output
    folder = project / "source" / name
    return (
        (folder / "document.md").read_text(encoding="utf-8"),
        (folder / "document.yaml").read_text(encoding="utf-8"),
        result.output,
    )


STRICT_NS = (
    'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" '
    'xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"'
)


def test_a_strict_document_imports_as_its_transitional_twin(project, tmp_path):
    transitional = imported(project, write(tmp_path / "t.docx", parts(OK)))
    body = f'<?xml version="1.0"?><w:document {STRICT_NS}><w:body>{OK}</w:body></w:document>'
    contents = parts(body)
    contents["_rels/.rels"] = contents["_rels/.rels"].replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
    )
    strict = imported(project, write(tmp_path / "s.docx", contents), name="strikt")
    assert strict[0] == transitional[0] and "Stadens text." in strict[0]


def test_the_main_part_is_where_the_package_says(project, tmp_path):
    md, _, _ = imported(project, write(tmp_path / "x.docx", parts(OK, main="innehall/huvud.xml")))
    assert "# Inledning {#inledning}" in md and "Stadens text." in md


@pytest.mark.parametrize("suffix", [".docm", ".docx"])
def test_macros_are_named_as_left_out(project, tmp_path, suffix):
    contents = parts(OK)
    contents["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 makron"
    md, _, output = imported(project, write(tmp_path / f"makron{suffix}", contents))
    assert "dokumentets makron (VBA) lämnades utanför" in output and "Stadens text." in md


def test_tracked_changes_in_a_header_are_accepted_like_the_bodys(project, tmp_path):
    path = write(tmp_path / "h.docx", parts(OK, headers=(TRACKED_HEADER,)))
    _, yaml, _ = imported(project, path, "--accept-changes")
    assert "dnr: KS 2019/7" in yaml


COVER = [
    '<w:p><w:hyperlink r:id="rIdweb"><w:r><w:t>Läs mer på webben</w:t></w:r></w:hyperlink></w:p>',
    '<w:p><w:fldSimple w:instr="AUTHOR"><w:r><w:t>Anna Författare</w:t></w:r></w:fldSimple></w:p>',
    "<w:p><w:sdt><w:sdtPr><w:citation/></w:sdtPr><w:sdtContent><w:r><w:t>(Berg 2020)</w:t>"
    "</w:r></w:sdtContent></w:sdt></w:p>",
]


@pytest.mark.parametrize("paragraph", COVER)
def test_a_cover_paragraph_with_a_field_link_or_citation_is_named(project, tmp_path, paragraph):
    title = '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Plan</w:t></w:r></w:p>'
    styles = styles_xml(
        '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    )
    contents = parts(title + paragraph + OK, styles=styles, links=(("rIdweb", "https://a.se/"),))
    _, _, output = imported(project, write(tmp_path / "omslag.docx", contents))
    text = paragraph.split("<w:t>")[1].split("</w:t>")[0]
    assert f"omslaget: texten '{text}' fördes inte över" in output


def test_an_empty_name_is_refused(project, tmp_path):
    path = write(tmp_path / "plan2.docx", parts(OK))
    refused(run(project, "import", str(path), "--name", ""), "--name är tomt")
    assert sorted(p.name for p in (project / "source").iterdir()) == ["plan"]


def test_a_fifo_is_named_for_what_it_is(project, tmp_path):
    fifo = tmp_path / "ror.docx"
    os.mkfifo(fifo)
    refused(run(project, "import", str(fifo)), "är en namngiven pipe (FIFO), ingen fil")


def test_the_declared_sizes_are_checked_before_anything_is_inflated(project, tmp_path):
    contents = parts(OK)
    path = tmp_path / "stor.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in contents.items():
            z.writestr(name, data)
        z.writestr("word/media/noll.bin", bytes(210 << 20))
    refused(run(project, "import", str(path)), "packar upp till mer än 200 MB")


def test_corrupt_data_is_corrupt_also_outside_the_main_part(project, tmp_path):
    contents = parts(OK, styles=styles_xml("<w:style/>" * 2000))
    path = tmp_path / "stilar.docx"
    path.write_bytes(patched(contents, "word/styles.xml", damage=True))
    refused(run(project, "import", str(path)), "delen 'word/styles.xml' går inte att packa upp")


# --- a signal during an import ------------------------------------------------------------------

STYRDOK = Path(sys.executable).with_name("styrdok")


def marked_processes(mark: str) -> list[int]:
    """The processes whose environment carries this mark (styrdok and what it started)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"STYRDOK_TEST_MARK={mark}".encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def test_sigterm_at_any_moment_leaves_no_staging_folder_and_no_pandoc(tmp_path):
    """SIGTERM while the Word file is read, while pandoc checks the text, while the folder is
    staged and published: afterwards no `.styrdok-*` folder is left in source/, no pandoc
    runs on, and the document is there whole or not at all."""
    words = " ".join(["ord"] * 40)
    body = OK + "".join(f"<w:p><w:r><w:t>{k}: {words}</w:t></w:r></w:p>" for k in range(1500))
    path = write(tmp_path / "lang.docx", parts(body))
    root = tmp_path / "proj"
    (root / "source").mkdir(parents=True)
    mark = f"{os.getpid()}-{time.time_ns()}"
    env = {**os.environ, "STYRDOK_TEST_MARK": mark}
    args = [str(STYRDOK), "import", str(path), "--root", str(root)]
    start = time.monotonic()
    subprocess.run([*args, "--name", "hel"], env=env, check=True, capture_output=True)
    whole = time.monotonic() - start  # most moments late in it: staging, publishing, clean-up
    codes = []
    for k, part in enumerate((0.2, 0.5, 0.8, 0.9, 0.95, 1.0)):
        delay = whole * part
        proc = subprocess.Popen(
            [*args, "--name", f"d{k}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        codes.append(proc.wait(timeout=30))
        deadline = time.monotonic() + 5
        while marked_processes(mark) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marked_processes(mark) == [], f"a process outlived styrdok after {delay:.2f} s"
        assert list((root / "source").glob(".styrdok-*")) == [], f"staging after {delay:.2f} s"
        folder = root / "source" / f"d{k}"
        assert not folder.exists() or sorted(p.name for p in folder.iterdir()) == [
            "document.md",
            "document.yaml",
        ]
    assert set(codes) <= {0, 128 + signal.SIGTERM} and 128 + signal.SIGTERM in codes


def test_every_paragraph_of_a_cover_table_is_named(project, tmp_path):
    """A cover table may hold a page of text: each of its paragraphs that gives no value is
    named, not only the first words of its cell."""
    cell = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in ("Nyheter", "Stadens budget"))
    label = "<w:tc><w:p><w:r><w:t>Diarienummer</w:t></w:r></w:p></w:tc>"
    value = "<w:tc><w:p><w:r><w:t>KS 2024/9</w:t></w:r></w:p></w:tc>"
    table = f"<w:tbl><w:tr>{label}{value}</w:tr><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"
    _, yaml, output = imported(project, write(tmp_path / "tabell.docx", parts(table + OK)))
    assert "dnr: KS 2024/9" in yaml
    assert "omslaget: texten 'Nyheter' fördes inte över" in output
    assert "omslaget: texten 'Stadens budget' fördes inte över" in output
    assert "Diarienummer' fördes" not in output and "KS 2024/9' fördes" not in output
