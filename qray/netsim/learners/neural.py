"""NeuralUCB inside one path (Zhou, Li, Gu 2020), fast.

A 2-layer ReLU MLP f(x) (width m = 128) estimates an arm's reward from its context; the
arm played is argmax f(x) + beta sqrt(g^T Z^-1 g / m), where g is the gradient of f at x
and Z = lam I + sum g g^T / m is kept inverted by Sherman-Morrison updates. The network
trains with Adam on minibatches drawn from a replay buffer of capacity T * scale.

Speed: the studied code spent 750-2,780 s per 5-experiment scenario here. For a network
this small, framework overhead dominates (a torch Adam step on a 64-sample batch costs
~0.9 ms on one CPU core), so the forward pass, the per-arm gradients (all arms of a path
in one batched closed-form expression, no per-arm autograd) and the Adam steps are
written out in numpy; ``tests/netsim/test_neural.py`` checks them against torch autograd
and ``torch.optim.Adam``. ``sigma: last`` (default) keeps Z over the output layer's
gradient (m + 1 numbers, the neural-linear form); ``sigma: full`` over every parameter's
gradient (m (d + 2) + 1 numbers; slower).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qray.errors import ConfigError
from qray.netsim.bounds import check_range

#: upper bounds of the NeuralUCB keys: (most, why)
NEURAL_LIMITS = {
    "width": (1024, "hidden width; Z^-1 is (width + 1)^2 numbers per path, more with sigma=full"),
    "batch": (4096, "samples per Adam step"),
    "train_every": (1_000_000, "frames between training steps"),
    "steps": (100, "Adam steps per training"),
}


@dataclass(frozen=True)
class NeuralParams:
    """Attributes:
        width: hidden width m.
        beta: exploration weight.
        lam: Z starts as lam I.
        lr: Adam learning rate.
        batch: minibatch size of a training step.
        train_every: frames between training steps.
        steps: Adam steps per training.
        sigma: ``last`` (output-layer gradient) or ``full`` (all parameters).
    """

    width: int = 128
    beta: float = 1.0
    lam: float = 1.0
    lr: float = 1e-4
    batch: int = 32
    train_every: int = 2
    steps: int = 1
    sigma: str = "last"

    def validate(self, learner: str) -> None:
        k = f"learner_params.{learner}."
        for name in ("width", "batch", "train_every", "steps"):
            if getattr(self, name) < 1:
                raise ConfigError(k + name, getattr(self, name), "an integer >= 1")
            most, why = NEURAL_LIMITS[name]
            check_range(k + name, getattr(self, name), 1, most, integer=True, why=why)
        for name in ("lam", "lr"):
            if getattr(self, name) <= 0:
                raise ConfigError(k + name, getattr(self, name), "a number > 0")
        if self.beta < 0:
            raise ConfigError(k + "beta", self.beta, "a number >= 0")
        check_range(k + "lam", self.lam, 0.0, 1e6, low_open=True)
        check_range(k + "lr", self.lr, 0.0, 1.0, low_open=True, why="Adam learning rate")
        check_range(k + "beta", self.beta, 0.0, 1e6, why="exploration weight")
        if self.sigma not in ("last", "full"):
            raise ConfigError(k + "sigma", self.sigma, "last or full")


class MLP:
    """f(x) = w2 . relu(W1 x + b1) + b2 with closed-form gradients and Adam (numpy,
    float64). Initialized like torch's Linear layers, except the output layer starts at 0
    (f = 0 everywhere, so the exploration bonus decides the first choices)."""

    BETAS = (0.9, 0.999)
    EPS = 1e-8

    def __init__(self, dim: int, width: int, rng: np.random.Generator) -> None:
        bound = 1.0 / np.sqrt(dim)
        shapes = [(width, dim), (width,), (width,), (1,)]
        sizes = [int(np.prod(sh)) for sh in shapes]
        #: every parameter is a view of this one vector, so Adam is a few vector ops
        self.theta = np.zeros(sum(sizes))
        cuts = np.cumsum([0, *sizes])
        self.W1, self.b1, self.w2, self.b2 = (
            self.theta[a:b].reshape(sh) for a, b, sh in zip(cuts, cuts[1:], shapes, strict=False))
        self.W1[:] = rng.uniform(-bound, bound, (width, dim))
        self.b1[:] = rng.uniform(-bound, bound, width)
        self.m = np.zeros_like(self.theta)
        self.v = np.zeros_like(self.theta)
        self.t = 0

    def hidden(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pre = x @ self.W1.T + self.b1
        return pre, np.maximum(pre, 0.0)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.hidden(x)[1] @ self.w2 + self.b2[0]

    def per_sample_grads(self, x: np.ndarray, pre: np.ndarray, h: np.ndarray) -> list[np.ndarray]:
        """Gradients of f at each row of x: [dW1 (n, m, d), db1 (n, m), dw2 (n, m), db2 (n, 1)]."""
        dpre = (pre > 0) * self.w2
        return [dpre[:, :, None] * x[:, None, :], dpre, h, np.ones((len(x), 1))]

    def loss_grads(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean squared error on (x, y) and its gradient (flat, in ``theta``'s layout)."""
        pre, h = self.hidden(x)
        err = h @ self.w2 + self.b2[0] - y
        coef = 2.0 * err / len(x)
        dpre = np.outer(coef, self.w2) * (pre > 0)
        grad = np.concatenate([(dpre.T @ x).ravel(), dpre.sum(axis=0), h.T @ coef,
                               [coef.sum()]])
        return float((err**2).mean()), grad

    def adam_step(self, grad: np.ndarray, lr: float) -> None:
        """One Adam step (torch.optim.Adam's update, no weight decay), in place."""
        b1, b2 = self.BETAS
        self.t += 1
        self.m *= b1
        self.m += (1 - b1) * grad
        self.v *= b2
        self.v += (1 - b2) * grad * grad
        step = lr / (1 - b1**self.t)
        denom = np.sqrt(self.v / (1 - b2**self.t))
        denom += self.EPS
        self.theta -= step * self.m / denom


class NeuralUCB:
    """NeuralUCB over the arms of one path (contexts of dimension ``dim``)."""

    def __init__(self, dim: int, params: NeuralParams, capacity: int, seed: int) -> None:
        self.params = params
        self.rng = np.random.default_rng(seed)
        self.net = MLP(dim, params.width, self.rng)
        m = params.width
        n_grad = m + 1 if params.sigma == "last" else m * (dim + 2) + 1
        self.Zinv = np.eye(n_grad) / params.lam
        self.capacity = max(1, capacity)
        self.X = np.zeros((self.capacity, dim))
        self.y = np.zeros(self.capacity)
        self.size = 0
        self.seen = 0
        self._g: np.ndarray | None = None

    def gradients(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """f at each row of x and the gradient rows Z is kept over."""
        pre, h = self.net.hidden(x)
        f = h @ self.net.w2 + self.net.b2[0]
        if self.params.sigma == "last":
            g = np.empty((len(x), h.shape[1] + 1))
            g[:, :-1] = h
            g[:, -1] = 1.0
        else:
            g = np.hstack([a.reshape(len(x), -1) for a in self.net.per_sample_grads(x, pre, h)])
        return f, g

    def scores(self, x: np.ndarray) -> np.ndarray:
        """UCB of each arm (rows of ``x``)."""
        f, g = self.gradients(x)
        self._g = g
        width = ((g @ self.Zinv) * g).sum(axis=1) / self.params.width
        return f + self.params.beta * np.sqrt(np.maximum(width, 0.0))

    def update(self, x: np.ndarray, reward: float, arm: int | None = None) -> None:
        """Record a played arm's context and reward; update Z^-1; train when due. ``arm``
        reuses the gradient computed by the last ``scores`` call."""
        g = self._g[arm] if arm is not None and self._g is not None else self.gradients(x[None, :])[1][0]
        u = g / np.sqrt(self.params.width)
        v = self.Zinv @ u
        self.Zinv -= np.multiply.outer(v, v / (1.0 + u @ v))
        i = self.seen % self.capacity
        self.X[i], self.y[i] = x, reward
        self.seen += 1
        self.size = min(self.size + 1, self.capacity)
        if self.seen % self.params.train_every == 0:
            self.train()

    def train(self) -> None:
        """``steps`` Adam steps on minibatches from the replay buffer."""
        for _ in range(self.params.steps):
            idx = self.rng.integers(self.size, size=min(self.params.batch, self.size))
            _, grad = self.net.loss_grads(self.X[idx], self.y[idx])
            self.net.adam_step(grad, self.params.lr)


class PathNeuralUCB:
    """One NeuralUCB per path; picks the arm inside a given path."""

    def __init__(self, n_paths: int, dim: int, params: NeuralParams, capacity: int,
                 rng: np.random.Generator) -> None:
        seeds = rng.integers(2**62, size=n_paths)
        self.models = [NeuralUCB(dim, params, capacity, int(s)) for s in seeds]

    def choose(self, path: int, context: np.ndarray) -> int:
        return int(np.argmax(self.models[path].scores(context)))

    def update(self, path: int, x: np.ndarray, reward: float, arm: int | None = None) -> None:
        self.models[path].update(x, reward, arm)
