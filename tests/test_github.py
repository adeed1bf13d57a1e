"""The GitHub side: workflows parse, run on the right events with least privilege; templates exist."""

from __future__ import annotations

import re
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
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= set(uses(wf))
    setup = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/setup-python"))
    assert str(setup["with"]["python-version"]) == "3.11"
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0, "history is needed for last-corrected dates"
    artifacts = {s["with"]["name"]: s["with"] for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact")}
    assert artifacts["banmian-offline"]["path"] == "dist/banmian-offline.zip"
    # what actions/upload-pages-artifact makes, from the pinned upload-artifact: one tar named github-pages
    assert artifacts["github-pages"]["path"] == "${{ runner.temp }}/artifact.tar" and '-cf "$RUNNER_TEMP/artifact.tar"' in run
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
    for command in ("pip install -r requirements-dev.txt", "banmian check", "banmian site --strict", "banmian links site", "pytest"):
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
        '<img src="missing.png"><a href="../outside.zip">zip</a><a href="empty/">no index</a><link href="/a/page.html">',
        encoding="utf-8",
    )
    (site / "a" / "index.html").write_text('<link href="../index.html">', encoding="utf-8")
    (site / "empty").mkdir()
    (site / "empty" / "x.css").write_text("", encoding="utf-8")
    (site / "a" / "page.html").write_text('<script src="../js/x.js"></script>', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "banmian", "links", str(site)], capture_output=True, text=True)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(line.startswith("index.html:1:") and "missing.png" in line for line in lines)
    assert any("leaves the site" in line and "outside.zip" in line for line in lines)
    assert any(line.startswith("index.html:1:") and "empty/" in line and "without index.html" in line for line in lines)
    assert any(line.startswith("a/page.html:1:") and "js/x.js" in line for line in lines)
    assert len(lines) == 4, lines  # a folder with index.html, a root-absolute path and anchors are fine hosted
    (site / "missing.png").write_bytes(b"")
    (site / "js").mkdir()
    (site / "js" / "x.js").write_text("", encoding="utf-8")
    (site / "index.html").write_text('<a href="a/">ok</a>', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "banmian", "links", str(site)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
@pytest.mark.parametrize("path", sorted((GITHUB / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_actions_are_pinned_by_commit_with_the_tag_beside(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for step in steps(load(path)):
        if "uses" not in step:
            continue
        action = str(step["uses"])
        assert PINNED.match(action), f"{path.name}: pin {action} to a full commit SHA"
        line = next(line for line in text.splitlines() if action in line)
        assert re.search(r"#\s*v\d", line), f"{path.name}: name the tag of {action} in a comment"


@pytest.mark.parametrize("path", sorted((GITHUB / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_no_workflow_runs_pull_request_code_where_it_can_write_main_caches(path: Path) -> None:
    """The deploy trusts what it restores from the Actions cache (build/stage holds the staged tree, caches and compiled templates).
    Runs can restore only their own branch's or the default branch's caches, so that is safe as
    long as nothing runs a pull request's code in the default branch's scope."""
    events = load(path)["on"]
    events = {events} if isinstance(events, str) else set(events)
    assert not events & {"pull_request_target", "workflow_run", "issue_comment", "pull_request_review_comment"}, path.name
    if "pull_request" in events:
        for step in steps(load(path)):
            assert not str(step.get("uses", "")).startswith("actions/cache"), "a PR workflow saves no cache"
            assert "cache" not in (step.get("with") or {}), "a PR workflow saves no cache"


def test_deploy_cache_is_keyed_by_workflow_and_branch() -> None:
    wf = load(GITHUB / "workflows" / "deploy.yml")
    cache = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/cache"))
    prefix = "banmian-stage-${{ github.workflow }}-${{ github.ref_name }}-"
    assert cache["with"]["key"].startswith(prefix) and cache["with"]["restore-keys"] == prefix


def test_pr_and_deploy_enforce_what_contributing_promises() -> None:
    """Page records, names and orphaned folders (banmian check with the source folder) and no
    page that could run script (banmian scan of the site and the offline zip)."""
    pr, deploy = (run_lines(load(GITHUB / "workflows" / name)) for name in ("pr.yml", "deploy.yml"))
    assert "banmian check --source source_texts" in pr
    assert "banmian scan site dist/banmian-offline.zip" in pr and "banmian scan site dist/banmian-offline.zip" in deploy
    names = run_lines(load(GITHUB / "workflows" / "pr.yml")).splitlines()
    assert next(i for i, n in enumerate(names) if "banmian scan" in n) > next(i for i, n in enumerate(names) if "banmian bundle" in n)


def test_link_checker_reads_root_absolute_links_under_the_published_path(tmp_path: Path) -> None:
    """Material's 404 page links /<project>/assets/…: fine when the site is published there
    (its canonical address says so), broken when it points anywhere else."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "x.css").write_text("", encoding="utf-8")
    (site / "index.html").write_text('<link rel="canonical" href="https://example.org/sub/index.html">', encoding="utf-8")
    (site / "404.html").write_text('<link rel="stylesheet" href="/sub/assets/x.css"><a href="/sub/">home</a><a href="/other/x.html">x</a>', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "banmian", "links", str(site)], capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["404.html:1: <a href> /other/x.html: 不在网站的地址 /sub/ 之下 / is not under the site's address /sub/"]
