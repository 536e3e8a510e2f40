"""The routing comparison table from a ``routing`` sweep's rows, with Qiskit's own
``transpile(..., layout_method="trivial", optimization_level=3)`` on the same circuits as
a reference.

    python jobs/sweep.py --config jobs/conf/routing_eval.yaml \\
        "routers=[sabre-1,sabre-20,lookahead,front-greedy,front-search-4]" \\
        "maps=[grid-5x5,heavy-hex-19]" "families=[random,qft,qaoa_maxcut]" sweep_id=cmp
    python jobs/compare_routers.py results/cmp/routing [more routing folders ...]

Per coupling map and circuit set: mean SWAPs added, mean two-qubit depth after routing
(SWAPs count as two-qubit gates), mean routing milliseconds per circuit, and how many of
the routed circuits were verified. Several sweeps' rows (say, the training pipeline's
evaluation and a sweep of the classical routers on the same held-out keys) make one table. The reference's SWAPs are what
Qiskit's preset pass manager leaves (it also cancels and merges gates, so its output is
not verified against the original DAG and is not a qray router).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger("qray.compare_routers")

SETS = (("random", 10), ("random", 16), ("qft", 16), ("qaoa_maxcut", 16))
REFERENCE = "qiskit-O3 (reference)"


def qiskit_reference(frame: pd.DataFrame, seed: int = 2024) -> pd.DataFrame:
    """SWAPs Qiskit's optimization level 3 leaves on each circuit of ``frame``."""
    from qiskit import transpile
    from qiskit.transpiler import CouplingMap

    from qray.routing.circuits.benchmarks import benchmark_circuit
    from qray.routing.circuits.graphs import coupling_graph, edge_list, sorted_edges
    from qray.routing.circuits.io import two_qubit_depth

    rows = []
    circuits = frame[["coupling_map", "family", "n_qubits", "instance", "gates_2q"]]
    for cmap, family, n, instance, gates in circuits.drop_duplicates().itertuples(index=False):
        cm = CouplingMap(edge_list(sorted_edges(coupling_graph(cmap))))
        cm.make_symmetric()
        qc = benchmark_circuit(family, int(n), int(instance), gates=int(gates)
                               if family == "random" else 50)
        t0 = time.perf_counter()
        out = transpile(qc, coupling_map=cm, layout_method="trivial", optimization_level=3,
                        seed_transpiler=seed)
        rows.append({"router": REFERENCE, "coupling_map": cmap, "family": family,
                     "n_qubits": n, "instance": instance,
                     "swaps": int(out.count_ops().get("swap", 0)),
                     "depth_2q": two_qubit_depth(out),
                     "route_s": time.perf_counter() - t0, "verified": False,
                     "status": "ok"})
    return pd.DataFrame(rows)


#: the name of the time-matched SABRE's rows
MATCHED = "sabre-matched"
#: SABRE trials at most (a time budget the slowest router sets can be large)
MAX_MATCHED_TRIALS = 100_000


def _set_of(frame: pd.DataFrame, cmap: str, family: str, n: int) -> pd.DataFrame:
    return frame[(frame.coupling_map == cmap) & (frame.family == family)
                 & (frame.n_qubits == n) & (frame.status == "ok")]


def time_matched_sabre(frame: pd.DataFrame, seed: int = 2024) -> tuple[pd.DataFrame, list[str]]:
    """SABRE at equal compute: per (map, circuit set), ``sabre-<k>`` with k trials chosen so
    that its mean time per circuit matches the slowest router's there (k from SABRE's
    measured time per trial on these circuits, at most ``MAX_MATCHED_TRIALS``), run on
    the same circuits and verified. Returns its rows (router ``sabre-matched``) and one
    line per set saying which k and times."""
    from qray.routing.bridge import route
    from qray.routing.circuits.benchmarks import benchmark_circuit
    from qray.routing.circuits.graphs import coupling_graph
    from qray.routing.circuits.io import two_qubit_depth
    from qray.routing.routers.sabre import SabreRouter

    rows, notes = [], []
    for cmap in sorted(frame["coupling_map"].unique()):
        graph = coupling_graph(cmap)
        for family, n in SETS:
            part = _set_of(frame, cmap, family, n)
            if part.empty:
                continue
            per_router = part.groupby("router").route_s.mean()
            slowest, budget = per_router.idxmax(), float(per_router.max())
            circuits = part[["family", "n_qubits", "instance", "gates_2q"]].drop_duplicates()
            built = [(int(i), benchmark_circuit(f, int(q), int(i), gates=int(g)
                                                if f == "random" else 50))
                     for f, q, i, g in circuits.itertuples(index=False)]
            t0 = time.perf_counter()  # SABRE's time per trial, measured on these circuits
            for _, qc in built:
                route(qc, graph, SabreRouter(1, seed), check=False)
            per_trial = (time.perf_counter() - t0) / len(built)
            k = max(1, min(MAX_MATCHED_TRIALS, round(budget / per_trial)))
            # SABRE's trials run in parallel threads, so time is not linear in k: adjust k
            # on the set's circuits until its time per circuit is within 20 % of the budget
            for _ in range(5):
                t0 = time.perf_counter()
                for _, qc in built:
                    route(qc, graph, SabreRouter(k, seed), check=False)
                spent_k = (time.perf_counter() - t0) / len(built)
                if 0.8 <= spent_k / budget <= 1.2 or k == MAX_MATCHED_TRIALS:
                    break
                k = max(1, min(MAX_MATCHED_TRIALS, round(k * budget / spent_k)))
            router = SabreRouter(k, seed)
            for instance, qc in built:
                out = route(qc, graph, router)  # verified
                rows.append({"router": MATCHED, "coupling_map": cmap, "family": family,
                             "n_qubits": n, "instance": instance, "swaps": out.swaps,
                             "depth_2q": two_qubit_depth(out.circuit),
                             "route_s": out.seconds,
                             "verified": True, "status": "ok", "trials": k})
            spent = np.mean([r["route_s"] for r in rows[-len(built):]])
            capped = " (capped: SABRE cannot spend more here)" if k == MAX_MATCHED_TRIALS else ""
            notes.append(f"{cmap} {family}-{n}: sabre-{k} took {1000 * spent:.0f} ms per "
                         f"circuit for {slowest}'s {1000 * budget:.0f} ms{capped}")
    return pd.DataFrame(rows), notes


def beats_matched(frame: pd.DataFrame, routers: list[str]) -> list[str]:
    """Per (map, set), each router's SWAPs minus the time-matched SABRE's on the same
    circuits: mean, 95 % t interval and n; "fewer" or "more" only when the interval
    excludes 0."""
    from qray.results.stats import paired_difference

    out = []
    for cmap in sorted(frame["coupling_map"].unique()):
        for family, n in SETS:
            part = _set_of(frame, cmap, family, n)
            base = part[part.router == MATCHED].set_index("instance").swaps
            if base.empty:
                continue
            for r in routers:
                if r in (MATCHED, REFERENCE):
                    continue
                mine = part[part.router == r].set_index("instance").swaps
                both = mine.index.intersection(base.index)
                if both.empty:
                    continue
                d = paired_difference(mine[both].to_numpy(), base[both].to_numpy())
                word = ("fewer SWAPs" if d.high < 0 else "more SWAPs" if d.low > 0
                        else "no difference shown")
                ci = (f"[{d.low:+.2f}, {d.high:+.2f}]" if np.isfinite(d.low)
                      else "[no interval: n < 2]")
                out.append(f"{cmap} {family}-{n}: {r} - {MATCHED} = {d.mean:+.2f} SWAPs "
                           f"{ci}, n = {d.n}: {word}")
    return out


def table(frame: pd.DataFrame, routers: list[str]) -> str:
    """The markdown table: a row per (map, set), SWAPs / two-qubit depth / ms / verified
    per router."""
    head = "| coupling map | circuits | " + " | ".join(routers) + " |"
    lines = [head, "|" + "---|" * (2 + len(routers))]
    for cmap in sorted(frame["coupling_map"].unique()):
        for family, n in SETS:
            part = frame[(frame.coupling_map == cmap) & (frame.family == family)
                         & (frame.n_qubits == n)]
            if part.empty:
                continue
            cells = []
            for r in routers:
                rows = part[part.router == r]
                if rows.empty:
                    cells.append("")
                    continue
                ok = rows[rows.status == "ok"]
                cells.append(f"{ok.swaps.mean():.1f} / {ok.depth_2q.mean():.0f} / "
                             f"{1000 * ok.route_s.mean():.0f} ms"
                             + ("" if r == REFERENCE else
                                f" ({int(rows.verified.sum())}/{len(rows)} verified)"))
            label = f"{family} {n} q" + (f", {int(part.instance.nunique())} circuits"
                                         if family != "qft" else "")
            lines.append(f"| {cmap} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(frame: pd.DataFrame, candidate: str, against: list[str]) -> list[str]:
    """Mean SWAPs of ``candidate`` relative to each of ``against``, per map and set."""
    out = []
    for cmap in sorted(frame["coupling_map"].unique()):
        for family, n in SETS:
            part = frame[(frame.coupling_map == cmap) & (frame.family == family)
                         & (frame.n_qubits == n) & (frame.status == "ok")]
            means = part.groupby("router").swaps.mean()
            if candidate not in means:
                continue
            rel = ", ".join(f"{means[candidate] / means[a]:.3f}x {a}" for a in against
                            if a in means)
            out.append(f"{cmap} {family}-{n}: {candidate} {means[candidate]:.1f} = {rel}")
    return out


def parse_renames(specs: list[str], n_datasets: int) -> dict[int, dict[str, str]]:
    """``N:OLD=NEW`` options as {dataset number: {old: new}} (``SystemExit`` naming a bad
    one)."""
    out: dict[int, dict[str, str]] = {}
    for spec in specs:
        index, _, pair = spec.partition(":")
        old, _, new = pair.partition("=")
        if not (index.isdigit() and 1 <= int(index) <= n_datasets and old and new):
            raise SystemExit(f"--rename {spec!r}: expected N:OLD=NEW with N in 1..{n_datasets}")
        out.setdefault(int(index), {})[old] = new
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", type=Path, nargs="+",
                        help="the routing folder of one or more sweeps (same circuits)")
    parser.add_argument("--rename", action="append", default=[], metavar="N:OLD=NEW",
                        help="name router OLD of the N-th dataset (from 1) NEW, e.g. "
                             "2:ppo=ppo-qgym for a second training run's policies")
    parser.add_argument("--no-reference", action="store_true",
                        help="skip Qiskit's optimization-level-3 reference")
    parser.add_argument("--candidate", action="append",
                        help="routers compared with SABRE-1 and SABRE-20 line by line "
                             "(default: front-search-4, ppo, ppo-search-4 where present)")
    parser.add_argument("--out", type=Path, help="also write the table here (markdown)")
    parser.add_argument("--no-time-matched", action="store_true",
                        help="skip the time-matched SABRE (sabre-<k> with the slowest "
                             "router's time per circuit)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # qiskit's passes: quiet
    log.setLevel(logging.INFO)
    from qray.results import read_dataset

    renames = parse_renames(args.rename, len(args.datasets))
    frames = []
    for i, folder in enumerate(args.datasets, start=1):
        rows, problems = read_dataset(folder)
        for p in problems:
            log.warning("%s", p)
        part = rows.to_pandas()
        part["router"] = part["router"].replace(renames.get(i, {}))
        frames.append(part)
    frame = pd.concat(frames, ignore_index=True)
    key = ["router", "coupling_map", "family", "n_qubits", "instance"]
    if frame.duplicated(key).any():
        raise SystemExit("the same router routed the same circuit in two of the sweeps; "
                         "pass each router's rows once")
    keep = np.zeros(len(frame), dtype=bool)
    for family, n in SETS:
        keep |= (frame.family == family).to_numpy() & (frame.n_qubits == n).to_numpy()
    frame = frame[keep]
    order = ["sabre-1", "sabre-20", "lookahead", "front-greedy", "front-search-4",
             "ppo-qgym", "ppo", "ppo-search-4"]
    routers = [r for r in order if r in set(frame.router)] + sorted(
        set(frame.router) - set(order))
    if not args.no_reference:
        t0 = time.perf_counter()
        frame = pd.concat([frame, qiskit_reference(frame)], ignore_index=True)
        log.info("qiskit reference: %.0f s", time.perf_counter() - t0)
        routers.append(REFERENCE)
    notes: list[str] = []
    if not args.no_time_matched:
        matched, notes = time_matched_sabre(frame.drop(
            frame[frame.router == REFERENCE].index))
        frame = pd.concat([frame, matched], ignore_index=True)
        routers.insert(len(routers) - (REFERENCE in routers), MATCHED)
    text = table(frame, routers)
    if notes:
        text += "\n\nTime-matched SABRE (sabre-matched): " + "; ".join(notes) + "."
        text += "\n\n" + "\n".join(f"- {line}" for line in beats_matched(frame, routers))
    log.info("mean SWAPs / mean two-qubit depth after routing / mean ms per circuit\n%s",
             text)
    for candidate in args.candidate or [r for r in ("front-search-4", "ppo", "ppo-search-4")
                                        if r in routers]:
        for line in verdicts(frame, candidate, ["sabre-1", "sabre-20"]):
            log.info("%s", line)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
