"""The command line: stories, check, export, validate, serve."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pymockapi.cli import main

from support import ServerProcess


def test_stories_lists_ids_industries_and_waypoints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stories"]) == 0
    out = capsys.readouterr().out
    for text in ("riverside-clinic", "[healthcare]", "harbor-bank", "northwind-outfitters", "triage",
                 "after 20000 ms", "when POST /appointments"):
        assert text in out
    assert main(["stories", "--json"]) == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    assert {s["industry"] for s in stories} >= {"finance", "healthcare", "retail"}


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "xml"])
def test_export_writes_a_deterministic_data_set(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    out1, out2 = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for out in (out1, out2):
        assert main(["export", "harbor-bank", "--format", fmt, "--seed", "4", "--anchor-date", "2026-03-12",
                     "--out", str(out)]) == 0
    if fmt == "csv":  # named for what it is: a zip of CSV files
        assert not out1.exists()
        out1, out2 = out1.with_suffix(".zip"), out2.with_suffix(".zip")
    assert out1.read_bytes() == out2.read_bytes()
    if fmt == "json":
        data = json.loads(out1.read_text())
        assert data["story"] == "harbor-bank" and data["seed"] == 4 and data["anchor_date"] == "2026-03-12"
        assert len(data["records"]["customer"]) == 30
    elif fmt == "csv":
        with zipfile.ZipFile(out1) as archive:
            names = archive.namelist()
            assert "customer.csv" in names and "transaction.csv" in names
            header = archive.read("customer.csv").decode().splitlines()[0]
            assert header.startswith("id,type,display_name") and "address.zip" in header
    elif fmt == "xml":
        assert etree.fromstring(out1.read_bytes()).tag == "dataset"
    assert "wrote" in capsys.readouterr().out


def test_export_unknown_story_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "nope", "--out", str(tmp_path / "x.json")]) == 1
    err = capsys.readouterr().err
    assert "no story 'nope'" in err and "harbor-bank" in err


@pytest.mark.parametrize("story", ["riverside-clinic", "harbor-bank", "northwind-outfitters"])
def test_validate_passes_on_exports_and_reports_tampering(tmp_path: Path, story: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data.json"
    assert main(["export", story, "--out", str(path), "--anchor-date", "2026-03-12"]) == 0
    assert main(["validate", str(path)]) == 0
    assert "no violations" in capsys.readouterr().out
    data = json.loads(path.read_text())
    first_type = next(iter(data["records"]))
    victim = data["records"][first_type][0]
    victim["email"] = "someone@gmail.com"
    victim["address"]["zip"] = "00000"
    path.write_text(json.dumps(data))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert victim["id"] in out


def test_validate_ndjson_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nd = tmp_path / "d.ndjson"
    assert main(["export", "northwind-outfitters", "--format", "ndjson", "--out", str(nd)]) == 0
    assert main(["validate", str(nd)]) == 0
    assert main(["validate", str(tmp_path / "missing.json")]) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    assert main(["validate", str(bad)]) == 1
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"id": "x-1", "type": "spaceship"}]))
    assert main(["validate", str(odd)]) == 1
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": "world"}))
    assert main(["validate", str(other)]) == 1
    err = capsys.readouterr().err
    assert "No file at" in err and "not JSON" in err and "Cannot tell which industry" in err


@pytest.mark.slow
def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    server = ServerProcess("--memory")
    try:
        assert server.call("GET", "/_api/health").json() == {"status": "ok"}
        assert len(server.call("GET", "/_api/stories").json()["stories"]) >= 3
    finally:
        assert server.terminate() == 0


@pytest.mark.slow
def test_serve_refuses_a_broken_story(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("x = 1\n")
    with pytest.raises(RuntimeError, match="defines no `story = Story"):
        ServerProcess("--memory", "--stories", str(tmp_path))


@pytest.mark.slow
def test_serve_prints_a_token_off_loopback() -> None:
    server = ServerProcess("--memory", "--host", "127.0.0.2", host="127.0.0.2")
    try:
        assert server.call("GET", "/_api/sessions").status == 401
        assert server.call("GET", "/_api/health").status == 200
    finally:
        server.terminate()


@pytest.mark.slow
def test_a_broken_template_fails_at_check_and_at_load_naming_template_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stories, templates = tmp_path / "stories", tmp_path / "templates"
    (templates / "saas").mkdir(parents=True)
    stories.mkdir()
    (stories / "orbit.py").write_text((Path(__file__).parent.parent / "stories" / "orbit-saas.py").read_text())
    (templates / "saas" / "workspaces.json.j2").write_text('{"count": {{ items|length }},\n "oops": {{ nope.x }}}')
    assert main(["check", str(stories / "orbit.py"), "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    assert "saas/workspaces.json.j2, line 2" in err and "nope" in err
    with pytest.raises(RuntimeError, match=r"saas/workspaces.json.j2, line 2"):
        ServerProcess("--memory", "--stories", str(stories), "--templates", str(templates))


@pytest.mark.parametrize("story", ["riverside-clinic", "harbor-bank", "northwind-outfitters", "lumen-pay"])
def test_validate_reads_the_csv_bundle_back_as_the_records_it_came_from(tmp_path: Path, story: str,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "data.zip"
    assert main(["export", story, "--format", "csv", "--seed", "3", "--out", str(bundle)]) == 0
    assert main(["validate", str(bundle)]) == 0
    assert "no violations" in capsys.readouterr().out
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name != "dataset.json" and b"@" in data:  # the first email of a record type: not a demo domain
                head, _, rest = data.decode().partition("@")
                victim = head.rsplit(",", 1)[0].split("\n")[-1].split(",")[0]
                data = (head + "@gmail.com," + rest.split(",", 1)[1]).encode()
                target.writestr(name, data)
                continue
            target.writestr(name, data)
    assert main(["validate", str(tampered)]) == 1
    assert victim in capsys.readouterr().out


def test_validate_explains_what_it_cannot_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xml = tmp_path / "data.xml"
    assert main(["export", "harbor-bank", "--format", "xml", "--out", str(xml)]) == 0
    assert main(["validate", str(xml)]) == 1
    not_ours = tmp_path / "photos.zip"
    with zipfile.ZipFile(not_ours, "w") as archive:
        archive.writestr("a.csv", "id\n1\n")
    assert main(["validate", str(not_ours)]) == 1
    binary = tmp_path / "blob.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["validate", str(binary)]) == 1
    err = capsys.readouterr().err
    assert "XML export" in err and "not a PyMockAPI csv export" in err and "not a text file" in err
    assert err.count("hint:") == 3


def test_a_bug_in_a_storys_own_pack_is_an_error_with_its_line_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stories = tmp_path / "stories"
    stories.mkdir()
    source = (Path(__file__).resolve().parent.parent / "stories" / "orbit-saas.py").read_text()
    broken = source.replace('def workspace(', 'def workspace_ok(', 1).replace(
        "generators={WORKSPACE.name: workspace}", "generators={WORKSPACE.name: broken_workspace}")
    broken = broken.replace("SAAS = IndustryPack(", "def broken_workspace(gen, index, pins):\n"
                            "    return [{'id': 'ws-%04d' % index}][index // 0]\n\n\nSAAS = IndustryPack(", 1)
    (stories / "orbit-saas.py").write_text(broken)
    code = main(["export", "orbit-saas", "--stories", str(stories), "--out", str(tmp_path / "x.json")])
    err = capsys.readouterr().err
    assert code in (1, 2) and err.startswith("error: ") and "hint: " in err and "Traceback" not in err
    assert "ZeroDivisionError" in err or "division by zero" in err
