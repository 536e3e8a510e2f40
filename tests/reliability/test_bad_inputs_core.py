"""Bad inputs of the runtime itself (output folder, Ray address, YAML, a reused sweep id,
foreign result files, a sweep manifest, two drivers of one sweep, a full disk): each is
refused before any work with a message naming the key or file, and nothing is written,
moved or deleted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import actors
from qray.config import load_config
from qray.errors import ConfigError, QrayError
from qray.results import read_dataset
from qray.results.folder import SweepLock
from qray.summary import summarize_sweep
from tests.reliability.helpers import refused

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "jobs" / "conf" / "simulators.yaml"
TINY = ["ray.include_dashboard=false", "summarize=false", "backends=[numpy]",
        "circuits=[ghz]", "n_qubits=[3]", "noise=[0.0]", "depth=[2]", "repetitions=1",
        "warmup=0", "shots=10", "sweep_id=reused"]


def _refuse(overrides: list[str], key: str, fragment: str, out: Path) -> str:
    with pytest.raises(QrayError) as err:
        actors.sweep(SIM, ["ray.include_dashboard=false", *overrides])
    message = str(err.value)
    assert f"'{key}'" in message and fragment in message, message
    return refused(message)


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def test_output_dir_that_cannot_be_written(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("mine")
    _refuse([f"output_dir={a_file}"], "output_dir", "is a file, not a folder", tmp_path)
    _refuse([f"output_dir={a_file}/sub"], "output_dir", "is a file, not a folder", tmp_path)
    long_name = tmp_path / ("x" * 300)
    _refuse([f"output_dir={long_name}"], "output_dir", "a name of 300 bytes", tmp_path)
    assert a_file.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_output_dir_on_a_read_only_file_system(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {done.stderr.decode().strip()}")
    try:
        _refuse([f"output_dir={ro}/results"], "output_dir", "is read-only", tmp_path)
    finally:
        subprocess.run(["umount", str(ro)], check=True)


def test_latest_that_is_a_real_folder(tmp_path: Path) -> None:
    (tmp_path / "latest").mkdir()
    (tmp_path / "latest" / "notes.txt").write_text("mine")
    before = _tree(tmp_path)
    _refuse([f"output_dir={tmp_path}"], "output_dir", "not qray's 'latest' link", tmp_path)
    assert _tree(tmp_path) == before  # no sweep folder, no .tmp-latest link left


def test_ray_address_malformed_or_unreachable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(SIM, ["ray.address=not-a-host:99999"])
    assert "'ray.address'" in str(err.value) and "1..65535" in str(err.value)
    refused(str(err.value))
    env = {**os.environ, "RAY_ADDRESS": ""}
    for address, fragment in [("not-a-host:6379", "cannot reach the Ray head"),
                              ("127.0.0.1:1", "cannot reach the Ray head (Connection refused)")]:
        out = tmp_path / address.replace(":", "_")
        done = subprocess.run(
            [sys.executable, str(ROOT / "jobs" / "sweep.py"), f"ray.address={address}",
             f"output_dir={out}"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 2, done.stderr
        assert "'ray.address'" in done.stderr and fragment in done.stderr, done.stderr
        assert not out.exists()
        refused(done.stderr.strip().splitlines()[-1])


def test_a_head_that_accepts_and_never_answers_fails_within_seconds(tmp_path: Path) -> None:
    import socket
    import threading
    import time

    silent = socket.socket()  # a loopback listener of the test's own that reads nothing
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    http = socket.socket()  # and one that answers like an HTTP/1 server
    http.bind(("127.0.0.1", 0))
    http.listen(8)
    held: list[socket.socket] = []

    def answer_http() -> None:
        while True:
            try:
                conn, _ = http.accept()
            except OSError:
                return
            conn.recv(1024)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            held.append(conn)

    threading.Thread(target=answer_http, daemon=True).start()
    env = {**os.environ, "RAY_ADDRESS": ""}
    try:
        for sock, fragment in [(silent, "sent nothing for 4 s"),
                               (http, "not an HTTP/2 SETTINGS frame")]:
            address = f"127.0.0.1:{sock.getsockname()[1]}"
            out = tmp_path / str(sock.getsockname()[1])
            t0 = time.monotonic()
            done = subprocess.run(
                [sys.executable, str(ROOT / "jobs" / "sweep.py"), f"ray.address={address}",
                 f"output_dir={out}"], capture_output=True, text=True, timeout=120, env=env)
            took = time.monotonic() - t0
            assert done.returncode == 2, done.stderr
            assert "'ray.address'" in done.stderr and "not a Ray head" in done.stderr
            assert fragment in done.stderr, done.stderr
            assert took < 30 and not out.exists()  # seconds, where Ray retried for minutes
            refused(done.stderr.strip().splitlines()[-1])
    finally:
        silent.close()
        http.close()
        for conn in held:
            conn.close()


def test_a_real_ray_head_answers_the_probe(ray_session) -> None:  # noqa: ANN001
    from actors.runtime.connect import speaks_grpc
    from qray.config import parse_address

    gcs = ray_session.get_runtime_context().gcs_address
    assert speaks_grpc(parse_address(gcs)) is None


def test_yaml_interpolation_empty_file_and_overrides_around_config(tmp_path: Path) -> None:
    bad = tmp_path / "interp.yaml"
    bad.write_text("workload: simulators\nshots: ${nope}\n")
    with pytest.raises(ConfigError, match=r"'--config'.*cannot resolve an interpolation"):
        load_config(bad)
    refused("interpolation")
    for text in ("", "~\n", "# only a comment\n"):
        empty = tmp_path / "empty.yaml"
        empty.write_text(text)
        with pytest.raises(ConfigError, match=r"'--config': empty config file"):
            load_config(empty)
        refused(f"empty config {text!r}")
    # overrides may stand before and after --config; both are applied
    sys.path.insert(0, str(ROOT / "jobs"))
    try:
        from sweep import main
    finally:
        sys.path.remove(str(ROOT / "jobs"))
    for argv, key in [(["n_qubits=[0]", "--config", str(SIM)], "n_qubits[0]"),
                      (["n_qubits=[3]", "--config", str(SIM), "shots=-1"], "shots")]:
        out = tmp_path / "out"
        assert main([*argv, f"output_dir={out}"]) == 2
        assert not out.exists()
        refused(key)


def test_absurd_sizes_refused_before_they_are_built() -> None:
    for overrides, key, fragment in [
        (["n_qubits={start: 1, stop: 1000000000}"], "n_qubits", "1,000,000,000 values"),
        (["actor.memory_budget_mb=1e308"], "actor.memory_budget_mb", "1 TiB"),
        (["actor.max_rss_mb=1e308"], "actor.max_rss_mb", "1 TiB"),
    ]:
        with pytest.raises(ConfigError) as err:
            load_config(SIM, overrides)
        assert f"'{key}'" in str(err.value) and fragment in str(err.value), str(err.value)
        refused(str(err.value))


@pytest.fixture(scope="module")
def finished(ray_session, tmp_path_factory) -> Path:
    """A finished one-task sweep (sweep_id ``reused``, shots=10)."""
    out = tmp_path_factory.mktemp("reused")
    report = actors.sweep(SIM, [*TINY, f"output_dir={out}"])
    assert report.complete and report.run_tasks == 1
    return out


def test_reused_sweep_id_with_another_config(finished: Path) -> None:
    """A sweep_id run again under another config is no longer refused: the sweep shows the
    new config's tasks (a view of its plan), and the earlier rows stay on disk."""
    sweep_dir = finished / "reused"
    other = actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20", "noise=[0.01]"])
    assert other.sweep_dir == sweep_dir and other.run_tasks == 1
    rows = read_dataset(sweep_dir / "simulators")[0].to_pandas()
    assert len(rows) == 1 and set(rows["shots"]) == {20}
    # a key that changes no result resumes the sweep as before
    again = actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20", "noise=[0.01]",
                               "max_parallel=1"])
    assert again.run_tasks == 0 and again.skipped_tasks == 1
    # back to the first config: its row is still there, nothing runs
    first = actors.sweep(SIM, [*TINY, f"output_dir={finished}"])
    assert first.run_tasks == 0 and first.skipped_tasks == 1
    # --allow-config-change is accepted and changes nothing: the new task alone runs
    flagged = actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20"],
                           allow_config_change=True)
    assert flagged.run_tasks == 1


def test_foreign_parquet_files_are_reported_and_skipped(finished: Path, tmp_path: Path) -> None:
    folder = finished / "reused" / "simulators"
    rows_before = read_dataset(folder)[0].num_rows
    pq.write_table(pa.table({"a": [1, 2, 3]}), folder / "foreign.parquet")
    pq.write_table(pa.table({"task_id": [1, 2], "status": ["ok", "ok"]}), folder / "int_ids.parquet")
    other = pa.table({"task_id": ["x"], "status": ["ok"]}).replace_schema_metadata(
        {"qray.workload": "netsim"})
    pq.write_table(other, folder / "netsim_rows.parquet")
    from qray.simulators.rows import SCHEMA

    table, problems = read_dataset(folder, schema=SCHEMA)
    reasons = {p.path.name: p.reason for p in problems}
    assert table.num_rows == rows_before
    assert all("not written by this sweep (no entry in files.jsonl)" in r
               for r in reasons.values()) and len(reasons) == 3
    bare = tmp_path / "bare"  # a folder of Parquet files without a sweep: checked by schema
    bare.mkdir()
    for name in reasons:
        shutil.copy(folder / name, bare / name)
    bare_reasons = {p.path.name: p.reason for p in read_dataset(bare, schema=SCHEMA)[1]}
    assert "no task_id, status column" in bare_reasons["foreign.parquet"]
    assert "column 'task_id' is int64, expected string" in bare_reasons["int_ids.parquet"]
    assert "rows of workload 'netsim', not 'simulators'" in bare_reasons["netsim_rows.parquet"]
    summary = summarize_sweep(finished / "reused")
    assert "3 result file(s) skipped" in summary.markdown
    rerun = actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20"])
    assert rerun.run_tasks == 0 and len(rerun.unreadable_files) == 3
    for name, reason in bare_reasons.items():
        refused(f"{name}: {reason}")
        (folder / name).unlink()


def test_corrupt_or_unknown_manifest(finished: Path, tmp_path: Path) -> None:
    manifest = finished / "reused" / "sweep.json"
    good = manifest.read_text()
    try:
        manifest.write_text("{not json")
        with pytest.raises(QrayError, match=r"sweep.json: not a readable sweep manifest"):
            summarize_sweep(finished / "reused")
        refused("corrupt sweep.json (summary)")
        with pytest.raises(QrayError, match=r"sweep.json: not a readable sweep manifest"):
            actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20"])
        refused("corrupt sweep.json (resume)")
        manifest.write_text(json.dumps({"workload": "chemistry"}))
        with pytest.raises(QrayError, match=r"names workload 'chemistry', but .* holds "
                                            r"'simulators' rows"):
            summarize_sweep(finished / "reused")
        refused("unknown workload in sweep.json beside simulators rows")
        (finished / "chemistry").mkdir()  # a sweep folder of nothing but that manifest
        shutil.copy(manifest, finished / "chemistry" / "sweep.json")
        with pytest.raises(ConfigError, match=r"'workload'.*unknown workload.*'chemistry'"):
            summarize_sweep(finished / "chemistry")
        refused("unknown workload in sweep.json")
    finally:
        manifest.write_text(good)
        shutil.rmtree(finished / "chemistry", ignore_errors=True)


def test_second_driver_of_the_same_sweep_is_refused(finished: Path) -> None:
    sweep_dir = finished / "reused"
    before = _tree(sweep_dir)
    lock = SweepLock(sweep_dir)  # the first driver
    try:
        with pytest.raises(QrayError, match=r"is in use by another qray driver \(pid \d+"):
            actors.sweep(SIM, [*TINY, f"output_dir={finished}", "shots=20"])
        refused("second driver")
    finally:
        lock.release()
    assert {k: v for k, v in _tree(sweep_dir).items() if k != ".lock"} == \
        {k: v for k, v in before.items() if k != ".lock"}


@pytest.mark.slow
def test_disk_full_mid_sweep_says_so_and_resumes(ray_session, tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    over = ["ray.include_dashboard=false", "summarize=false", "backends=[numpy]",
            "circuits=[ghz,qft]", "n_qubits={start: 2, stop: 9}", "depth=[2]",
            "repetitions=1", "warmup=0", f"output_dir={small}", "sweep_id=full"]
    try:
        filler = small / "filler"
        filler.write_bytes(b"\0" * (2 * 2**20 - 72 * 2**10))  # ~72 KB left: the full sweep needs ~160
        with pytest.raises(QrayError, match="disk full: no space left under"):
            actors.sweep(SIM, over)
        refused("disk full")
        rows_before = read_dataset(small / "full" / "simulators")[0]
        filler.unlink()
        report = actors.sweep(SIM, over)
        df = read_dataset(small / "full" / "simulators")[0].to_pandas()
        assert report.complete and len(df) == 16 and df["task_id"].is_unique
        assert rows_before.num_rows < 16
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)


def test_environment_interpolation_is_refused(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QRAY_TEST_SECRET", "hunter2")
    conf = tmp_path / "secret.yaml"
    conf.write_text("workload: simulators\nname: ${oc.env:QRAY_TEST_SECRET}\n")
    with pytest.raises(ConfigError) as err:
        load_config(conf)
    assert "'name'" in str(err.value) and "resolver interpolation is refused" in str(err.value)
    assert "hunter2" not in str(err.value)
    refused(str(err.value))
    with pytest.raises(ConfigError, match=r"'shots'.*resolver interpolation is refused"):
        load_config(SIM, ["shots=${oc.env:QRAY_TEST_SECRET}"])
    refused("override with ${oc.env:...}")
    own = tmp_path / "own.yaml"  # an interpolation of the file's own key stays allowed
    own.write_text("workload: simulators\nshots: 100\nrepetitions: ${shots}\n")
    assert load_config(own).repetitions == 100


@pytest.mark.parametrize(("override", "key", "fragment"), [
    ("trial_retries=1000000000", "trial_retries", "0..100"),
    ("seed=-5", "seed", "0..4294967295"),
    ("seed=4294967296", "seed", "0..4294967295"),
    ("ray.dashboard_host=not a host", "ray.dashboard_host", "an IP address or host name"),
])
def test_unbounded_or_malformed_shared_keys(override: str, key: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(SIM, [override])
    assert f"'{key}'" in str(err.value) and fragment in str(err.value)
    refused(str(err.value))


@pytest.mark.parametrize(("address", "fragment"), [
    ("garbage", "host:port with a port in 1..65535"),
    ("http://127.0.0.1:8265", "an http:// address is the job server's"),
    ("auto", "no running Ray cluster"),
    ("127.0.0.1:1", "cannot reach the Ray head (Connection refused)"),  # nothing listens
])
def test_ray_address_from_the_environment(address: str, fragment: str, tmp_path: Path) -> None:
    if address == "auto" and _ray_runs_here():
        pytest.skip("a Ray cluster runs on this machine (another test's), so 'auto' finds it")
    out = tmp_path / "out"
    # a temp dir of its own: 'auto' must not find a cluster another test started here
    env = {**os.environ, "RAY_ADDRESS": address, "RAY_TMPDIR": str(tmp_path),
           "TMPDIR": str(tmp_path)}
    env.pop("RAY_JOB_CONFIG_JSON_ENV_VAR", None)
    done = subprocess.run([sys.executable, str(ROOT / "jobs" / "sweep.py"), "--config",
                           "ci_small", f"output_dir={out}"], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    assert "'RAY_ADDRESS'" in done.stderr and fragment in done.stderr, done.stderr
    assert not out.exists()
    refused(done.stderr.strip().splitlines()[-1])


def _ray_runs_here() -> bool:
    """Whether a GCS server runs on this machine ('auto' scans the processes for one)."""
    import psutil

    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if "gcs_server" in (proc.info["name"] or "") or any(
                    "gcs_server" in part for part in proc.info["cmdline"] or []):
                return True
        except psutil.Error:
            continue
    return False
