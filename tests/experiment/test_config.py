"""The experiment's config: the YAML keys, validation before any work, and identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from qray.config import load_config
from qray.errors import ConfigError
from qray.experiment.workload import plan
from tests.experiment.helpers import CLASS, FUNCTION, write, yaml_file


def _ids(cfg) -> list[str]:  # noqa: ANN001
    return [t.strong_id for p in plan(cfg).points for t in p.tasks]


@pytest.fixture
def exp_dir(tmp_path: Path) -> Path:
    write(tmp_path, "sq.py", FUNCTION)
    write(tmp_path, "cls.py", CLASS)
    return tmp_path


def test_experiment_key_implies_the_workload_and_a_relative_file(exp_dir: Path,
                                                                  monkeypatch) -> None:  # noqa: ANN001
    y = yaml_file(exp_dir, """
        experiment: sq.py:square
        grid: {x: [1, 2, 3], scale: {start: 0.5, stop: 1.5, step: 0.5}}
        params: {}
        repetitions: 2
    """)
    monkeypatch.chdir("/")  # the file is found beside the YAML, not in the cwd
    cfg = load_config(y)
    assert cfg.workload == "experiment"
    assert cfg.grid == {"x": [1, 2, 3], "scale": [0.5, 1.0, 1.5]}
    assert len(_ids(cfg)) == 3 * 3 * 2 == len(set(_ids(cfg)))
    assert cfg.name == "square" and cfg.resolved_sweep_id.startswith("square-")


def test_overrides_work_as_elsewhere(exp_dir: Path) -> None:
    y = yaml_file(exp_dir, "experiment: sq.py:square\ngrid: {x: [1, 2]}\nparams: {scale: 2}\n")
    cfg = load_config(y, ["grid.x=[5,6,7]", "params.scale=3.0", "repetitions=2"])
    assert cfg.grid["x"] == [5, 6, 7] and cfg.params["scale"] == 3.0 and cfg.repetitions == 2
    assert len(_ids(cfg)) == 6


def test_ints_and_floats_in_one_axis_become_floats(exp_dir: Path) -> None:
    y = yaml_file(exp_dir, "experiment: sq.py:square\ngrid: {x: [0, 0.5]}\n")
    assert load_config(y).grid["x"] == [0.0, 0.5]


BAD = [
    ("experiment: missing.py:square", "experiment", "no such file"),
    ("experiment: broken.py:f", "experiment", "syntax error at line 1"),
    ("experiment: sq.py:nothere", "experiment", "no callable 'nothere'"),
    ("experiment: sq.py:square\ngrid: {z: [1]}", "grid.z", "not an argument the callable"),
    ("experiment: sq.py:square\ngrid: {scale: [1]}", "params", "required argument"),
    ("experiment: sq.py:square\ngrid: {x: [1]}\nactor_key: backend", "actor_key",
     "a grid or params key"),
    ("experiment: sq.py:square\ngrid: {x: [1, a]}", "grid.x", "mixed kinds"),
    ("experiment: sq.py:square\ngrid: {x: [1], seed: [1]}", "grid.seed", "reserved"),
    ("experiment: sq.py:square\ngrid: {x: [1]}\nparams: {x: 2}", "params.x", "both grid"),
    ("experiment: sq.py:square\ngrid: {x: []}", "grid.x", "non-empty"),
    ("experiment: sq.py:square\ngrid: {x: [1, 2, 1]}", "grid.x", "repeats"),
    ("experiment: sq.py:square\ngrid: {x: [1]}\nrepetitions: 0", "repetitions", "[1,"),
    ("experiment: sq.py:square\ngrid: {x: [1]}\ntimeout_s: -1", "timeout_s", "seconds"),
    ("experiment: square\ngrid: {x: [1]}", "experiment", "malformed reference"),
    ("experiment: no_such_module_xyz:f", "experiment", "cannot import module"),
    ("experiment: cls.py:Squarer\ngrid: {backend: [a], x: [1]}", "experiment",
     "does not fit"),
]


@pytest.mark.parametrize(("text", "key", "words"), BAD, ids=[b[1] + "-" + b[2] for b in BAD])
def test_bad_input_names_the_key_before_any_work(exp_dir: Path, text: str, key: str,
                                                 words: str) -> None:
    (exp_dir / "broken.py").write_text("def f(:\n")
    y = yaml_file(exp_dir, text + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(y, ["output_dir=" + str(exp_dir / "out")])
    assert err.value.key == key and words in str(err.value), str(err.value)
    assert len(str(err.value).splitlines()) == 1
    assert not (exp_dir / "out").exists()


def test_identity_follows_the_source_unless_a_version_is_given(exp_dir: Path,
                                                               tmp_path_factory) -> None:  # noqa: ANN001
    y = yaml_file(exp_dir, "experiment: sq.py:square\ngrid: {x: [1, 2]}\n")
    before = _ids(load_config(y))
    src = exp_dir / "sq.py"
    src.write_text(src.read_text().replace("a comment the identity", "an edited comment the"))
    edited = _ids(load_config(y))
    assert set(before).isdisjoint(edited), "a comment edit must rerun with the default"
    v1 = _ids(load_config(y, ["version=v1"]))
    src.write_text(src.read_text().replace("an edited comment", "a second edit of the"))
    assert _ids(load_config(y, ["version=v1"])) == v1, "with a version, edits rerun nothing"
    moved_dir = tmp_path_factory.mktemp("moved")
    write(moved_dir, "sq.py", src.read_text())
    moved = yaml_file(moved_dir, "experiment: sq.py:square\ngrid: {x: [1, 2]}\n")
    assert _ids(load_config(moved)) == _ids(load_config(y)), "moving the file changes no id"
    assert _ids(load_config(y, ["seed=1"])) != _ids(load_config(y)), "the seed is in the id"


def test_the_command_refuses_with_exit_2_and_writes_nothing(exp_dir: Path, capsys) -> None:  # noqa: ANN001
    from actors.cli import main

    y = yaml_file(exp_dir, "experiment: sq.py:square\ngrid: {x: [1], z: [2]}\n")
    out = exp_dir / "out"
    assert main(["sweep", "--config", str(y), f"output_dir={out}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: config key 'grid.z'") and len(err.splitlines()) == 1
    assert not out.exists()
