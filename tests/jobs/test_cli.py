"""The ``qray`` command: its help, ``keys``, presets by name, ``--print-config``,
``--dry-run`` (no Ray, nothing written) and one real sweep through the console script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from actors.cli import COMMANDS, main
from qray.chunks import chunk_size, cut_units, pending_tasks
from qray.config import load_config
from qray.preview import preview_sweep
from qray.results import read_dataset
from qray.workloads import sweep_spec
from tests.jobs.helpers import ROOT, run_job, user_env

QRAY = Path(sys.executable).parent / "qray"
SMALL = ["ray.num_cpus=2", "ray.include_dashboard=false"]
TINY = ["backends=[numpy]", "circuits=[ghz]", "n_qubits=[3]", "repetitions=2", "warmup=0",
        "sweep_id=cli"]


def qray(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    """The installed console script, run as a user runs it."""
    assert QRAY.exists(), f"{QRAY} is missing: install the project (pip install -e .)"
    return subprocess.run([str(QRAY), *args], cwd=cwd, env=user_env(**env),
                          capture_output=True, text=True, timeout=300)


def table(out: str) -> dict[str, list[str]]:
    """``qray keys`` output as ``key -> [type, default, description]``."""
    rows = [re.split(r"\s{2,}", line, maxsplit=3) for line in out.splitlines()[1:]]
    return {r[0]: r[1:] for r in rows}


def test_help_lists_every_command(capsys: pytest.CaptureFixture) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name, command in COMMANDS.items():
        assert re.search(rf"^  {name} +{re.escape(command.help)}$", out, re.M), name
    assert main([]) == 2 and main(["swep"]) == 2
    assert "did you mean 'sweep'?" in capsys.readouterr().err


def test_keys_lists_nested_keys_with_defaults_and_docs(capsys: pytest.CaptureFixture) -> None:
    assert main(["keys", "simulators"]) == 0
    keys = table(capsys.readouterr().out)
    assert keys["shots"] == ["int", "1000", "samples per run."]
    assert keys["actor.batch_size"][:2] == ["int | str", "auto"]
    assert "tasks sent to an actor per call" in keys["actor.batch_size"][2]
    assert keys["backends"][:2] == ["list[str]", "[installed]"]
    assert keys["ray.address"][:2] == ["str | None", "null"]
    assert keys["resources.<name>.num_cpus"][:2] == ["float", "1.0"]
    assert main(["keys", "cloud_train"]) == 0
    keys = table(capsys.readouterr().out)
    assert keys["env.tasks.rate"][:2] == ["float", "0.3"]
    assert keys["dqn"][0] == "DQNParams" and "algorithm settings" in keys["ppo"][-1]


def test_keys_of_an_unknown_workload(capsys: pytest.CaptureFixture) -> None:
    assert main(["keys", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown workload 'nosuch'" in err and "'simulators'" in err
    assert main(["keys", "simulatrs"]) == 2
    assert "did you mean 'simulators'?" in capsys.readouterr().err


def test_print_config_is_the_merged_config_and_loads_again(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["sweep", "--print-config", "shots=500", "actor.batch_size=4"]) == 0
    out = capsys.readouterr().out
    expected = load_config(ROOT / "jobs/conf/simulators.yaml", ["shots=500", "actor.batch_size=4"])
    assert out.startswith(f"# workload simulators, sweep id {expected.resolved_sweep_id}\n")
    assert yaml.safe_load(out) == expected.to_dict()
    printed = tmp_path / "printed.yaml"
    printed.write_text(out)
    assert load_config(printed).to_dict() == expected.to_dict()
    assert main(["sweep", "--print-config", "shots=-1"]) == 2
    assert "config key 'shots'" in capsys.readouterr().err


def test_config_by_preset_name(capsys: pytest.CaptureFixture) -> None:
    assert main(["sweep", "--print-config", "--config", "netsim_paper2"]) == 0
    out = capsys.readouterr().out
    assert yaml.safe_load(out) == load_config(ROOT / "jobs/conf/netsim_paper2.yaml").to_dict()
    assert main(["sweep", "--dry-run", "--config", "netsim_papr2"]) == 2
    err = capsys.readouterr().err
    assert "no such file or preset 'netsim_papr2'" in err and "did you mean 'netsim_paper2'?" in err
    assert main(["sweep", "--dry-run", "--config", "jobs/conf/nope.yaml"]) == 2
    assert "no such file 'jobs/conf/nope.yaml'" in capsys.readouterr().err


def test_train_and_sweep_refuse_each_others_configs(capsys: pytest.CaptureFixture) -> None:
    assert main(["train", "--config", "simulators"]) == 2
    err = capsys.readouterr().err
    assert "not a training config: 'simulators'" in err and "qray sweep" in err
    assert main(["sweep", "--dry-run", "--config", "cloud"]) == 2
    assert "not a sweep: 'cloud_train'" in capsys.readouterr().err
    assert main(["train"]) == 2  # --config is required
    assert main(["train", "--print-config", "--config", "routing"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["workload"] == "routing_train"


@pytest.mark.parametrize("preset", ["simulators", "netsim_paper2", "qkernels", "cloud_eval"])
def test_dry_run_plan_matches_the_driver_binding(preset: str, tmp_path: Path) -> None:
    from actors.runtime.binding import get_binding

    # an empty output folder: the checkout's results/ (after `make sweep`) is not this test's
    cfg = load_config(ROOT / "jobs" / "conf" / f"{preset}.yaml", [f"output_dir={tmp_path}"])
    binding = get_binding(cfg.workload)
    plan = binding.plan(cfg)
    dry = preview_sweep(cfg)
    assert (dry.points, dry.tasks, dry.done, dry.to_run) == (
        len(plan.points), plan.n_tasks, 0, plan.n_tasks)
    assert [a.key for a in dry.actors] == binding.actor_keys(cfg, plan)
    assert [a.resources for a in dry.actors] == [binding.resources(cfg, k)
                                                 for k in binding.actor_keys(cfg, plan)]


def test_dry_run_imports_no_ray_and_writes_nothing(tmp_path: Path) -> None:
    """The console script on the default config, from an empty folder: the modules its
    import statements load are listed by -X importtime (``importlib.import_module`` is not
    timed: the next test looks at ``sys.modules``), and none is Ray."""
    t0 = time.perf_counter()
    res = qray("sweep", "--dry-run", cwd=tmp_path, PYTHONPROFILEIMPORTTIME="1")
    elapsed = time.perf_counter() - t0
    assert res.returncode == 0, res.stderr[-3000:]
    assert elapsed < 10, f"dry run took {elapsed:.1f}s"
    imported = {line.rsplit("|", 1)[-1].strip() for line in res.stderr.splitlines()
                if line.startswith("import time:")}
    assert {"actors.cli", "qray.simulators.registry", "qray.results.folder"} <= imported
    assert not {m for m in imported if m == "ray" or m.startswith("ray.")}
    assert list(tmp_path.iterdir()) == []  # no results folder, no latest link
    cfg = load_config(ROOT / "jobs" / "conf" / "simulators.yaml", [f"output_dir={tmp_path}"])
    plan = sweep_spec("simulators").load("workload").plan(cfg)
    assert f"sweep {cfg.resolved_sweep_id} (dry run" in res.stdout
    assert f"{tmp_path / 'results' / cfg.resolved_sweep_id} (not created yet)" in res.stdout
    # the driver's cut: each backend's tasks in chunks of the automatic size
    units = cut_units(pending_tasks(plan, {}, rerun_failed=False),
                      lambda p: p.params["backend"], size=chunk_size(cfg, plan.n_tasks),
                      per_point=False)
    assert (f"tasks     {plan.n_tasks} tasks, 0 already done, {plan.n_tasks} to run in "
            f"{len(units)} trials") in res.stdout
    assert len(plan.points) > len(units) > len({p.params["backend"] for p in plan.points})


def test_dry_run_refuses_a_reservation_this_machine_cannot_satisfy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # what an embedded Ray would see: no GPU
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    res = qray("sweep", "--config", "ci_small", "--dry-run", f"output_dir={tmp_path}",
               "resources.numpy.num_gpus=0.25", CUDA_VISIBLE_DEVICES="", RAY_ADDRESS="")
    assert res.returncode == 2
    assert ("config key 'resources.numpy.num_gpus': value 0.25 cannot be satisfied: this "
            "machine, the embedded Ray's only node, has 0 GPU") in res.stderr
    ok = qray("sweep", "--config", "ci_small", "--dry-run", f"output_dir={tmp_path}",
              RAY_ADDRESS="")
    assert "checked   every reservation fits this machine" in ok.stdout
    far = qray("sweep", "--config", "ci_small", "--dry-run", f"output_dir={tmp_path}",
               "resources.numpy.num_gpus=0.25", "ray.address=127.0.0.1:1", RAY_ADDRESS="")
    assert far.returncode == 0 and "unchecked the reservations against the cluster" in far.stdout
    assert list(tmp_path.iterdir()) == []


def test_no_ray_for_the_commands_that_run_no_work(tmp_path: Path) -> None:
    probe = (
        "import sys, contextlib, io\n"
        "from actors.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    codes = [main(['sweep', '--dry-run', 'output_dir={tmp_path}']),\n"
        "             main(['sweep', '--print-config']), main(['keys', 'cloud_train']),\n"
        "             main(['backends'])]\n"
        "print(codes, sorted(m for m in ('ray', 'torch', 'qiskit_aer', 'cirq')\n"
        "                    if m in sys.modules))\n")
    res = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=user_env(),
                         capture_output=True, text=True, timeout=120)
    assert res.stdout.strip() == "[0, 0, 0, 0] []", res.stdout + res.stderr[-2000:]


def test_job_shims_keep_their_help() -> None:
    res = run_job("qkernel.py", "--help", timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("usage: qkernel.py")
    assert "default: jobs/conf/qkernels.yaml" in " ".join(res.stdout.split())
    assert "The quantum-kernel SVM pipeline" in res.stdout
    res = run_job("backends.py", "--help", timeout=60)
    assert res.returncode == 0 and res.stdout.startswith("usage: backends.py")


@pytest.mark.slow  # the ci_small test below runs the console script too
def test_a_small_sweep_through_the_console_script(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    args = ["sweep", *SMALL, f"output_dir={tmp_path}", *TINY]
    res = qray(*args, "--no-summary")
    assert res.returncode == 0, res.stderr[-3000:]
    assert "sweep cli: 2 tasks, 0 already done, 2 run in 2 trials" in res.stdout
    rows, problems = read_dataset(tmp_path / "cli" / "simulators")
    assert rows.num_rows == 2 and not problems
    assert set(rows.column("status").to_pylist()) == {"ok"}
    # the driver's log, timestamped, in the sweep's folder, without terminal control codes
    text = (tmp_path / "cli" / "driver.log").read_text()
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO actors\.runtime\.driver: "
                     r"sweep cli: 2 tasks, 0 already done", text, re.M), text
    assert "\x1b[" not in text
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'cli'} (exists)" in out
    assert "2 tasks, 2 already done, 0 to run in 0 trials" in out
    assert main(["summarize", str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli" / "summary.md").stat().st_size > 0
    assert os.path.islink(tmp_path / "latest")


def test_presets_ship_as_package_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wheel's copies are ``qray/presets/conf`` (a link to jobs/conf in the checkout,
    named as package data); outside a checkout the lookup falls back to them."""
    import tomllib

    from qray import presets

    packaged = Path(presets.__file__).parent / "conf"
    assert packaged.resolve() == ROOT / "jobs" / "conf"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["qray"] == "actors.cli:main"
    assert project["tool"]["setuptools"]["package-data"]["qray.presets"] == ["conf/*.yaml"]
    (tmp_path / "mine.yaml").write_text("workload: simulators\n")
    monkeypatch.setattr(presets, "SEARCH_PATH", (tmp_path / "no-checkout", tmp_path))
    assert presets.names() == ["mine"] and presets.resolve("mine") == tmp_path / "mine.yaml"


def test_ci_small_redirected_to_a_file_is_short_and_plain(tmp_path: Path) -> None:
    """``qray sweep --config ci_small > file``: no control codes, no INFO lines from the
    libraries (qiskit, matplotlib, Ray), the final progress line, under 40 lines."""
    log = tmp_path / "out.txt"
    with log.open("w") as fh:
        res = subprocess.run([str(QRAY), "sweep", "--config", "ci_small", *SMALL,
                              f"output_dir={tmp_path}"], cwd=ROOT, env=user_env(),
                             stdout=fh, stderr=subprocess.STDOUT, timeout=300)
    text = log.read_text()
    assert res.returncode == 0, text[-3000:]
    lines = text.splitlines()
    assert "\x1b" not in text and len(lines) < 40, text
    infos = [ln for ln in lines if " INFO " in f" {ln}" or ln.startswith("INFO")]
    assert all(" INFO actors." in ln or " INFO qray." in ln for ln in infos), infos
    progress = [ln for ln in lines if ln.startswith("tasks ")]
    assert progress and progress[-1].startswith("tasks 16/16 (100%) | 16 ok, 0 failed"), text
    assert "Trial status" not in text and "Result logdir" not in text  # Tune's table: --verbose


def test_log_level_sets_every_library(capsys: pytest.CaptureFixture) -> None:
    import logging

    from actors.cli.common import setup_logging as _setup_logging

    root = logging.getLogger()
    saved = root.level, {n: logging.getLogger(n).level for n in ("qiskit", "actors", "ray")}
    try:
        for chosen, qiskit, actors_level in ((None, logging.WARNING, logging.INFO),
                                             ("DEBUG", logging.DEBUG, logging.DEBUG)):
            _setup_logging(type("Args", (), {"log_level": chosen})())
            assert logging.getLogger("qiskit.transpiler").getEffectiveLevel() == qiskit
            assert logging.getLogger("matplotlib.font_manager").getEffectiveLevel() == qiskit
            assert logging.getLogger("actors.runtime.driver").getEffectiveLevel() == actors_level
    finally:
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)
    assert main(["sweep", "--log-level", "chatty", "--dry-run"]) == 2
    assert "invalid choice: 'CHATTY' (choose from DEBUG, INFO, WARNING, ERROR)" in \
        capsys.readouterr().err.replace("'DEBUG', 'INFO', 'WARNING', 'ERROR'",
                                        "DEBUG, INFO, WARNING, ERROR")
