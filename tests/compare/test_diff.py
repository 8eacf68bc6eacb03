"""Change lists between real git revisions: matched by identity, moves are moves."""

from __future__ import annotations

import json
from datetime import datetime

import docx
import pypdf
import pytest
from click.testing import CliRunner
from support.gitrepo import CET, DOC, DocRepo, measure_block

from styrdok.cli import main
from styrdok.compare.changelist import diff_documents
from styrdok.readers.revisions import load_revision

WHEN = datetime(2019, 9, 16, 10, 0, tzinfo=CET)


@pytest.fixture
def doc_repo(tmp_path) -> DocRepo:
    return DocRepo(tmp_path / "repo")


def changes(doc_repo: DocRepo) -> list[tuple]:
    """Each entry as (target, kind, id, number, old number, changed fields)."""
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    return [
        (e.target, e.kind, e.id, e.number, e.old_number, tuple(f.field for f in e.fields))
        for e in diff_documents(old, new).entries
    ]


def test_changed_timeline_is_one_field_change(doc_repo):
    doc_repo.edit(": Klart juni 2018\n", ": Klart december 2019\n")
    doc_repo.commit("Ny tidplan för 3:1", WHEN)
    assert changes(doc_repo) == [
        ("measure", "modified", "bostadspolitiskt-program", "3:1", "3:1", ("tidplan",))
    ]


def test_added_measure(doc_repo):
    new = "## Ny åtgärd {#ny-atgard .åtgärd}\n\nText.\n\nAnsvarig nämnd eller bolag\n: X\n\n"
    new += "Tidplan\n: 2020\n\nUppföljning\n: Styrgruppen\n\n"
    doc_repo.edit("# Begrepp {#begrepp}", new + "# Begrepp {#begrepp}")
    doc_repo.commit("Ny åtgärd", WHEN)
    fields = ("title", "text", "ansvarig", "tidplan", "uppfoljning")
    assert changes(doc_repo) == [("measure", "added", "ny-atgard", "3:11", None, fields)]
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    (entry,) = diff_documents(old, new).entries
    assert (entry.field("ansvarig").old, entry.field("ansvarig").new) == (None, "X")


def test_removed_measure_renumbers_the_rest_without_rewriting_them(doc_repo):
    text = (doc_repo.folder / "document.md").read_text(encoding="utf-8")
    doc_repo.edit(measure_block(text, "kontraktsformer"), "")
    doc_repo.commit("3:3 klar", WHEN)
    found = changes(doc_repo)
    # the introduction's references by id now show the new numbers ("se åtgärd 3:3", was 3:4):
    # no edit of the introduction (its source did not change)
    assert found[0][:5] == ("measure", "removed", "kontraktsformer", None, "3:3")
    assert {k for _, k, *_ in found[1:]} == {"renumbered"}
    assert [f[3] for f in found[1:]] == [f"3:{i}" for i in range(3, 10)]
    assert [f[4] for f in found[1:]] == [f"3:{i}" for i in range(4, 11)]
    assert all(f[5] == () for f in found[1:])  # renumbered only, nothing else changed


NEW_MEASURE = (
    "## Ny åtgärd {#ny-atgard .åtgärd}\n\nText.\n\nAnsvarig nämnd eller bolag\n: X\n\n"
    "Tidplan\n: 2020\n\nUppföljning\n: Styrgruppen\n\n"
)


def test_a_reference_that_only_followed_its_renumbered_target_is_no_edit(doc_repo):
    """A measure inserted before the one the introduction refers to: the introduction's
    source is unchanged, only the number its reference shows (3:4 → 3:5). The introduction is
    not listed as modified; the renumbered measure names it as referring to it (issue 22)."""
    doc_repo.edit(
        "## Riktlinjer för bostadssociala", NEW_MEASURE + "## Riktlinjer för bostadssociala"
    )
    doc_repo.commit("Ny åtgärd före 3:4", WHEN)
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    entries = diff_documents(old, new).entries
    assert [e.target for e in entries] == ["measure"] * 8  # no section: none was edited
    assert [(e.kind, e.id, e.number, e.old_number, e.fields != ()) for e in entries] == [
        ("added", "ny-atgard", "3:4", None, True),
        ("renumbered", "riktlinjer-bostadssociala-lagenheter", "3:5", "3:4", False),
        ("renumbered", "utflytt-skuldsatta-hushall", "3:6", "3:5", False),
        ("renumbered", "flyttkedjor", "3:7", "3:6", False),
        ("renumbered", "oversyn-hyresrattsbestand", "3:8", "3:7", False),
        ("renumbered", "vrakningsforebyggande-team", "3:9", "3:8", False),
        ("renumbered", "anvisade-put-tut", "3:10", "3:9", False),
        ("renumbered", "bostad-forst", "3:11", "3:10", False),
    ]
    intro = (("section", "inledning", "1"),)
    referred = {e.id: e.referenced_from for e in entries}
    assert referred == {
        "ny-atgard": (),
        "riktlinjer-bostadssociala-lagenheter": intro,
        "utflytt-skuldsatta-hushall": intro,
        "flyttkedjor": intro,
        "oversyn-hyresrattsbestand": (),
        "vrakningsforebyggande-team": intro,
        "anvisade-put-tut": (),
        "bostad-forst": (),
    }
    result = CliRunner().invoke(
        main,
        [
            "diff",
            DOC,
            "--from",
            "2018",
            "--to",
            "HEAD",
            "--format",
            "json,md",
            "--root",
            str(doc_repo.root),
        ],
    )
    assert result.exit_code == 0, result.output
    (folder,) = (doc_repo.root / "build" / DOC).glob("diff-*")
    data = json.loads((folder / "changes.json").read_text("utf-8"))
    flyttkedjor = next(c for c in data["changes"] if c["id"] == "flyttkedjor")
    assert flyttkedjor["referenced_from"] == [
        {"target": "section", "id": "inledning", "number": "1"}
    ]
    assert "referenced_from" not in data["changes"][0]  # only where there are references
    report = (folder / "changes.md").read_text("utf-8")
    assert "Inledning" not in report
    assert (
        "**3:6 → 3:7:** Möjliggöra flyttkedjor för hushåll som bott länge i stadens "
        "bostadsrätter (hänvisas till från avsnitt 1)" in report
    )
    assert "Omnumrerad från 3:6 till 3:7. Hänvisas till från avsnitt 1" in report


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the words of the link changed, not only its number
        ("klargöra i [åtgärd 3:4]", "klargöra i [åtgärderna 3:4]"),
        # the reference points at another measure
        ("(#riktlinjer-bostadssociala-lagenheter)", "(#kontraktsformer)"),
        # a word beside the reference changed
        ("klargöra i [åtgärd 3:4]", "fastställa i [åtgärd 3:4]"),
    ],
)
def test_an_edit_beside_or_of_a_reference_is_an_edit(doc_repo, old, new):
    doc_repo.edit(old, new)
    doc_repo.edit(
        "## Riktlinjer för bostadssociala", NEW_MEASURE + "## Riktlinjer för bostadssociala"
    )
    doc_repo.commit("Ny åtgärd och ändrad hänvisning", WHEN)
    intro = next(e for e in changes(doc_repo) if e[2] == "inledning")
    assert intro == ("section", "modified", "inledning", "1", "1", ("text",))


def test_moved_measure_is_one_move(doc_repo):
    text = (doc_repo.folder / "document.md").read_text(encoding="utf-8")
    block = measure_block(text, "bostad-forst")
    text = text.replace(block, "", 1)
    first = measure_block(text, "bostadspolitiskt-program")
    (doc_repo.folder / "document.md").write_text(text.replace(first, block + first, 1), "utf-8")
    doc_repo.commit("Bostad först först", WHEN)
    found = [f for f in changes(doc_repo) if f[0] == "measure"]
    assert [f for f in found if f[1] == "moved"] == [
        ("measure", "moved", "bostad-forst", "3:1", "3:10", ())
    ]
    assert {f[1] for f in found} == {"moved", "renumbered"}
    assert len(found) == 10


def test_edited_prose_is_given_word_by_word(doc_repo):
    doc_repo.edit("träffas 4-5 gånger per halvår", "träffas en gång i månaden")
    doc_repo.commit("Tätare möten", WHEN)
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    (entry,) = diff_documents(old, new).entries
    (text,) = entry.fields
    assert (entry.target, entry.id, text.field) == ("section", "inledning", "text")
    ops = [(w.op, w.text) for w in text.words if w.op != "equal"]
    assert ops == [("delete", "4-5 gånger per halvår"), ("insert", "en gång i månaden")]


def test_changed_metadata(doc_repo):
    doc_repo.edit("datum: 2018-02-12", "datum: 2019-09-16", file="document.yaml")
    doc_repo.commit("Nytt datum", WHEN)
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    (entry,) = diff_documents(old, new).entries
    (value,) = entry.fields
    assert (entry.target, entry.kind, value.field) == ("metadata", "modified", "datum")
    assert (value.old, value.new) == ("2018-02-12", "2019-09-16")


def test_a_records_key_added_is_a_metadata_change(doc_repo):
    doc_repo.edit("dnr:", "klassificering: 2.1.4\ndnr:", file="document.yaml")
    doc_repo.commit("Klassificerad", WHEN)
    old, _ = load_revision(doc_repo.root, DOC, f"{DOC}/2018")
    new, _ = load_revision(doc_repo.root, DOC, "HEAD")
    (entry,) = diff_documents(old, new).entries
    (value,) = entry.fields
    assert (entry.id, entry.title, value.old, value.new) == (
        "klassificering",
        "Klassificering",
        "",
        "2.1.4",
    )


def test_working_tree_is_the_default_to_and_is_never_touched(doc_repo):
    doc_repo.edit("Klart våren 2018", "Klart hösten 2019")
    head = doc_repo.repo.head.commit.hexsha
    status = doc_repo.repo.git.status("--porcelain")
    result = CliRunner().invoke(
        main,
        ["diff", DOC, "--from", f"{DOC}/2018", "--root", str(doc_repo.root), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    out = doc_repo.root / "build" / DOC / "diff-handlingsplan-bostadssociala_2018..arbetskopian"
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["to"] == {
        "ref": "arbetskopian",
        "commit": None,
        "date": data["to"]["date"],
        "decided": "2018-02-12",
        "dnr": "000/000",
    }
    (field,) = data["changes"][0]["fields"]
    assert field["field"] == "tidplan" and field["new"] == "Klart hösten 2019"
    assert doc_repo.repo.head.commit.hexsha == head
    assert doc_repo.repo.git.status("--porcelain") == status


def test_bad_ref_is_a_clear_error(doc_repo):
    result = CliRunner().invoke(
        main, ["diff", DOC, "--from", "v9", "--root", str(doc_repo.root), "--format", "json"]
    )
    assert result.exit_code == 1
    assert "revisionen 'v9' finns inte" in result.output and "Traceback" not in result.output


def test_document_missing_at_a_revision_is_a_clear_error(doc_repo):
    result = CliRunner().invoke(
        main, ["diff", DOC, "--from", "start", "--root", str(doc_repo.root), "--format", "md"]
    )
    assert result.exit_code == 1
    assert f"dokumentet '{DOC}' finns inte i revisionen 'start'" in result.output


def test_unknown_format_is_a_clear_error(doc_repo):
    result = CliRunner().invoke(
        main, ["diff", DOC, "--from", "start", "--root", str(doc_repo.root), "--format", "odt"]
    )
    assert result.exit_code == 1 and "okänt format: odt" in result.output


def test_log_lists_commits_and_tags(doc_repo):
    doc_repo.edit("Klart våren 2018", "Klart hösten 2019")
    doc_repo.commit("Ny tidplan för kontraktsformer", WHEN, tag=f"{DOC}/2019")
    result = CliRunner().invoke(main, ["log", DOC, "--root", str(doc_repo.root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("2019-09-16") and f"[{DOC}/2019]" in lines[0]
    assert "Anna Andersson: Ny tidplan för kontraktsformer" in lines[0]
    assert lines[1].startswith("2018-02-12") and f"[{DOC}/2018]" in lines[1]


def test_example_history_end_to_end(history, office, tmp_path):
    from styrdok.commands.compare import compare

    out = tmp_path / "diff"
    written = compare(history, DOC, f"{DOC}/2018", "main", out, office=office)
    assert sorted(p.name for p in written) == [
        "changes.docx",
        "changes.html",
        "changes.json",
        "changes.md",
        "changes.pdf",
        "redline.docx",
        "redline.pdf",
    ]
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["document"] == DOC
    assert data["from"]["ref"] == f"{DOC}/2018" and len(data["from"]["commit"]) == 40
    assert data["to"]["date"] == "2019-09-16T08:00:00Z"
    kinds = {(c["target"], c["kind"], c["id"]) for c in data["changes"]}
    assert ("measure", "moved", "bostad-forst") in kinds
    assert ("measure", "removed", "kontraktsformer") in kinds
    assert ("measure", "added", "sociala-ataganden") in kinds
    md = (out / "changes.md").read_text(encoding="utf-8")
    assert "Åtgärder: 1 tillagd, 1 borttagen, 1 flyttad, 2 omnumrerade" in md
    assert "**Tidplan:** Klart [-juni 2018-]{+december 2019+}" in md
    # the redline PDF carries the key to its marks; the Word file does not (Accept All is exact)
    key = "Så läser du redline-versionen"
    toc_page = pypdf.PdfReader(out / "redline.pdf").pages[1].extract_text()
    assert key in toc_page and "dubbelt understruken" in toc_page
    assert key not in "".join(p.text for p in docx.Document(str(out / "redline.docx")).paragraphs)


def test_a_version_is_named_as_people_name_it(doc_repo):
    doc_repo.edit("Klart våren 2018", "Klart hösten 2019")
    doc_repo.commit("Ny tidplan", WHEN, tag=f"{DOC}/2019")
    runner = CliRunner()
    args = ["diff", DOC, "--from", "2018", "--to", "2019", "--root", str(doc_repo.root)]
    result = runner.invoke(main, [*args, "--format", "json,md"])
    assert result.exit_code == 0, result.output
    out = doc_repo.root / "build" / DOC / "diff-2018..2019"
    data = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert data["from"]["decided"] == "2018-02-12" and data["from"]["dnr"] == "000/000"
    md = (out / "changes.md").read_text(encoding="utf-8")
    assert "**Från:** versionen beslutad 12 februari 2018, DNR 000/000 (2018, commit " in md
    unknown = runner.invoke(main, ["diff", DOC, "--from", "2017", "--root", str(doc_repo.root)])
    assert unknown.exit_code == 1 and "dokumentets versioner: 2018, 2019" in unknown.output


def test_log_shows_only_the_documents_own_tags(doc_repo):
    doc_repo.repo.create_tag("annat-dokument/2018")
    result = CliRunner().invoke(main, ["log", DOC, "--root", str(doc_repo.root)])
    assert result.exit_code == 0 and "annat-dokument" not in result.output
    assert f"[{DOC}/2018]" in result.output


def test_history_follows_a_measure_by_its_id_across_versions(doc_repo):
    text = (doc_repo.folder / "document.md").read_text(encoding="utf-8")
    block = measure_block(text, "bostad-forst")
    text = text.replace(block, "", 1)
    first = measure_block(text, "bostadspolitiskt-program")
    text = text.replace(first, block.replace("Klart 2018", "Klart 2020") + first, 1)
    (doc_repo.folder / "document.md").write_text(text, "utf-8")
    doc_repo.commit("Bostad först först", WHEN, tag=f"{DOC}/2019")
    runner = CliRunner()
    root = ["--root", str(doc_repo.root)]
    one = runner.invoke(main, ["history", DOC, "bostad-forst", "--format", "json", *root])
    assert one.exit_code == 0, one.output
    states = json.loads(one.output)["versions"]
    assert [(s["version"], s["number"], s["tidplan"]) for s in states] == [
        ("2018", "3:10", "Klart 2018"),
        ("2019", "3:1", "Klart 2020"),
        ("arbetskopian", "3:1", "Klart 2020"),
    ]
    # a measure added in the working copy, before 3:1: every number moves on by one
    first = "## Strategi för utveckling av Bostad Först"
    doc_repo.edit(first, NEW_MEASURE.replace("ny-atgard", "ny") + first)
    table = runner.invoke(main, ["history", DOC, "--format", "md", *root])
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0] == "| id | nr | titel | 2018 | 2019 | arbetskopian |"
    # each version's number, so the renumbering shows at a glance; '–' where it did not exist
    assert (
        "| bostad-forst | 3:2 | Strategi för utveckling av Bostad Först | 3:10 | 3:1 | 3:2 |"
        in lines
    )
    assert "| ny | 3:1 | Ny åtgärd | – | – | 3:1 |" in lines
    text = runner.invoke(main, ["history", DOC, *root]).output.splitlines()
    assert [line.split()[-3:] for line in text if line.startswith(("bostad-forst ", "ny "))] == [
        ["3:10", "3:1", "3:2"],
        ["–", "–", "3:1"],
    ]
    data = json.loads(runner.invoke(main, ["history", DOC, "--format", "json", *root]).output)
    row = next(r for r in data["measures"] if r["id"] == "bostad-forst")
    assert row["numbers"] == {"2018": "3:10", "2019": "3:1", "arbetskopian": "3:2"}
    unknown = runner.invoke(main, ["history", DOC, "finns-inte", *root])
    assert unknown.exit_code == 1 and "åtgärder: anvisade-put-tut" in unknown.output
