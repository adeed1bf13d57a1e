"""The GitHub side: workflows parse, run on the right events with least privilege; templates exist."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def run_lines(workflow: dict) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(workflow))


def uses(workflow: dict) -> list[str]:
    return [str(s["uses"]).split("@")[0] for s in steps(workflow) if "uses" in s]


@pytest.mark.parametrize("name", ["deploy.yml", "pr.yml"])
def test_workflows_parse_and_never_use_pull_request_target(name: str) -> None:
    path = GITHUB / "workflows" / name
    wf = load(path)
    assert wf["jobs"] and wf["on"]
    code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    assert "pull_request_target" not in wf["on"] and "pull_request_target" not in code
    assert "secrets." not in code, "no secrets needed"
    for step in steps(wf):
        if "uses" in step:
            assert "@" in step["uses"], f"pin a version: {step['uses']}"


def test_deploy_builds_on_push_to_main_and_publishes_pages_and_zip() -> None:
    wf = load(GITHUB / "workflows" / "deploy.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"]["group"]
    jobs = wf["jobs"]
    writers = {name: job.get("permissions") for name, job in jobs.items() if job.get("permissions")}
    assert list(writers.values()) == [{"pages": "write", "id-token": "write"}], "only the deploy job may write"
    deployer = next(name for name, p in writers.items())
    assert [s["uses"].split("@")[0] for s in jobs[deployer]["steps"]] == ["actions/deploy-pages"]
    run = run_lines(wf)
    assert "pip install -r requirements.txt" in run and "banmian build" in run
    assert "dist/banmian-offline.zip site/" in run
    assert {"actions/checkout", "actions/setup-python", "actions/upload-pages-artifact", "actions/upload-artifact"} <= set(uses(wf))
    setup = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "history is needed for last-corrected dates"
    artifact = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert artifact["with"]["path"] == "dist/banmian-offline.zip"
    cache = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/cache"))
    paths = cache["with"]["path"].split()
    assert paths == ["build/stage"], "incremental builds reuse the previous stage (its search index included)"
    names = [s.get("uses", s.get("run", "")) for s in steps(wf)]
    assert names.index(cache["uses"]) < next(i for i, n in enumerate(names) if "banmian build" in n)


def test_pr_checks_run_check_strict_build_links_and_tests_read_only() -> None:
    wf = load(GITHUB / "workflows" / "pr.yml")
    assert set(wf["on"]) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in wf["jobs"].values())
    run = run_lines(wf)
    for command in ("pip install -r requirements-dev.txt", "banmian check", "banmian site --strict", ".github/scripts/check_links.py site", "pytest"):
        assert command in run, command
    assert "apt-get install" in run and "chromium" in run
    assert "playwright install" not in run
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False


def test_templates_exist_and_ask_the_right_questions() -> None:
    pr = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "What was wrong" in pr and "Where it can be seen in the source page" in pr
    form = load(GITHUB / "ISSUE_TEMPLATE" / "report-error.yml")
    assert form["name"] and form["description"]
    fields = {item["id"]: item for item in form["body"] if item.get("id")}
    for field in ("article", "wrong", "correct"):
        assert fields[field]["validations"]["required"] is True
    config = load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert "blank_issues_enabled" in config
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert contributing.index("校对") < contributing.index("English")
    for words in ("原文如此", "已校对", "已审定", "banmian serve", "edit_uri"):
        assert words in contributing


def test_link_checker_finds_broken_and_escaping_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/page.html#x">ok</a><a href="https://example.org/">ext</a><a href="#top">anchor</a>'
        '<img src="missing.png"><a href="../outside.zip">zip</a>',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text('<link href="../index.html">', encoding="utf-8")
    (site / "a" / "page.html").write_text('<script src="../js/x.js"></script>', encoding="utf-8")
    r = subprocess.run([sys.executable, str(GITHUB / "scripts" / "check_links.py"), str(site)], capture_output=True, text=True)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(line.startswith("index.html:1:") and "missing.png" in line for line in lines)
    assert any("leaves the site" in line and "outside.zip" in line for line in lines)
    assert any(line.startswith("a/page.html:1:") and "js/x.js" in line for line in lines)
    assert len(lines) == 3, lines
    (site / "missing.png").write_bytes(b"")
    (site / "js").mkdir()
    (site / "js" / "x.js").write_text("", encoding="utf-8")
    (site / "index.html").write_text('<a href="a/">ok</a>', encoding="utf-8")
    r = subprocess.run([sys.executable, str(GITHUB / "scripts" / "check_links.py"), str(site)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
