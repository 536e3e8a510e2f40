"""Neural-learner benchmark: qray's NeuralUCB frame vs straightforward torch ports of the
same learner, side by side in one process.

    python jobs/bench_netsim.py               # 400 frames per variant
    python jobs/bench_netsim.py --frames 100  # quicker

Every variant plays the same NeuralUCB (2-layer MLP width 128, Z over the output layer's
gradient, Sherman-Morrison, one Adam step on a 32-sample minibatch every 2 frames) on the
arms of the `default` testbed's third path (45 arms) with the same rewards:

- torch, per arm: autograd once per arm to get each arm's gradient (how a direct port of
  NeuralUCB computes g), torch Adam;
- torch, batched: one forward pass for all arms (gradient rows from the hidden layer),
  torch Adam;
- qray: the batched closed-form numpy learner (``qray/netsim/learners/neural.py``).

It prints microseconds per frame and the speedups, and the wall time the studied paper2
matrix's neural cells (2 neural learners x 5 scenarios x 5 horizons 4k-12k x 3 runs =
1.2 M frames) would take at each rate.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import _bootstrap  # noqa: E402, F401
import numpy as np  # noqa: E402

from qray import benchdoc  # noqa: E402

log = logging.getLogger("qray.bench_netsim")
MATRIX_FRAMES = 2 * 5 * (4000 + 6000 + 8000 + 10000 + 12000) * 3


class TorchNeuralUCB:
    """The same learner in torch; ``per_arm`` computes gradients one autograd call per arm."""

    def __init__(self, dim: int, per_arm: bool, seed: int = 0, width: int = 128) -> None:
        import torch

        torch.manual_seed(seed)
        self.torch, self.per_arm, self.width = torch, per_arm, width
        self.net = torch.nn.Sequential(torch.nn.Linear(dim, width), torch.nn.ReLU(),
                                       torch.nn.Linear(width, 1)).double()
        torch.nn.init.zeros_(self.net[2].weight)
        torch.nn.init.zeros_(self.net[2].bias)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-4)
        self.zinv = torch.eye(width + 1, dtype=torch.float64)
        self.xs: list = []
        self.ys: list = []
        self.rng = np.random.default_rng(seed)

    def grads(self, x):  # noqa: ANN001, ANN201
        torch = self.torch
        if not self.per_arm:
            with torch.no_grad():
                h = self.net[1](self.net[0](x))
                f = self.net[2](h)[:, 0]
            return f, torch.cat([h, torch.ones(len(x), 1, dtype=h.dtype)], dim=1)
        rows, fs = [], []
        for i in range(len(x)):
            self.net.zero_grad()
            f = self.net(x[i:i + 1])[0, 0]
            f.backward()
            rows.append(torch.cat([self.net[2].weight.grad[0], self.net[2].bias.grad]))
            fs.append(f.detach())
        return torch.stack(fs), torch.stack(rows)

    def step(self, x, reward_of) -> None:  # noqa: ANN001
        torch = self.torch
        f, g = self.grads(x)
        width = ((g @ self.zinv) * g).sum(dim=1) / self.width
        arm = int(torch.argmax(f + torch.sqrt(width.clamp(min=0))))
        u = g[arm] / self.width**0.5
        v = self.zinv @ u
        self.zinv -= torch.outer(v, v) / (1 + u @ v)
        self.xs.append(x[arm])
        self.ys.append(reward_of(arm))
        if len(self.xs) % 2 == 0:
            idx = self.rng.integers(len(self.xs), size=min(32, len(self.xs)))
            bx = torch.stack([self.xs[i] for i in idx])
            by = torch.tensor([self.ys[i] for i in idx], dtype=torch.float64)
            loss = ((self.net(bx)[:, 0] - by) ** 2).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=400)
    benchdoc.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import torch

    from qray.netsim.learners.neural import NeuralParams, NeuralUCB
    from qray.netsim.worker import build_testbed

    torch.set_num_threads(1)
    tb = build_testbed("default", {}, 0)
    path = 2
    splits = tb.arms(path, tb.baseline[path])
    ctx = tb.context(path, splits)
    expected = tb.expected(path, splits)
    rng = np.random.default_rng(0)
    draws = rng.random((args.frames, len(splits)))
    results: dict[str, float] = {}
    for name in ("torch, per arm", "torch, batched", "qray (numpy, batched)"):
        frame = iter(range(args.frames))
        t = 0
        if name.startswith("torch"):
            learner = TorchNeuralUCB(ctx.shape[1], per_arm=name.endswith("per arm"))
            x = torch.from_numpy(ctx)
            t0 = time.perf_counter()
            for t in frame:
                learner.step(x, lambda a, t=t: float(draws[t, a] < expected[a]))
        else:
            learner = NeuralUCB(ctx.shape[1], NeuralParams(), args.frames, seed=0)
            t0 = time.perf_counter()
            for t in frame:
                arm = int(np.argmax(learner.scores(ctx)))
                learner.update(ctx[arm], float(draws[t, arm] < expected[arm]), arm)
        results[name] = (time.perf_counter() - t0) / args.frames
    ours = results["qray (numpy, batched)"]
    lines = [f"NeuralUCB frame on {len(splits)} arms, {args.frames} frames per variant "
             f"(1 thread):", "",
             "| variant | us / frame | qray speedup | 1.2 M-frame paper2 neural cells |",
             "|---|---|---|---|"]
    for name, sec in results.items():
        lines.append(f"| {name} | {sec * 1e6:.0f} | {sec / ours:.1f}x | "
                     f"{sec * MATRIX_FRAMES / 60:.0f} min on one core |")
    log.info("\n".join(lines))
    if not args.no_doc:
        benchdoc.write_section(
            "netsim", "netsim: a NeuralUCB frame, numpy vs torch", "\n".join(lines) + "\n\n"
            + "qray's neural learners do the forward pass, the per-arm gradients (all arms in "
            "one batched closed-form expression) and the Adam steps in numpy; for a 128-wide "
            "MLP a torch step's framework overhead dominates. `tests/netsim/test_neural.py` "
            "checks the gradients and Adam steps against torch autograd and "
            "`torch.optim.Adam`.", script="bench_netsim.py", argv=argv,
            libraries=("numpy", "torch"), path=args.doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
