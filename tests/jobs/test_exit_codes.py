"""``qray sweep``'s exit status and provenance checks, through the CLI's own ``main`` on
the shared embedded Ray."""

from __future__ import annotations

import json
from pathlib import Path

from actors.cli import main

FAILING = ["ray.include_dashboard=false", "summarize=false", "warmup=0", "backends=[numpy]",
           "circuits=[random]", "n_qubits=[10]", "depth=[40]", "repetitions=2",
           "timeout_s=0.00001", "exact_max_qubits=0"]
PASSING = ["ray.include_dashboard=false", "summarize=false", "warmup=0", "backends=[numpy]",
           "circuits=[ghz]", "n_qubits=[3]", "repetitions=2"]


def test_failed_rows_exit_one_and_print_the_rerun_command(ray_session, tmp_path: Path,
                                                           capsys) -> None:
    args = ["sweep", "--config", "ci_small", f"output_dir={tmp_path}", *FAILING]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "status: 2 timeout" in out
    assert "2 row(s) ended error or timeout (exit 1)" in out
    assert "qray sweep --config ci_small" in out and out.rstrip().endswith("--rerun-failed")
    assert main([*args, "--allow-failures"]) == 0
    assert "(--allow-failures: exit 0)" in capsys.readouterr().out


def test_provenance_is_recorded_and_a_changed_host_is_reported(ray_session, tmp_path: Path,
                                                               capsys, caplog) -> None:
    args = ["sweep", "--config", "ci_small", f"output_dir={tmp_path}", *PASSING]
    assert main(args) == 0
    assert "status: 2 ok" in capsys.readouterr().out
    manifest = (tmp_path / "latest" / "sweep.json")
    data = json.loads(manifest.read_text())
    prov = data["provenance"]
    for key in ("hostname", "cpu_model", "cpu_count", "memory_gb", "gpu", "os", "python", "ray",
                "qray", "git_rev", "git_dirty", "libraries"):
        assert key in prov, key
    assert prov["libraries"]["numpy"] and prov["ray"] == prov["libraries"]["ray"]
    from qray.results import read_dataset

    rows = read_dataset(manifest.parent / "simulators")[0].to_pandas()
    assert rows["cpu_model"].notna().all() and (rows["cpu_count"] > 0).all()
    # a resume on "another machine": a warning by default, refused under --strict-provenance
    prov["hostname"] = "elsewhere"
    prov["libraries"]["numpy"] = "0.0.1"
    manifest.write_text(json.dumps(data))
    assert main([*args, "--strict-provenance"]) == 2
    err = capsys.readouterr().err
    assert "hostname: elsewhere ->" in err and "libraries.numpy: 0.0.1 ->" in err
    assert json.loads(manifest.read_text())["provenance"]["hostname"] == "elsewhere"
    assert main(args) == 0
    assert "RESUMING ON A DIFFERENT MACHINE OR VERSIONS" in caplog.text
    changes = json.loads(manifest.read_text())["provenance_changes"]
    assert len(changes) == 1 and changes[0]["changes"]["hostname"][0] == "elsewhere"
