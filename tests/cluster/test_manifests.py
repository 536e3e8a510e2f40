"""The cluster configs, checked without launching anything: the launcher YAML by Ray's own
validation, the KubeRay manifests by the fields that matter, the runtime_env by Ray's
RuntimeEnv, and the upload of the working dir by Ray's own packaging (results/ and
checkpoints stay out)."""

from __future__ import annotations

import copy
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = ROOT / "cluster"


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def test_launcher_config_passes_rays_validation() -> None:
    from ray.autoscaler._private.util import prepare_config, validate_config

    raw = _load(CLUSTER / "aws.yaml")
    config = prepare_config(copy.deepcopy(raw))
    validate_config(config)  # raises on any schema violation
    types = config["available_node_types"]
    assert set(types) == {"head", "cpu_workers", "gpu_workers"}
    assert config["head_node_type"] == "head"
    assert types["gpu_workers"]["resources"] == {"GPU": 1}
    assert types["head"]["resources"] == {"CPU": 0}
    assert types["cpu_workers"]["max_workers"] >= types["cpu_workers"]["min_workers"] >= 1
    head_cmd = " ".join(config["head_start_ray_commands"])
    assert "--dashboard-host=127.0.0.1" in head_cmd and "RAY_AUTH_MODE=token" in head_cmd
    assert "--metrics-export-port=8080" in head_cmd
    assert "RAY_AUTH_MODE=token" in " ".join(config["worker_start_ray_commands"])
    assert "torch==2.13.0" in " ".join(config["setup_commands"])


def test_launcher_validation_catches_a_broken_config() -> None:
    from ray.autoscaler._private.util import prepare_config, validate_config

    raw = _load(CLUSTER / "aws.yaml")
    raw["head_node_type"] = "no_such_type"
    with pytest.raises(ValueError, match="head_node_type"):
        validate_config(prepare_config(raw))


def _containers(group: dict) -> list[dict]:
    return group["template"]["spec"]["containers"]


@pytest.mark.parametrize("name", ["raycluster.yaml", "rayjob.yaml"])
def test_kuberay_manifests(name: str) -> None:
    doc = _load(CLUSTER / "kuberay" / name)
    assert doc["apiVersion"] == "ray.io/v1"
    spec = doc["spec"] if doc["kind"] == "RayCluster" else doc["spec"]["rayClusterSpec"]
    import ray

    assert spec["rayVersion"] == ray.__version__
    head = spec["headGroupSpec"]
    groups = {g["groupName"]: g for g in spec["workerGroupSpecs"]}
    assert set(groups) == {"cpu", "gpu"}
    gpu = groups["gpu"]
    limits = _containers(gpu)[0]["resources"]["limits"]
    assert limits["nvidia.com/gpu"] == "1" and gpu["rayStartParams"]["num-gpus"] == "1"
    assert gpu["minReplicas"] <= gpu["replicas"] <= gpu["maxReplicas"]
    assert head["rayStartParams"]["num-cpus"] == "0"
    for group in [head, *groups.values()]:
        env = {e["name"]: e for e in _containers(group)[0]["env"]}
        assert env["RAY_AUTH_MODE"]["value"] == "token"
        # the token comes from a Secret, never from the manifest itself
        assert "secretKeyRef" in env["RAY_AUTH_TOKEN"]["valueFrom"]
        mounts = {m["mountPath"] for m in _containers(group)[0]["volumeMounts"]}
        assert "/results" in mounts
    if doc["kind"] == "RayJob":
        assert doc["spec"]["entrypoint"].startswith("python jobs/sweep.py ")
        assert "output_dir=/results" in doc["spec"]["entrypoint"]
        runtime_env = yaml.safe_load(doc["spec"]["runtimeEnvYAML"])
        from ray.runtime_env import RuntimeEnv

        # /home/ray/qray exists inside the image (cluster/Dockerfile), not here: validate
        # everything else with the checkout standing in for it
        RuntimeEnv(**{**runtime_env, "working_dir": str(ROOT)})
        assert runtime_env["working_dir"] == "/home/ray/qray"
        assert "WORKDIR /home/ray/qray" in (CLUSTER / "Dockerfile").read_text()
        assert doc["spec"]["shutdownAfterJobFinishes"] is True
    else:
        assert head["serviceType"] == "ClusterIP"


def test_runtime_env_yaml_is_a_valid_runtime_env() -> None:
    from ray.runtime_env import RuntimeEnv

    env = _load(CLUSTER / "runtime_env.yaml")
    RuntimeEnv(**env)
    assert env["working_dir"] == "."


def test_uploaded_working_dir_leaves_out_results_and_checkpoints(tmp_path: Path) -> None:
    """Ray's own packaging of a checkout (the zip `ray job submit --working-dir .`
    uploads) with a results folder, checkpoints and a virtualenv in it."""
    from ray._private.runtime_env.packaging import create_package

    repo = tmp_path / "repo"
    for rel in ("jobs/sweep.py", "qray/config.py", "results/s1/simulators/p.parquet",
                "results/s1/summary.md", "checkpoints/run1/model.pt",
                "results/cloud/checkpoint_000001/policy.pt", ".venv/bin/python",
                "stray.parquet"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text("x")
    shutil.copy(ROOT / ".rayignore", repo / ".rayignore")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    target = tmp_path / "pkg.zip"
    create_package(str(repo), target, include_gitignore=True)
    names = set(zipfile.ZipFile(target).namelist())
    assert "jobs/sweep.py" in names and "qray/config.py" in names
    leaked = [n for n in names if n.startswith(("results/", "checkpoints/", ".venv/"))
              or n.endswith(".parquet") or "checkpoint_" in n]
    assert not leaked, leaked
