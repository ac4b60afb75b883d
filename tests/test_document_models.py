"""The report documents' models: the committed JSON Schemas are theirs, they hold what the docs say, and the
documents govmon writes and prints match them byte for byte."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Union, get_args, get_origin

import pytest
from click.testing import CliRunner

from govmon.cli import main
from govmon.reports.document import document_json, validate, write_json
from govmon.reports.models import (
    Finding,
    FixedFinding,
    ListPack,
    ListRun,
    ListSite,
    RectificationList,
    Summary,
    schema_texts,
)
from tests.conftest import write_registry
from tests.servers import SiteServer, html

DOCS = Path(__file__).parents[1] / "docs"
SCHEMAS_DIR = DOCS / "schemas"  # the committed ones, beside the tests (also when they run against the wheel)
HOMEPAGE = html("<html><title>测试市人民政府</title><body><p>网站支持IPv6</p></body></html>")


def documented_example() -> dict:
    text = (DOCS / "report-json.md").read_text(encoding="utf-8")
    return json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))


def documented_keys(section: str) -> dict[str, str]:
    """Key → its "required" column, from the table under ``## section`` in docs/report-json.md."""
    text = (DOCS / "report-json.md").read_text(encoding="utf-8")
    body = re.search(rf"^## {section}\n(.*?)(?=^#)", text, re.S | re.M).group(1)
    return dict(re.findall(r"^\| `(\w+)` \| [^|]* \| ([^|]*?) \|", body, re.M))


def nullable(annotation: object) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def test_the_committed_schemas_are_the_models_schemas():
    expected = schema_texts()
    assert sorted(path.name for path in SCHEMAS_DIR.iterdir()) == sorted(expected)
    for name, text in expected.items():
        assert (SCHEMAS_DIR / name).read_text(encoding="utf-8") == text, \
            f"docs/schemas/{name} is stale: run .venv/bin/python -m govmon.reports.models"


def test_the_schema_command_writes_the_committed_files(tmp_path):
    done = subprocess.run([sys.executable, "-m", "govmon.reports.models", str(tmp_path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == {
        path.name: path.read_bytes() for path in SCHEMAS_DIR.iterdir()}


@pytest.mark.parametrize(("section", "model"), [
    ("Top level", RectificationList), ("site", ListSite), ("run", ListRun), ("pack", ListPack),
    ("summary", Summary), ("findings", Finding), ("fixed", FixedFinding)])
def test_the_rectification_list_model_holds_the_documented_keys(section, model):
    documented = documented_keys(section)
    fields = {field.alias or name: field for name, field in model.model_fields.items()}
    assert set(fields) == set(documented)
    assert {key for key, field in fields.items() if field.is_required()} == {
        key for key, required in documented.items() if required.startswith("yes")}
    assert {key for key, field in fields.items() if field.is_required() and nullable(field.annotation)} == {
        key for key, required in documented.items() if "nullable" in required}


def test_write_json_writes_the_document_unchanged():
    doc = documented_example()
    assert document_json(doc, "rectification-list") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_a_written_list_keeps_its_key_order_and_nulls(tmp_path):
    doc = documented_example()
    doc["findings"][0]["evidence"] = {"detail": None, "status": 404, "reason": "http_404", "extra": [1, None]}
    text = write_json(doc, tmp_path / "list.json").read_text(encoding="utf-8")
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert list(json.loads(text)["findings"][0]["evidence"]) == ["detail", "status", "reason", "extra"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda doc: doc["findings"][0].update(colour="red"), r"unexpected key 'findings\[0\]\.colour'"),
    (lambda doc: doc["run"].update(pages="356"), r"run\.pages is '356'"),
    (lambda doc: doc["summary"]["by_class"].pop("advice"), r"missing key 'summary\.by_class\.advice'"),
    (lambda doc: doc.update(as_of="23 November"), r"as_of is '23 November': expected an ISO date"),
    (lambda doc: doc["fixed"][0].update(on_time="否"), r"fixed\[0\]\.on_time is '否'"),
    (lambda doc: doc["site"].update(admin="张三"), r"site\.admin must be an object"),
    (lambda doc: doc["findings"][0]["evidence"].update(checked_at={1, 2}), r"not a JSON document"),
])
def test_a_malformed_list_fails_naming_its_key(change, message):
    doc = copy.deepcopy(documented_example())
    change(doc)
    with pytest.raises(ValueError, match=r"^rectification list: .*" + message):
        validate(doc)


def test_extra_evidence_is_free_form_and_rechecked_may_be_missing():
    doc = documented_example()
    doc["findings"][0]["evidence"]["content_type"] = "text/html"
    assert "rechecked" not in doc["findings"][0]
    validate(doc)
    doc["findings"][0]["rechecked"] = None
    with pytest.raises(ValueError, match=r"findings\[0\]\.rechecked is None"):
        validate(doc)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, str]:
    """What the probe commands print for a site on 127.0.0.1 (IPv4 only) and a URL on [::1] (IPv6 only)."""
    root = tmp_path_factory.mktemp("probes")
    db = f"sqlite:///{root / 'govmon.db'}"
    runner = CliRunner()
    outputs = {}
    with SiteServer({"/": HOMEPAGE}) as v4, SiteServer({"/": HOMEPAGE}, host="::1") as v6:
        where = ["--config", str(write_registry(root / "govmon.toml", f"{v4.url}/")), "--db", db]
        for name, command in (("availability", ["probe", "availability", "t", "--json", *where]),
                              ("ipv6 site", ["probe", "ipv6", "t", "--json", *where]),
                              ("ipv6 url", ["probe", "ipv6", "--url", f"{v6.url}/", "--json", "--db", db])):
            result = runner.invoke(main, command)
            assert result.exit_code == 0, result.output
            outputs[name] = result.output
    return outputs


@pytest.mark.parametrize(("name", "kind"), [
    ("availability", "probe-availability"), ("ipv6 site", "probe-ipv6"), ("ipv6 url", "probe-ipv6")])
def test_the_probe_commands_print_their_documents(printed, name, kind):
    assert document_json(json.loads(printed[name]), kind) == printed[name]


def test_a_probe_document_with_an_unknown_dns_error_fails(printed):
    doc = json.loads(printed["ipv6 site"])
    doc["measurements"]["dns"]["aaaa"]["error"] = "refused"
    with pytest.raises(ValueError, match=r"^IPv6 probe output: measurements\.dns\.aaaa\.error is 'refused'"):
        document_json(doc, "probe-ipv6")
