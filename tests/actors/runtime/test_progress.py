"""The sweep's progress line: counts, rate and ETA; plain lines when not on a terminal;
the callback survives Tune's pickling."""

from __future__ import annotations

import io
import pickle
from types import SimpleNamespace

from actors.runtime.progress import SweepProgress, format_duration, progress_line


def test_the_line_has_counts_rate_and_eta() -> None:
    line = progress_line(120, 360, 118, 2, 30.0)
    assert line == ("tasks 120/360 (33%) | 118 ok, 2 failed | 4 tasks/s | 0:30 elapsed, "
                    "ETA 1:00")
    assert progress_line(0, 10, 0, 0, 5.0).endswith("ETA ?")
    assert format_duration(3723) == "1:02:03"


def test_retried_trials_are_counted_once_and_output_has_no_control_codes() -> None:
    out = io.StringIO()
    cb = SweepProgress("simulators", "s-1", 10, stream=out, interval_s=0)
    trial = SimpleNamespace(trial_id="t1")
    cb.on_trial_result(1, [], trial, {"rows": 4, "ok": 4, "failed": 0})
    cb.on_trial_result(2, [], trial, {"rows": 2, "ok": 2, "failed": 0})  # a retry's fresh rows
    cb.on_trial_result(1, [], SimpleNamespace(trial_id="t2"), {"rows": 6, "ok": 5, "failed": 1})
    cb.on_experiment_end([])
    assert cb.counts() == (10, 9, 1)
    text = out.getvalue()
    assert "\x1b" not in text and "\r" not in text
    assert text.splitlines()[-1].startswith("tasks 10/10 (100%) | 9 ok, 1 failed")


def test_final_reports_feed_the_run_metrics_from_the_driver(monkeypatch) -> None:
    from actors.runtime import progress_line as progress

    recorded: list[tuple[str, list]] = []
    monkeypatch.setattr(progress, "record_rows", lambda w, rows: recorded.append((w, rows)))
    cb = SweepProgress("cloud", "s-1", 3, stream=io.StringIO())
    trial = SimpleNamespace(trial_id="t1")
    written = [{"backend": "RoundRobin", "status": "ok", "wall_s": 0.1}] * 3
    partial = {"rows": 1, "ok": 1, "failed": 0, "partial": True}
    final = {"rows": 3, "ok": 3, "failed": 0, "partial": False, "rows_written": written}
    cb.on_trial_result(1, [], trial, partial)
    cb.on_trial_result(2, [], trial, final)
    assert recorded == [("cloud", written)]
    assert "rows_written" not in final  # kept out of Tune's logs and experiment state


def test_the_callback_pickles_without_its_stream() -> None:
    cb = SweepProgress("simulators", "s-1", 3, stream=io.StringIO())
    back = pickle.loads(pickle.dumps(cb))
    assert back.total == 3 and back._stream is None


def test_training_progress_counts_env_steps_per_trial() -> None:
    from actors.runtime.progress import TrainingProgress

    out = io.StringIO()
    key = "env_runners/num_env_steps_sampled_lifetime"
    cb = TrainingProgress("PPO", 1000, 2, steps_key=key, stream=out, interval_s=0)
    t1, t2 = SimpleNamespace(trial_id="t1"), SimpleNamespace(trial_id="t2")
    cb.on_trial_result(1, [], t1, {key: 400})
    cb.on_trial_result(1, [], t2, {"env_runners": {"num_env_steps_sampled_lifetime": 500}})
    cb.on_trial_result(2, [], t1, {key: 1200})  # RLlib overshoots the stop: counted as 1000
    cb.on_trial_complete(2, [], t1)
    assert cb.done() == 1500
    cb.on_experiment_end([])
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("PPO env steps 1500/2000 (75%) | 2 trials, 1 done | ")
    assert "\x1b" not in out.getvalue()
    assert pickle.loads(pickle.dumps(cb))._stream is None


def test_step_progress_for_long_loops() -> None:
    from actors.runtime.progress import StepProgress

    out = io.StringIO()
    steps = StepProgress("(e) points", 3, stream=out, interval_s=0)
    steps.advance(note="qiskit-aer qft n=22")
    steps.advance(2, note="cirq skipped")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("(e) points 1/3 (33%) | qiskit-aer qft n=22 | ")
    assert lines[-1].startswith("(e) points 3/3 (100%) | cirq skipped | ")
    assert lines[-1].endswith("ETA 0:00") and "\x1b" not in out.getvalue()


def test_unsupported_points_are_not_called_failed() -> None:
    line = progress_line(336, 336, 300, 0, 30.0)
    assert "| 300 ok, 0 failed, 36 unsupported or refused |" in line


def test_no_eta_until_rows_arrive_then_from_the_recent_rate() -> None:
    from actors.runtime.progress_line import SweepLine

    stream = io.StringIO()
    line = SweepLine("experiment", "s", 100, stream=stream, interval_s=0)
    line.on_result("u1", {"rows": 0, "ok": 0, "failed": 0, "partial": True})
    assert stream.getvalue().splitlines()[-1].endswith("elapsed, no ETA yet")
    line.samples.extend([(100.0, 10), (110.0, 30)])  # 20 tasks in the last 10 s
    line.per_trial["u1"] = (30, 30, 0)
    line.show(final=False)
    last = stream.getvalue().splitlines()[-1]
    assert "| 2 tasks/s |" in last and last.endswith("ETA 0:35")  # 70 left at 2 tasks/s
