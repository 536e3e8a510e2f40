"""RLlib algorithm settings shared by every RL-trained workload (new API stack).

Each workload's training config holds these under ``dqn:`` / ``ppo:``; errors name the keys
under those sections (``ppo.lr[0]``), and a nested config moves them under its own path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qray.config import as_list, require


def check_lrs(key: str, lrs: list[float]) -> None:
    """A non-empty Tune grid of learning rates, each in (0, 1)."""
    require(bool(lrs), key, lrs, "a non-empty list of learning rates (a Tune grid)")
    for i, lr in enumerate(lrs):
        require(0 < lr < 1, f"{key}[{i}]", lr, "a learning rate in (0, 1)")


def check_hiddens(key: str, hiddens: list[int]) -> None:
    """A non-empty list of hidden layer sizes, each >= 1."""
    require(bool(hiddens) and all(h >= 1 for h in hiddens), key, hiddens,
            "a non-empty list of layer sizes >= 1")


@dataclass(frozen=True)
class DQNParams:
    """RLlib DQN (new API stack): distributional C51, prioritized episode replay, n-step,
    double Q, dueling heads.

    Attributes:
        lr: learning rates, a Tune grid (one trial each), each in (0, 1).
        gamma: discount factor, in [0, 1].
        num_atoms: atoms of the C51 value distribution (1: plain expected-value DQN).
        v_min: lowest return the value distribution covers.
        v_max: highest return the value distribution covers (> v_min).
        n_step: steps of the n-step return.
        double_q: use double Q-learning for the targets.
        dueling: dueling value/advantage heads.
        hiddens: sizes of the Q network's hidden layers.
        buffer_capacity: transitions the prioritized episode replay buffer holds.
        alpha: prioritization exponent of the replay buffer, in [0, 1].
        beta: importance-sampling exponent of the replay buffer, in [0, 1].
        train_batch_size: transitions per learner update.
        target_network_update_freq: env steps between target-network updates.
        epsilon_timesteps: env steps over which exploration decays to final_epsilon.
        final_epsilon: exploration rate after the decay, in (0, 1].
        learning_starts: env steps collected before the first update.
        training_intensity: replayed over sampled steps; null: RLlib's default.
    """

    lr: list[float] = field(default_factory=lambda: [5e-4], metadata={"normalize": as_list})
    gamma: float = 0.5
    num_atoms: int = 10
    v_min: float = -10.0
    v_max: float = 1.0
    n_step: int = 3
    double_q: bool = True
    dueling: bool = True
    hiddens: list[int] = field(default_factory=lambda: [128, 128])
    buffer_capacity: int = 50_000
    alpha: float = 0.6
    beta: float = 0.4
    train_batch_size: int = 64
    target_network_update_freq: int = 500
    epsilon_timesteps: int = 10_000
    final_epsilon: float = 0.02
    learning_starts: int = 1000
    training_intensity: float | None = None

    def __post_init__(self) -> None:
        check_lrs("dqn.lr", self.lr)
        require(0 <= self.gamma <= 1, "dqn.gamma", self.gamma, "a number in [0, 1]")
        require(self.num_atoms >= 1, "dqn.num_atoms", self.num_atoms, "an integer >= 1")
        require(self.v_min < self.v_max, "dqn.v_min", self.v_min, f"a number < dqn.v_max ({self.v_max})")
        require(self.n_step >= 1, "dqn.n_step", self.n_step, "an integer >= 1")
        check_hiddens("dqn.hiddens", self.hiddens)
        require(self.buffer_capacity >= self.train_batch_size, "dqn.buffer_capacity",
                self.buffer_capacity, "an integer >= dqn.train_batch_size")
        require(self.train_batch_size >= 1, "dqn.train_batch_size", self.train_batch_size,
                "an integer >= 1")
        require(0 < self.final_epsilon <= 1, "dqn.final_epsilon", self.final_epsilon,
                "a number in (0, 1]")
        require(0 <= self.alpha <= 1, "dqn.alpha", self.alpha, "a number in [0, 1]")
        require(0 <= self.beta <= 1, "dqn.beta", self.beta, "a number in [0, 1]")
        require(self.target_network_update_freq >= 1, "dqn.target_network_update_freq",
                self.target_network_update_freq, "an integer >= 1")
        require(self.epsilon_timesteps >= 1, "dqn.epsilon_timesteps", self.epsilon_timesteps,
                "an integer >= 1")
        require(self.learning_starts >= 0, "dqn.learning_starts", self.learning_starts,
                "an integer >= 0")
        require(self.training_intensity is None or self.training_intensity > 0,
                "dqn.training_intensity", self.training_intensity, "null or a number > 0")


@dataclass(frozen=True)
class PPOParams:
    """RLlib PPO (new API stack), the on-policy actor-critic that replaces A2C (removed
    from RLlib).

    Attributes:
        lr: learning rates, a Tune grid (one trial each), each in (0, 1).
        gamma: discount factor, in [0, 1].
        lambda_: GAE lambda, in [0, 1].
        train_batch_size: env steps per training iteration.
        minibatch_size: steps per SGD minibatch, in [1, train_batch_size].
        num_epochs: SGD passes over each training batch.
        entropy_coeff: weight of the entropy bonus, >= 0.
        hiddens: sizes of the policy and value networks' hidden layers.
    """

    lr: list[float] = field(default_factory=lambda: [3e-4], metadata={"normalize": as_list})
    gamma: float = 0.5
    lambda_: float = 0.95
    train_batch_size: int = 2000
    minibatch_size: int = 250
    num_epochs: int = 10
    entropy_coeff: float = 0.01
    hiddens: list[int] = field(default_factory=lambda: [128, 128])

    def __post_init__(self) -> None:
        check_lrs("ppo.lr", self.lr)
        require(0 <= self.gamma <= 1, "ppo.gamma", self.gamma, "a number in [0, 1]")
        require(0 <= self.lambda_ <= 1, "ppo.lambda_", self.lambda_, "a number in [0, 1]")
        require(1 <= self.minibatch_size <= self.train_batch_size, "ppo.minibatch_size",
                self.minibatch_size, "an integer in [1, ppo.train_batch_size]")
        require(self.num_epochs >= 1, "ppo.num_epochs", self.num_epochs, "an integer >= 1")
        require(self.entropy_coeff >= 0, "ppo.entropy_coeff", self.entropy_coeff, "a number >= 0")
        check_hiddens("ppo.hiddens", self.hiddens)
