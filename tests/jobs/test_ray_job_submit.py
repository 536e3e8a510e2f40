"""A real ``ray start --head`` cluster on 127.0.0.1 with token auth (cluster/local-up.sh),
a sweep sent with ``ray job submit --working-dir .``, resubmitted, and the cluster stopped
by its own process group (cluster/local-down.sh)."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from qray.results import read_dataset
from tests.jobs.helpers import ROOT, local_head, submit

pytestmark = pytest.mark.cluster

#: where the browser test leaves its screenshots
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def head():
    with local_head() as env:
        yield env


def _submit(env: dict, *args: str) -> subprocess.CompletedProcess:
    return submit(env, *args)


def test_job_submit_to_local_head(head: dict, tmp_path: Path) -> None:
    out = tmp_path / "results"
    args = [f"output_dir={out}", "backends=[numpy,stim]", "circuits=[ghz,clifford]",
            "n_qubits=[3,5]", "depth=[4]", "repetitions=2", "sweep_id=job"]
    res = _submit(head, *args)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    assert "succeeded" in res.stdout + res.stderr
    table, problems = read_dataset(out / "job" / "simulators")
    df = table.to_pandas()
    assert len(df) == 16 and df["task_id"].is_unique and (df["status"] == "ok").all()
    assert (out / "job" / "summary.md").exists()
    again = _submit(head, *args)
    assert again.returncode == 0 and "16 already done, 0 run" in again.stdout


def test_job_submit_of_an_experiment(head: dict, tmp_path: Path) -> None:
    """The README's experiment sent with ``ray job submit --working-dir .``: its file
    reaches the actors without being installed."""
    out = tmp_path / "results"
    args = ["--config", "jobs/examples/ghz_damping.yaml", f"output_dir={out}", "grid.n=[2,3]",
            "grid.gamma=[0.1]", "params.shots=500", "repetitions=2", "sweep_id=exp-job"]
    res = _submit(head, *args)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
    df = read_dataset(out / "exp-job" / "experiment")[0].to_pandas()
    assert len(df) == 4 and (df["status"] == "ok").all() and df["fidelity"].between(0, 1).all()
    assert "4 run in" in res.stdout


def test_job_submit_needs_the_token(head: dict) -> None:
    env = dict(head, RAY_AUTH_TOKEN_PATH="/nonexistent/token")
    env.pop("RAY_AUTH_TOKEN", None)
    res = subprocess.run(["ray", "job", "list"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode != 0


def test_dashboard_in_a_browser_shows_the_job_and_the_actors(head: dict, tmp_path: Path) -> None:
    """Headless Chromium opens the head's dashboard as a user does: the token dialog, the
    token from the cluster's state folder, the Jobs page with the submitted job, the Actors
    page with the sweep's ``qray/...`` actors. Screenshots go to ``test-artifacts/``."""
    from tests.browser import chromium

    with chromium() as browser:
        sid = f"qray-browser-{uuid.uuid4().hex[:8]}"
        res = submit(head, f"output_dir={tmp_path}", "backends=[numpy,stim]", "circuits=[ghz]",
                     "n_qubits=[3]", "repetitions=1", "sweep_id=browser", submission_id=sid)
        assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
        url = head["RAY_API_SERVER_ADDRESS"]
        token = Path(head["RAY_AUTH_TOKEN_PATH"]).read_text().strip()
        ARTIFACTS.mkdir(exist_ok=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_text("Authentication Token Required").wait_for(timeout=60_000)
        page.get_by_placeholder("Enter your authentication token").fill(token)
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Authentication Token Required").wait_for(state="hidden",
                                                                   timeout=30_000)
        page.goto(f"{url}/#/jobs")
        page.get_by_text(sid).first.wait_for(timeout=60_000)
        page.get_by_text("SUCCEEDED", exact=True).first.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "dashboard-jobs.png"), full_page=True)
        page.goto(f"{url}/#/actors")
        for name in ("qray/simulators/numpy", "qray/simulators/stim"):
            page.get_by_text(name, exact=True).first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "dashboard-actors.png"), full_page=True)
        assert (ARTIFACTS / "dashboard-actors.png").stat().st_size > 10_000
