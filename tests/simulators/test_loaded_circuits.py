"""A sweep over the user's own circuits: QASM files and MQT Bench beside the families, run on
the actors, their IR shipped in the task specs, rows identified by the content hash."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np

import actors
from qray.results import read_dataset
from tests.circuits.test_sources import GOOD, qiskit_probabilities

CONF = Path(__file__).resolve().parents[2] / "jobs" / "conf" / "ci_small.yaml"
HAS_MQT = importlib.util.find_spec("mqt.bench") is not None


def test_a_sweep_runs_files_and_mqt_beside_families(ray_session, tmp_path: Path,
                                                    quiet_cfg) -> None:
    from qray.circuits import sources

    folder = tmp_path / "circuits"
    folder.mkdir()
    for p in GOOD:
        shutil.copy(p, folder / p.name)
    entries = ["ghz", f"'qasm:{folder}/*.qasm'"] + (["mqt:ghz@3"] if HAS_MQT else [])
    over = [*quiet_cfg, f"output_dir={tmp_path / 'out'}", "backends=[numpy,qsim]",
            f"circuits=[{','.join(entries)}]", "n_qubits=[3]", "repetitions=2"]
    report = actors.sweep(CONF, over, summarize=True)
    df = read_dataset(report.sweep_dir / "simulators")[0].to_pandas()
    assert (df["status"] == "ok").all(), df[["circuit", "error"]]
    loaded_names = [f"qasm:{folder}/{p}" for p in sorted(x.name for x in GOOD)]
    loaded_names += ["mqt:ghz@3"] if HAS_MQT else []
    assert set(df["circuit"]) == {"ghz", *loaded_names}
    assert df.loc[df["circuit"] == "ghz", "circuit_sha"].isna().all()
    for name in loaded_names:
        rows = df[df["circuit"] == name]
        assert len(rows) == 2 * 2  # two backends, two repetitions
        assert set(rows["circuit_sha"]) == {sources.load(name, "k").sha}
        expected = qiskit_probabilities(sources.load_qiskit(name, "k"))
        exact = rows["probs"].dropna()  # the first repetition of each backend records it
        assert len(exact) == 2
        for probs in exact:
            assert 0.5 * np.abs(np.asarray(probs) - expected).sum() < 1e-6
    assert "qasm:" in (report.sweep_dir / "summary.md").read_text()
    again = actors.sweep(CONF, over, summarize=False)
    assert again.run_tasks == 0 and again.skipped_tasks == len(df)
