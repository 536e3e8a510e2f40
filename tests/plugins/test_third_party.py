"""A workload and a simulator backend from outside qray: the ``qray-coinflip`` package
(``tests/plugins/coinflip_pkg``) is pip-installed into a folder of its own, found through
its ``qray.workloads`` / ``qray.backends`` entry points, and runs end to end through
``qray sweep`` on a real local Ray; no file of qray knows it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qray.results import read_dataset

ROOT = Path(__file__).resolve().parents[2]
PKG = Path(__file__).resolve().parent / "coinflip_pkg"
QUIET = ["ray.include_dashboard=false", "ray.num_cpus=2", "ray.address=local"]


def _install(pkg: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin package installed with pip (its own wheel and entry points) into a
    folder of its own."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build") / "pkg"
    shutil.copytree(pkg, build)  # pip builds in the source tree; keep the repo clean
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(build)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert any(target.glob("*.dist-info/entry_points.txt"))
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The coin-flip plugin, installed."""
    return _install(PKG, tmp_path_factory)


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin whose workload and backend entry points raise on import, installed."""
    return _install(PKG.parent / "broken_pkg", tmp_path_factory)


def _qray(site: Path | list[Path], *args: str, timeout: int = 300
          ) -> subprocess.CompletedProcess:
    sites = [str(p) for p in (site if isinstance(site, list) else [site])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*sites, str(ROOT)]),
           "RAY_AUTH_MODE": "disabled"}
    env.pop("RAY_ADDRESS", None)
    script = Path(sys.executable).with_name("qray")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c",
                                                  "import sys; from actors.cli import main; "
                                                  "sys.exit(main())"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=ROOT)


def test_plugin_shows_in_backends_and_keys(site: Path) -> None:
    listing = _qray(site, "backends")
    assert listing.returncode == 0, listing.stderr
    assert "coinflip" in listing.stdout and "plugin-numpy" in listing.stdout
    keys = _qray(site, "keys", "coinflip")
    assert keys.returncode == 0, keys.stderr
    for key in ("flips", "coins", "p", "repetitions", "actor.batch_size"):
        assert key in keys.stdout, keys.stdout


def test_plugin_passes_check_workload(site: Path) -> None:
    code = ("from qray.testing import check_workload; import json; "
            "c = check_workload('coinflip', {'p': [0.3], 'flips': 50}); "
            "print(json.dumps({'tasks': c['tasks'], 'status': c['row']['status'], "
            "'coin': c['row']['coin'], 'crash': c['crash_row']['status']}))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == \
        {"tasks": 2, "status": "ok", "coin": "penny", "crash": "error"}


def test_plugin_workload_sweeps_on_ray_and_resumes_with_no_work(site: Path,
                                                                tmp_path: Path) -> None:
    args = ["sweep", "--config", str(PKG / "coinflip.yaml"), *QUIET, f"output_dir={tmp_path}"]
    first = _qray(site, *args)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "12 tasks, 0 already done, 12 run" in first.stdout
    sweep_dir = next(p for p in tmp_path.iterdir() if p.name.startswith("coinflip-"))
    df = read_dataset(sweep_dir / "coinflip")[0].to_pandas()
    assert len(df) == 12 and df["task_id"].is_unique and (df["status"] == "ok").all()
    assert set(df["actor"]) == {"qray/coinflip/penny", "qray/coinflip/dime"}
    assert "| penny | 0.25 | 3 |" in (sweep_dir / "summary.md").read_text()
    again = _qray(site, *args)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "12 tasks, 12 already done, 0 run" in again.stdout


@pytest.mark.slow  # the plugin workload test above covers entry-point discovery
def test_plugin_backend_runs_in_the_simulator_sweep(site: Path, tmp_path: Path) -> None:
    done = _qray(site, "sweep", *QUIET, "backends=[plugin-numpy]", "circuits=[ghz]",
                 "n_qubits=[3,4]", "noise=[0.0]", "repetitions=1", "warmup=0",
                 "summarize=false", f"output_dir={tmp_path}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    sweep_dir = next(p for p in tmp_path.iterdir() if p.name != "latest")
    df = read_dataset(sweep_dir / "simulators")[0].to_pandas()
    assert len(df) == 2 and set(df["backend"]) == {"plugin-numpy"} and (df["status"] == "ok").all()


def test_a_plugin_that_raises_on_import_is_named_and_breaks_nothing_else(
        site: Path, broken_site: Path, tmp_path: Path) -> None:
    both = [site, broken_site]
    listing = _qray(both, "backends")
    assert listing.returncode == 0, listing.stderr
    out = listing.stdout
    assert "plugin-numpy" in out and "numpy" in out and "coinflip" in out  # the others
    assert "broken-backend" in out and "ImportError: qray_broken.backend needs a library" in out
    assert "brokenwl" in out and "RuntimeError: qray_broken.spec is broken on purpose" in out
    sweep = _qray(both, "sweep", *QUIET, f"output_dir={tmp_path}", "backends=[numpy]",
                  "circuits=[ghz]", "n_qubits=[2]", "depth=[2]", "repetitions=1", "warmup=0",
                  "summarize=false")
    assert sweep.returncode == 0, sweep.stderr[-3000:]
    assert "1 tasks, 0 already done, 1 run" in sweep.stdout
    named = _qray(both, "sweep", "--dry-run", "backends=[broken-backend]")
    assert named.returncode == 2 and "config key 'backends[0]'" in named.stderr
    assert "a backend plugin that cannot load" in named.stderr
    wl = _qray(both, "sweep", "--dry-run", "workload=brokenwl")
    assert wl.returncode == 2 and "config key 'workload'" in wl.stderr
    assert "a plugin that cannot be loaded (qray_broken.spec:SPEC: RuntimeError" in wl.stderr
