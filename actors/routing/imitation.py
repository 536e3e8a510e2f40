"""Imitation before PPO (``imitation.expert``): demonstrations, behaviour cloning, warm start.

For each map the expert's demonstrations (``qray.routing.learned.imitation``) are recorded by Ray
tasks of ``imitation.chunk`` circuits each, in parallel; one task per map then fits the
PPO module (``EdgeScorerModule``, the same ``ppo.hiddens``) to them: cross-entropy of the
masked logits against the expert's SWAPs, and the value head against the returns. Each
Tune trial starts from its map's fitted weights (``load_pretrained``, RLlib's
``on_algorithm_init``) and PPO fine-tunes from there.

Written under ``<sweep>/imitation/<map>/``: ``demonstrations.npz``, ``module.pt`` (the
fitted state dict) and ``imitation.json`` (last: the config digest, sizes, accuracy,
seconds). A rerun with the same config reuses them; every file is written atomically.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from qray.errors import ConfigError
from qray.results.writer import write_bytes_atomic, write_text_atomic
from qray.routing.train_config import RouterTrainConfig
from qray.tasks import content_hash

log = logging.getLogger(__name__)

DONE = "imitation.json"
DATA = "demonstrations.npz"
WEIGHTS = "module.pt"
MODULE_ID = "default_policy"


def imitation_digest(cfg: RouterTrainConfig, coupling_map: str) -> str:
    import dataclasses

    from qray.routing.front.features import FRONT_FEATURES_VERSION

    return content_hash({"imitation": dataclasses.asdict(cfg.imitation),
                         "env": dataclasses.asdict(cfg.env_for(coupling_map)),
                         "hiddens": list(cfg.ppo.hiddens), "seed": cfg.seed,
                         "features": FRONT_FEATURES_VERSION})[:16]


def _demonstrate(env: dict[str, Any], expert: str, keys: list[int]) -> dict[str, np.ndarray]:
    from qray.routing.learned.imitation import demonstrations

    return demonstrations(env, expert, keys)


def build_module(env: dict[str, Any], hiddens: list[int]) -> Any:
    """A fresh ``EdgeScorerModule`` for the training env ``env``."""
    from ray.rllib.core.rl_module.rl_module import RLModuleSpec

    from actors.routing.module import EdgeScorerModule
    from qray.routing.learned.train_env import RoutingTrainEnv

    probe = RoutingTrainEnv(env)
    return RLModuleSpec(module_class=EdgeScorerModule,
                        observation_space=probe.observation_space,
                        action_space=probe.action_space,
                        model_config={"hiddens": list(hiddens)}).build()


def behaviour_clone(env: dict[str, Any], hiddens: list[int], data: dict[str, np.ndarray],
                    params: Any, seed: int) -> tuple[bytes, dict[str, Any]]:
    """Fit a module to ``data``: (its state dict as ``torch.save`` bytes, a report with the
    held-out tenth's accuracy)."""
    import torch
    from ray.rllib.core.columns import Columns

    from actors.routing.module import MASK, OBS

    torch.manual_seed(seed)
    module = build_module(env, hiddens)
    # copies (torch.tensor): arrays from Ray's object store are read-only
    mask = torch.tensor(data["action_mask"])
    obs = torch.tensor(data["observations"])
    actions = torch.tensor(data["actions"])
    legal = torch.tensor(data["legal"])
    returns = torch.tensor(data["returns"])
    n = len(actions)
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    held = order[: max(1, n // 10)]
    train = order[max(1, n // 10):] if n > 1 else order
    opt = torch.optim.Adam(module.parameters(), lr=params.lr)

    def losses(idx: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        b = torch.from_numpy(idx)
        batch = {Columns.OBS: {MASK: mask[b], OBS: obs[b]}}
        logits = module.scorer(mask[b], obs[b])
        ok = legal[b]
        ce = (torch.nn.functional.cross_entropy(logits[ok], actions[b][ok])
              if bool(ok.any()) else logits.sum() * 0.0)
        mse = torch.mean((module.compute_values(batch) - returns[b]) ** 2)
        hit = (logits.argmax(-1)[ok] == actions[b][ok]).float()
        return ce, mse, hit

    t0 = time.perf_counter()
    module.train()
    for _ in range(params.epochs):
        perm = train[rng.permutation(len(train))]
        for i in range(0, len(perm), params.batch_size):
            ce, mse, _ = losses(perm[i:i + params.batch_size])
            loss = ce + params.value_weight * mse
            opt.zero_grad()
            loss.backward()
            opt.step()
    module.eval()
    with torch.no_grad():
        ce, mse, hit = losses(held)
        _, _, hit_train = losses(train[: len(held) * 4])
    buf = io.BytesIO()
    torch.save(module.state_dict(), buf)
    report = {"records": int(n), "legal": int(legal.sum()),
              "held_out_accuracy": float(hit.mean()) if len(hit) else float("nan"),
              "train_accuracy": float(hit_train.mean()) if len(hit_train) else float("nan"),
              "held_out_cross_entropy": float(ce), "held_out_value_mse": float(mse),
              "fit_seconds": time.perf_counter() - t0}
    return buf.getvalue(), report


def pretrain_maps(cfg: RouterTrainConfig, sweep_dir: Path, maps: list[str]) -> Path:
    """Demonstrate and clone on every map of ``maps`` (reusing what a previous run of the
    same config wrote); returns the folder of ``<map>/module.pt``."""
    import ray

    from qray.routing.learned.imitation import demonstration_keys

    root = sweep_dir / "imitation"
    p = cfg.imitation
    digests = {m: imitation_digest(cfg, m) for m in maps}
    todo = []
    for m in maps:
        done = root / m / DONE
        if done.is_file() and json.loads(done.read_text()).get("config_digest") == \
                digests[m] and (root / m / WEIGHTS).is_file():
            log.info("%s: imitation of %s done before: reused", m, p.expert)
            continue
        todo.append(m)
    if not todo:
        return root
    demo = ray.remote(num_cpus=1)(_demonstrate)
    clone = ray.remote(num_cpus=1)(behaviour_clone)
    t0 = time.perf_counter()
    pending: dict[str, list[Any]] = {}
    demos: dict[str, dict[str, np.ndarray]] = {}
    for m in todo:
        saved = _saved_demonstrations(root / m, digests[m])
        if saved is not None:
            demos[m] = saved
            continue
        keys = demonstration_keys(cfg.seed, m, p.circuits)
        pending[m] = [demo.remote(_env(cfg, m), p.expert, keys[i:i + p.chunk])
                      for i in range(0, len(keys), p.chunk)]
    log.info("imitation: %s routes %d circuits per map on %s (%d tasks)", p.expert,
             p.circuits, ", ".join(pending) or "-", sum(len(v) for v in pending.values()))
    for m, refs in pending.items():
        parts = ray.get(refs)
        demos[m] = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
        buf = io.BytesIO()
        np.savez(buf, **demos[m], config_digest=np.array(digests[m]))
        write_bytes_atomic(buf.getvalue(), root / m / DATA)
    demo_seconds = time.perf_counter() - t0
    fits = {m: clone.remote(_env(cfg, m), list(cfg.ppo.hiddens), demos[m], p, cfg.seed)
            for m in todo}
    for m, ref in fits.items():
        weights, report = ray.get(ref)
        write_bytes_atomic(weights, root / m / WEIGHTS)
        report.update(config_digest=digests[m], expert=p.expert, circuits=p.circuits,
                      expert_mean_swaps=float(np.mean(demos[m]["expert_swaps"])),
                      demonstration_seconds=demo_seconds)
        write_text_atomic(json.dumps(report, indent=2), root / m / DONE)
        log.info("%s: cloned %s from %d records (expert mean SWAPs %.1f): held-out "
                 "accuracy %.3f", m, p.expert, report["records"],
                 report["expert_mean_swaps"], report["held_out_accuracy"])
    return root


def _env(cfg: RouterTrainConfig, coupling_map: str) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(cfg.env_for(coupling_map))


def _saved_demonstrations(folder: Path, digest: str) -> dict[str, np.ndarray] | None:
    """The demonstrations a previous run of this config wrote in ``folder``, or None."""
    try:
        with np.load(folder / DATA) as z:
            if "config_digest" not in z.files or str(z["config_digest"]) != digest:
                return None
            return {k: z[k] for k in z.files if k != "config_digest"}
    except (OSError, ValueError):
        return None


def report(sweep_dir: Path, coupling_map: str) -> dict[str, Any] | None:
    """The imitation report of a map, if it was pretrained."""
    path = sweep_dir / "imitation" / coupling_map / DONE
    return json.loads(path.read_text()) if path.is_file() else None


def warm_start(folder: Path) -> Any:
    """The ``on_algorithm_init`` callback that loads ``folder/<map>/module.pt``."""
    return functools.partial(load_pretrained, folder=str(folder))


def load_pretrained(algorithm: Any, metrics_logger: Any = None, *, folder: str,
                    **_: Any) -> None:
    """Set the learner's module (and the env runners') to the map's cloned weights."""
    import torch

    cmap = algorithm.config.env_config["coupling_map"]
    path = Path(folder) / cmap / WEIGHTS
    state = torch.load(path, map_location="cpu", weights_only=True)
    weights = algorithm.learner_group.get_weights()
    current = weights[MODULE_ID]
    missing = set(current) ^ set(state)
    if missing:
        raise ConfigError("imitation", str(path), "weights cloned for this PPO module (the "
                          "same layers; remove the folder to clone them again)",
                          problem=f"weights of {cmap} whose keys differ from the module's "
                                  f"({sorted(missing)[:4]}):")
    weights[MODULE_ID] = {k: v.numpy() for k, v in state.items()}
    algorithm.learner_group.set_weights(weights)
    algorithm.env_runner_group.sync_weights(
        from_worker_or_learner_group=algorithm.learner_group, inference_only=True)
    log.info("%s: PPO starts from the imitation weights", cmap)
