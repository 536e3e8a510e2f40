"""Differential checks of ``qray.routing`` against qgym 0.3.1 itself, both envs in one
process. Run with the interpreter of ``.venv-qgym`` (``make qgym-venv``), which has qgym but
not qray's heavy dependencies: ``qray.routing`` needs only numpy, networkx and gymnasium.

Prints one JSON object: check name -> ``{"ok": bool, "detail": str}``. Used by
``tests/routing/qgym/test_qgym_differential.py``; every difference a check allows is one of the
fixes the routing README lists.
"""

from __future__ import annotations

import copy
import inspect
import json
import sys
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import qgym  # noqa: E402
from qgym.envs import Routing as QRouting  # noqa: E402
from qgym.envs.routing import BasicRewarder as QBasic  # noqa: E402
from qgym.envs.routing import EpisodeRewarder as QEpisode  # noqa: E402
from qgym.envs.routing import RoutingState as QState  # noqa: E402
from qgym.envs.routing import SwapQualityRewarder as QSwapQuality  # noqa: E402
from qgym.generators import BasicInteractionGenerator as QGenerator  # noqa: E402
from qgym.generators.interaction import InteractionGenerator as QInteractionGenerator  # noqa: E402
from qgym.templates import Rewarder as QRewarder  # noqa: E402

import qray.routing as qr  # noqa: E402
from qray.routing.qgym.state import RoutingState as RState  # noqa: E402

NO_CAP = 10**9  # qgym has no truncation (a fix); the differential episodes never hit it


def _ring_adjacency(n: int) -> np.ndarray:
    adj = np.zeros((n, n), dtype=int)
    for i in range(n):
        adj[i, (i + 1) % n] = adj[(i + 1) % n, i] = 1
    return adj


GRAPHS: dict[str, Callable[[], Any]] = {  # qgym's formats: grid sizes, networkx, adjacency
    "grid (3, 3)": lambda: (3, 3),
    "grid [2, 3]": lambda: [2, 3],
    "grid (2, 2, 2)": lambda: (2, 2, 2),
    "hexagonal lattice (networkx)": lambda: nx.convert_node_labels_to_integers(
        nx.hexagonal_lattice_graph(2, 2)),
    "ring-6 (adjacency)": lambda: _ring_adjacency(6),
}


class FixedQState(QState):
    """qgym's state with fix 1 applied: a SWAP on the physical edge (p, q) exchanges the
    logical qubits found on p and q (qgym used p and q as logical indices)."""

    def _place_swap_gate(self, p: int, q: int) -> None:
        occupant = np.argsort(self.mapping)
        self.swap_gates_inserted.append((self.position, int(occupant[p]), int(occupant[q])))

    def _update_mapping(self, p: int, q: int) -> None:
        occupant = np.argsort(self.mapping)
        lp, lq = occupant[p], occupant[q]
        self.mapping[[lp, lq]] = self.mapping[[lq, lp]]


def qgym_env(graph: Any, fixed: bool, **kwargs: Any) -> QRouting:
    env = QRouting(graph, **kwargs)
    if fixed:
        env._state.__class__ = FixedQState
    return env


def running_score(position: int, swaps: int, rewarder: Any) -> float:
    """The part of qgym's BasicRewarder that is the running score (fix 2: per step)."""
    return position * rewarder._reward_per_surpass + swaps * rewarder._penalty_per_swap


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a.astype(float), b.astype(float)))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def compare_step(q: tuple, r: tuple, *, reward_offset: float = 0.0) -> str | None:
    """The first difference between qgym's and qray's (obs, reward, terminated, truncated,
    info), or None."""
    (qo, qr, qt, qtr, qi), (ro, rr, rt, rtr, ri) = q, r
    if set(qo) != set(ro):
        return f"observation keys {sorted(qo)} vs {sorted(ro)}"
    for key in qo:
        if not _same(qo[key], ro[key]):
            return f"observation {key}: {np.asarray(qo[key]).tolist()} vs {ro[key].tolist()}"
    if abs((qr - reward_offset) - rr) > 1e-9:
        return f"reward {qr} (offset {reward_offset}) vs {rr}"
    if (qt, qtr) != (rt, rtr):
        return f"terminated/truncated {(qt, qtr)} vs {(rt, rtr)}"
    if set(qi) != set(ri):
        return f"info keys {sorted(qi)} vs {sorted(ri)}"
    for key in qi:
        if not _same(list(qi[key]) if key == "Swap gates inserted" else qi[key],
                     list(ri[key]) if key == "Swap gates inserted" else ri[key]):
            return f"info {key!r}: {qi[key]!r} vs {ri[key]!r}"
    return None


def random_circuit(n: int, gates: int, rng: np.random.Generator) -> np.ndarray:
    return np.array([rng.choice(n, size=2, replace=False) for _ in range(gates)])


def play(graph_name: str, rewarders: tuple[Any, Any], *, fixed: bool, episodes: int,
         reach: int = 4, stop_at_defect: bool = False) -> tuple[str | None, dict]:
    """Seeded random episodes on both envs, step by step. Returns (first difference,
    counts). ``stop_at_defect``: stop an episode (and count it) at the first SWAP whose
    edge holds other logical qubits than its physical endpoints, where qgym's unfixed
    mapping update differs."""
    counts = {"episodes": 0, "steps": 0, "swaps": 0, "illegal": 0, "defect_episodes": 0}
    for episode in range(episodes):
        spec = GRAPHS[graph_name]()
        rng = np.random.default_rng(1000 + episode)
        q = qgym_env(spec, fixed, max_observation_reach=reach, observe_connection_graph=True,
                     rewarder=copy.deepcopy(rewarders[0]))
        r = qr.Routing(spec, max_observation_reach=reach, observe_connection_graph=True,
                      rewarder=copy.deepcopy(rewarders[1]), max_steps=NO_CAP)
        n = q._state.n_qubits
        circuit = random_circuit(n, int(rng.integers(1, 25)), rng)
        qo, qi = q.reset(options={"interaction_circuit": circuit})
        ro, ri = r.reset(options={"interaction_circuit": circuit})
        diff = compare_step((qo, 0.0, False, False, qi), (ro, 0.0, False, False, ri))
        if diff:
            return f"{graph_name} episode {episode} reset: {diff}", counts
        counts["episodes"] += 1
        for _ in range(400):
            old = q._state
            surpass = rng.random() < 0.4
            action = old.n_connections if surpass else int(rng.integers(old.n_connections))
            if not surpass and stop_at_defect:
                p, qq = old.edges[action]
                if int(old.mapping[p]) != p or int(old.mapping[qq]) != qq:
                    counts["defect_episodes"] += 1
                    break
            illegal = surpass and not old.is_legal_surpass(*old.interaction_circuit[
                old.position])
            offset = 0.0
            if isinstance(rewarders[0], QBasic) and type(rewarders[0]) is QBasic and not illegal:
                offset = running_score(old.position, len(old.swap_gates_inserted), rewarders[0])
            qs, rs = q.step(action), r.step(action)
            counts["steps"] += 1
            counts["swaps"] += not surpass
            counts["illegal"] += illegal
            diff = compare_step(qs, rs, reward_offset=offset)
            if diff:
                return f"{graph_name} episode {episode} step {counts['steps']}: {diff}", counts
            if qs[2]:
                break
    return None, counts


# -- the checks ---------------------------------------------------------------------------
CHECKS: dict[str, Callable[[], str]] = {}


def check(fn: Callable[[], str]) -> Callable[[], str]:
    CHECKS[fn.__name__] = fn
    return fn


def _params(fn: Any) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]


def _superset(qgym_fn: Any, qray_fn: Any, what: str) -> str:
    """qray's signature is qgym's (names, kinds, defaults) plus keyword-only extras with
    defaults."""
    qp, rp = _params(qgym_fn), _params(qray_fn)
    head = rp[:len(qp)]
    for a, b in zip(qp, head, strict=False):
        if (a.name, a.kind, a.default) != (b.name, b.kind, b.default):
            raise AssertionError(f"{what}: qgym {a} vs qray {b}")
    if len(head) < len(qp):
        raise AssertionError(f"{what}: qray lacks {[p.name for p in qp[len(head):]]}")
    extras = rp[len(qp):]
    bad = [p.name for p in extras if p.kind is not inspect.Parameter.KEYWORD_ONLY
           or p.default is inspect.Parameter.empty]
    if bad:
        raise AssertionError(f"{what}: extra parameters not keyword-only with a default: {bad}")
    return f"{what}: qgym's {len(qp)} parameters + keyword-only {[p.name for p in extras]}"


@check
def signatures() -> str:
    out = [_superset(QRouting.__init__, qr.Routing.__init__, "Routing"),
           _superset(QRouting.reset, qr.Routing.reset, "Routing.reset"),
           _superset(QState.__init__, RState.__init__, "RoutingState")]
    for qc, rc in ((QBasic, qr.BasicRewarder), (QSwapQuality, qr.SwapQualityRewarder),
                   (QEpisode, qr.EpisodeRewarder)):
        out.append(_superset(qc.__init__, rc.__init__, qc.__name__))
        out.append(_superset(qc.compute_reward, rc.compute_reward,
                             f"{qc.__name__}.compute_reward"))
    out.append(_superset(QGenerator.__init__, qr.BasicInteractionGenerator.__init__,
                         "BasicInteractionGenerator"))
    return "; ".join(out)


@check
def spaces_and_action_decoding() -> str:
    seen = []
    for name, spec in GRAPHS.items():
        for kwargs in ({}, {"max_observation_reach": 3, "observe_connection_graph": True},
                       {"observe_legal_surpasses": False}):
            q, r = QRouting(spec(), **kwargs), qr.Routing(spec(), **kwargs)
            if q.action_space.n != r.action_space.n:
                raise AssertionError(f"{name}: actions {q.action_space.n} vs {r.action_space.n}")
            if list(q._state.edges) != list(r.state.edges):
                raise AssertionError(f"{name}: action decoding {q._state.edges} vs "
                                     f"{r.state.edges}")
            qs, rs = q.observation_space.spaces, r.observation_space.spaces
            if set(qs) != set(rs):
                raise AssertionError(f"{name} {kwargs}: keys {sorted(qs)} vs {sorted(rs)}")
            for key in qs:
                a, b = qs[key], rs[key]
                same = (type(a).__mro__[1:] and isinstance(b, type(a).__mro__[1])
                        and a.shape == b.shape)
                if hasattr(a, "nvec"):
                    same = same and np.array_equal(a.nvec, b.nvec)
                if hasattr(a, "n"):
                    same = same and int(a.n if np.ndim(a.n) == 0 else -1) == int(
                        b.n if np.ndim(b.n) == 0 else -1)
                if not same:
                    raise AssertionError(f"{name} {kwargs} {key}: {a} vs {b}")
        seen.append(f"{name}: {q.action_space.n} actions")
    return "; ".join(seen)


@check
def episodes_basic_rewarder_with_fix1() -> str:
    out = []
    for name in GRAPHS:
        diff, c = play(name, (QBasic(), qr.BasicRewarder()), fixed=True, episodes=4)
        if diff:
            raise AssertionError(diff)
        out.append(f"{name}: {c['steps']} steps, {c['swaps']} swaps, {c['illegal']} illegal")
    return "equal step by step (rewards: qgym's minus its running score); " + "; ".join(out)


@check
def episodes_swap_quality_and_episode_rewarders_with_fix1() -> str:
    out = []
    pairs = ((QSwapQuality(), qr.SwapQualityRewarder()), (QEpisode(), qr.EpisodeRewarder()))
    for theirs, ours in pairs:
        for name in ("grid (3, 3)", "hexagonal lattice (networkx)"):
            diff, c = play(name, (theirs, ours), fixed=True, episodes=3)
            if diff:
                raise AssertionError(f"{type(theirs).__name__}: {diff}")
            out.append(f"{type(theirs).__name__} {name}: {c['steps']} steps")
    return "equal rewards step by step; " + "; ".join(out)


@check
def episodes_unfixed_qgym_agree_until_its_swap_defect() -> str:
    total = {"episodes": 0, "steps": 0, "defect_episodes": 0}
    for name in GRAPHS:
        diff, c = play(name, (QEpisode(), qr.EpisodeRewarder()), fixed=False, episodes=8,
                       stop_at_defect=True)
        if diff:
            raise AssertionError(diff)
        for k in total:
            total[k] += c[k]
    if total["defect_episodes"] == 0:
        raise AssertionError("no episode reached a SWAP where qgym's defect matters")
    return (f"{total['steps']} steps of {total['episodes']} episodes equal; "
            f"{total['defect_episodes']} stopped at the first SWAP on qubits that moved "
            "(qgym's mapping update differs there: fix 1)")


class CyclingGenerator(QInteractionGenerator):
    """A qgym-style custom generator: circuits in turn, sized by the connection graph."""

    def __init__(self) -> None:
        self.finite = False
        self.calls = 0

    def set_state_attributes(self, *, connection_graph: nx.Graph | None = None,
                             **kwargs: Any) -> None:
        self.n = connection_graph.number_of_nodes()

    def __next__(self) -> np.ndarray:
        self.calls += 1
        k = self.calls % 5 + 1
        return np.array([[i % self.n, (i + self.calls) % self.n or 1] for i in range(k)
                         if i % self.n != ((i + self.calls) % self.n or 1)] or [[0, 1]])


class FiniteGenerator(CyclingGenerator):
    def __init__(self) -> None:
        super().__init__()
        self.finite = True


@check
def custom_generators() -> str:
    q = QRouting((3, 3), CyclingGenerator())
    r = qr.Routing((3, 3), CyclingGenerator())
    for i in range(6):
        qo, _ = q.reset()
        ro, _ = r.reset()
        if not _same(q._state.interaction_circuit, r.state.interaction_circuit):
            raise AssertionError(f"reset {i}: {q._state.interaction_circuit.tolist()} vs "
                                 f"{r.state.interaction_circuit.tolist()}")
        if not _same(qo["interaction_gates_ahead"], ro["interaction_gates_ahead"]):
            raise AssertionError(f"reset {i}: observations differ")
    qgen = QGenerator(max_length=12, seed=5)
    q, r = QRouting((3, 3), qgen), qr.Routing((3, 3), qgen)
    for i in range(6):
        q.reset()
        r.reset()
        if not _same(q._state.interaction_circuit, r.state.interaction_circuit):
            raise AssertionError(f"qgym's BasicInteractionGenerator, reset {i} differs")
    refused = []
    for env_cls in (QRouting, qr.Routing):
        try:
            env_cls((3, 3), FiniteGenerator())
        except ValueError:
            refused.append(env_cls.__module__.split(".")[0])
    if refused != ["qgym", "qray"]:
        raise AssertionError(f"a finite generator refused by {refused} only")
    return ("a qgym-style generator and qgym's own BasicInteractionGenerator give the same "
            "circuits in both; a finite generator is refused by both (ValueError)")


class ProgressRewarder(QRewarder):
    """A qgym-style custom rewarder reading both states."""

    def __init__(self) -> None:
        self._reward_range = (-float("inf"), float("inf"))

    def compute_reward(self, *, old_state: Any, action: int, new_state: Any) -> float:
        moved = new_state.position - old_state.position
        swaps = len(new_state.swap_gates_inserted) - len(old_state.swap_gates_inserted)
        legal = old_state.is_legal_surpass(*old_state.interaction_circuit[old_state.position])
        return 3.0 * moved - 1.0 * swaps + (0.5 if action == old_state.n_connections
                                            and legal else 0.0) + 0.01 * new_state.steps_done


@check
def custom_rewarders() -> str:
    diff, c = play("grid (3, 3)", (ProgressRewarder(), ProgressRewarder()), fixed=True,
                   episodes=3)
    if diff:
        raise AssertionError(diff)
    for env_cls in (QRouting, qr.Routing):
        try:
            env_cls((3, 3), rewarder=object())
        except TypeError:
            continue
        raise AssertionError(f"{env_cls.__module__}: a non-rewarder was accepted")
    return (f"a qgym Rewarder subclass gets the same rewards in {c['steps']} steps; "
            "a non-rewarder is refused by both (TypeError)")


@check
def state_api() -> str:
    kwargs = {"max_observation_reach": 4, "connection_graph": nx.cycle_graph(5),
              "observe_legal_surpasses": True, "observe_connection_graph": True}
    generators = [QGenerator(seed=0), QGenerator(seed=0)]
    for gen in generators:
        gen.set_state_attributes(connection_graph=nx.cycle_graph(5))
    qs = FixedQState(interaction_generator=generators[0], **kwargs)  # fix 1 applied
    rs = RState(interaction_generator=generators[1], **kwargs)
    names = ["steps_done", "connection_graph", "edges", "interaction_generator",
             "interaction_circuit", "mapping", "position", "max_observation_reach",
             "observe_legal_surpasses", "connection_matrix", "swap_gates_inserted",
             "n_qubits", "n_connections", "reset", "update_state", "obtain_observation",
             "obtain_info", "is_done", "is_truncated", "is_legal_surpass",
             "create_observation_space", "seed", "rng"]
    missing = [n for n in names if hasattr(qs, n) and not hasattr(rs, n)]
    if missing:
        raise AssertionError(f"qray's RoutingState lacks {missing}")
    circuit = np.array([[0, 2], [1, 3], [0, 4]])
    qs.reset(interaction_circuit=circuit)
    rs.reset(interaction_circuit=circuit)
    for action in (0, qs.n_connections, 1, qs.n_connections, qs.n_connections):
        qs.update_state(action)
        rs.update_state(action)
    qo, ro = qs.obtain_observation(), rs.obtain_observation()
    if set(qo) != set(ro) or not all(_same(qo[k], ro[k]) for k in qo):
        raise AssertionError(f"observations {qo} vs {ro}")
    if (qs.position, qs.steps_done, qs.is_done()) != (rs.position, rs.steps_done, rs.is_done()):
        raise AssertionError("position / steps / done differ")
    return f"{len(names)} attributes and methods; update_state and observations agree"


@check
def seeded_resets_fix3() -> str:
    """qgym's reset(seed=) does not reach its default generator; qray's does."""
    def circuits(env_cls: Any) -> list[list]:
        return [env_cls((3, 3)).reset(seed=7)[1]["Interaction gates ahead"].tolist()
                for _ in range(2)]

    q, r = circuits(QRouting), circuits(qr.Routing)
    if r[0] != r[1]:
        raise AssertionError("qray: two envs reset with seed 7 got different circuits")
    return ("two fresh envs reset with seed=7: qray the same circuit; qgym "
            + ("the same" if q[0] == q[1] else "different circuits (its seeding defect)"))


QGYM_IMPORTS = """
from qgym.envs import Routing
from qgym.envs.routing import SwapQualityRewarder
from qgym.generators import BasicInteractionGenerator
"""
QRAY_IMPORTS = """
from qray.routing import BasicInteractionGenerator, Routing, SwapQualityRewarder
"""
#: a training-style loop written against qgym's documented API (a scripted policy: surpass
#: when the next gate is executable, else a random SWAP); only its imports change
LOOP = """
import numpy as np

env = Routing(connection_graph=(3, 3),
              interaction_generator=BasicInteractionGenerator(max_length=10, seed=1),
              max_observation_reach=5, observe_legal_surpasses=True,
              observe_connection_graph=False, rewarder=SwapQualityRewarder())
env.action_space.seed(0)
obs, info = env.reset(seed=0)
assert env.observation_space.contains(obs)
surpass = env.action_space.n - 1
episodes, returns, swaps, ret = 0, [], [], 0.0
for _ in range(20_000):
    action = surpass if obs["is_legal_surpass"][0] else env.action_space.sample() % surpass
    obs, reward, terminated, truncated, info = env.step(action)
    ret += reward
    if terminated or truncated:
        episodes += 1
        returns.append(ret)
        swaps.append(info["Number of swaps inserted"])
        ret = 0.0
        obs, info = env.reset()
        if episodes == 10:
            break
result = {"episodes": episodes, "mean_swaps": float(np.mean(swaps)),
          "edges": len(info["Action Encoding"])}
"""


def run_loop(imports: str) -> dict:
    namespace: dict[str, Any] = {}
    exec(imports + LOOP, namespace)  # noqa: S102 - the loop above, nothing else
    return namespace["result"]


@check
def qgym_style_training_loop_runs_unchanged() -> str:
    q, r = run_loop(QGYM_IMPORTS), run_loop(QRAY_IMPORTS)
    if r["episodes"] != 10 or q["edges"] != r["edges"]:
        raise AssertionError(f"qgym {q} vs qray {r}")
    return f"qgym {q}; qray {r}"


@check
def interaction_generator_is_abstract() -> str:
    for cls in (QInteractionGenerator, qr.InteractionGenerator):
        try:
            cls()
        except TypeError:
            continue
        raise AssertionError(f"{cls.__module__}.{cls.__name__}() did not raise TypeError")
    return "InteractionGenerator() raises TypeError in both"


@check
def generator_width_comes_from_set_state_attributes() -> str:
    q, r = QGenerator(5, seed=1), qr.BasicInteractionGenerator(5, seed=1)
    if hasattr(q, "n_qubits") != hasattr(r, "n_qubits"):
        raise AssertionError(f"n_qubits before set_state_attributes: qgym "
                             f"{hasattr(q, 'n_qubits')}, qray {hasattr(r, 'n_qubits')}")
    graph = nx.path_graph(6)
    q.set_state_attributes(connection_graph=graph)
    r.set_state_attributes(connection_graph=graph)
    if q.n_qubits != r.n_qubits:
        raise AssertionError(f"n_qubits after: qgym {q.n_qubits}, qray {r.n_qubits}")
    return f"unset before set_state_attributes in both; then {q.n_qubits} in both"


@check
def swap_quality_needs_legal_surpasses_observed() -> str:
    raised = []
    for env in (QRouting((2, 3), observe_legal_surpasses=False, rewarder=QSwapQuality()),
                qr.Routing((2, 3), observe_legal_surpasses=False,
                           rewarder=qr.SwapQualityRewarder())):
        env.reset(seed=1)
        try:
            env.step(0)  # a SWAP
        except ValueError as exc:
            raised.append("observe_legal_surpasses" in str(exc))
            continue
        raised.append(False)
    if raised != [True, True]:
        raise AssertionError(f"a SWAP under SwapQualityRewarder without legal surpasses "
                             f"observed: ValueError naming the flag in (qgym, qray) = {raised}")
    return "a SWAP raises ValueError naming observe_legal_surpasses in both"


@check
def swap_quality_reads_the_flag_of_the_state_before() -> str:
    outcomes = []
    for env, rewarder in ((QRouting((2, 3)), QSwapQuality()),
                          (qr.Routing((2, 3)), qr.SwapQualityRewarder())):
        env.reset(seed=1)
        old = copy.deepcopy(env.unwrapped._state if hasattr(env.unwrapped, "_state")
                            else env.state)
        env.step(0)  # a SWAP
        new = env.unwrapped._state if hasattr(env.unwrapped, "_state") else env.state
        old.observe_legal_surpasses = False  # only the state before the SWAP
        try:
            rewarder.compute_reward(old_state=old, action=0, new_state=new)
            outcomes.append("no error")
        except ValueError:
            outcomes.append("ValueError")
    if outcomes != ["ValueError", "ValueError"]:
        raise AssertionError(f"old state without legal surpasses observed: (qgym, qray) = "
                             f"{outcomes}")
    return "the flag of the state before the SWAP decides, in both"


@check
def rewarders_and_spaces_are_qgym_classes() -> str:
    for cls in (qr.BasicRewarder, qr.SwapQualityRewarder, qr.EpisodeRewarder):
        if not isinstance(cls(), QRewarder):
            raise AssertionError(f"{cls.__name__}() is not a qgym.templates.Rewarder")
    q, r = QRouting((2, 3)), qr.Routing((2, 3))
    for what in ("observation_space", "action_space"):
        a, b = type(getattr(q, what)), type(getattr(r, what))
        if a is not b:
            raise AssertionError(f"{what}: qgym {a.__module__}.{a.__name__}, qray "
                                 f"{b.__module__}.{b.__name__}")
    for key, space in q.observation_space.spaces.items():
        if type(space) is not type(r.observation_space[key]):
            raise AssertionError(f"observation_space[{key!r}]: qgym {type(space).__name__}, "
                                 f"qray {type(r.observation_space[key]).__name__}")
    return "qray's rewarders are qgym Rewarders; both envs' spaces are qgym.spaces"


@check
def assigning_the_interaction_circuit_is_routed() -> str:
    circuit = np.array([[0, 1], [0, 5], [2, 3]])
    q, r = QRouting((2, 3)), qr.Routing((2, 3))
    q.reset(seed=1)
    r.reset(seed=1)
    q._state.interaction_circuit = circuit.copy()
    r.state.interaction_circuit = circuit.copy()
    for key in ("interaction_gates_ahead", "is_legal_surpass"):
        a, b = q._state.obtain_observation()[key], r.state.obtain_observation()[key]
        if not np.array_equal(a, b):
            raise AssertionError(f"{key} after the assignment: qgym {a} vs qray {b}")
    surpass = q.action_space.n - 1
    steps = 0
    while not q._state.is_done() and steps < 2:
        q.step(surpass)
        r.step(surpass)
        steps += 1
        if q._state.position != r.state.position:
            raise AssertionError(f"position: qgym {q._state.position}, qray {r.state.position}")
    return f"the assigned circuit is observed and surpassed alike ({steps} steps)"


def main() -> None:
    warnings.simplefilter("ignore")
    report: dict[str, dict[str, Any]] = {"_versions": {"ok": True, "detail":
                                                       f"qgym {qgym.__version__}"}}
    for name, fn in CHECKS.items():
        try:
            report[name] = {"ok": True, "detail": fn()}
        except Exception as exc:  # every check reports, whatever fails
            report[name] = {"ok": False, "detail": f"{type(exc).__name__}: {exc}\n"
                            f"{traceback.format_exc(limit=3)}"}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
