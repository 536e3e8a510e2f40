"""Security defaults: loopback dashboards, token auth on the clusters qray starts, no
unpickling of anything in the results folder, secrets only from the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from qray.config import RayConfig
from qray.results import read_dataset

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("qray", "actors", "jobs", "kernels") for p in (ROOT / d).rglob("*.py")]


def test_dashboards_bind_loopback_unless_configured() -> None:
    assert RayConfig().dashboard_host == "127.0.0.1"
    up = (ROOT / "cluster" / "local-up.sh").read_text()
    assert "--dashboard-host=127.0.0.1" in up and "--node-ip-address=127.0.0.1" in up
    assert "--dashboard-host=127.0.0.1" in (ROOT / "cluster" / "aws.yaml").read_text()


def test_started_clusters_use_token_auth() -> None:
    up = (ROOT / "cluster" / "local-up.sh").read_text()
    assert "export RAY_AUTH_MODE=token" in up and "umask 077" in up
    # make sweep / netsim / qkernel start their embedded Ray with token auth by default
    assert "RAY_AUTH_MODE=$${RAY_AUTH_MODE:-token}" in (ROOT / "Makefile").read_text()


def test_no_unpickling_anywhere_in_the_code() -> None:
    offenders = []
    for path in SOURCES:
        text = path.read_text()
        for pattern in (r"pickle\.loads?\(", r"cloudpickle\.loads?\(", r"joblib\.load\(",
                        r"np\.load\([^)]*allow_pickle=True", r"pd\.read_pickle\("):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
        for call in re.findall(r"torch\.load\(([^)]*)\)", text):
            if "weights_only=True" not in call:
                offenders.append(f"{path.relative_to(ROOT)}: torch.load without weights_only")
    assert not offenders, offenders


def test_the_reader_never_opens_a_pickle_planted_in_results(tmp_path: Path) -> None:
    folder = tmp_path / "sweep" / "simulators"
    folder.mkdir(parents=True)
    pq.write_table(pa.table({"task_id": ["a"], "status": ["ok"]}), folder / "p.parquet")
    planted = folder / "evil.pkl"
    planted.write_bytes(b"\x80\x04cos\nsystem\n(S'touch /tmp/qray-pwned'\ntR.")
    (folder / "x.parquet.pkl").write_bytes(planted.read_bytes())
    table, problems = read_dataset(folder)
    assert table.num_rows == 1 and not problems
    assert not Path("/tmp/qray-pwned").exists()


def test_secrets_only_from_the_environment() -> None:
    """No token, password or API key literal in the code or configs."""
    pattern = re.compile(r"(token|password|api_key|apikey|secret)\s*[:=]\s*['\"][A-Za-z0-9_\-]{16,}",
                         re.IGNORECASE)
    files = SOURCES + list((ROOT / "jobs" / "conf").glob("*.yaml")) + \
        list((ROOT / "cluster").rglob("*.yaml"))
    leaks = [str(p.relative_to(ROOT)) for p in files if pattern.search(p.read_text())]
    assert not leaks, leaks


PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
import ray
from actors.runtime.connect import connect
from actors.runtime.exposure import open_listeners
from qray.config import load_config
cfg = load_config(sys.argv[1], ["ray.include_dashboard=true"])
connect(cfg)
url = ray._private.worker.global_worker.node.address_info.get("webui_url") or ""
print(json.dumps({"open": open_listeners(), "dashboard": url}))
ray.shutdown()
"""


def _embedded(auth: str | None) -> tuple[dict, str]:
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("RAY_AUTH_MODE", "RAY_ADDRESS")}
    if auth:
        env["RAY_AUTH_MODE"] = auth
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "jobs/conf/simulators.yaml")],
                          capture_output=True, text=True, timeout=180, cwd=ROOT,
                          env={**env, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_embedded_ray_dashboard_on_loopback_and_open_ports_named() -> None:
    """The dashboard of the embedded Ray listens on loopback only. Ray binds its other
    servers to every interface (no setting narrows that), so with token auth off qray
    names each such socket in a warning; with Ray's default token auth it stays quiet."""
    found, err = _embedded("disabled")
    port = int(found["dashboard"].rsplit(":", 1)[1])
    assert found["dashboard"].startswith("127.0.0.1:")
    assert all(p != port for _, p, _ in found["open"])  # the dashboard: loopback only
    assert found["open"], "Ray 2.60 binds its servers to every interface"
    line = next(x for x in err.splitlines() if "RAY_AUTH_MODE=disabled" in x)
    assert f"listens beyond loopback on {len(found['open'])} socket(s)" in line
    assert "any host that reaches this machine can run code" in line
    quiet, err = _embedded(None)  # Ray's default for a local cluster: token auth
    assert "listens beyond loopback" not in err
