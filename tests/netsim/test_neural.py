"""The closed-form MLP gradients and Adam steps equal torch autograd and torch.optim.Adam;
Sherman-Morrison keeps the exact inverse."""

from __future__ import annotations

import numpy as np
import pytest

from qray.netsim.learners.neural import MLP, NeuralParams, NeuralUCB

torch = pytest.importorskip("torch")


def torch_twin(net: MLP):  # noqa: ANN201
    dim = net.W1.shape[1]
    model = torch.nn.Sequential(torch.nn.Linear(dim, net.W1.shape[0]), torch.nn.ReLU(),
                                torch.nn.Linear(net.W1.shape[0], 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.from_numpy(net.W1))
        model[0].bias.copy_(torch.from_numpy(net.b1))
        model[2].weight.copy_(torch.from_numpy(net.w2[None, :]))
        model[2].bias.copy_(torch.from_numpy(net.b2))
    return model


def flat_grads(model) -> np.ndarray:  # noqa: ANN001
    return np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])


def test_per_sample_gradients_match_autograd() -> None:
    rng = np.random.default_rng(0)
    net = MLP(6, 16, rng)
    net.w2[:] = rng.normal(size=16)
    net.b2[:] = 0.3
    x = rng.normal(size=(5, 6))
    model = torch_twin(net)
    pre, h = net.hidden(x)
    ours = net.per_sample_grads(x, pre, h)
    for i in range(len(x)):
        model.zero_grad()
        model(torch.from_numpy(x[i:i + 1]))[0, 0].backward()
        want = flat_grads(model)
        got = np.concatenate([g[i].ravel() for g in ours])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert net(x) == pytest.approx(model(torch.from_numpy(x))[:, 0].detach().numpy())


def test_loss_gradient_and_adam_match_torch() -> None:
    rng = np.random.default_rng(1)
    net = MLP(4, 8, rng)
    net.w2[:] = rng.normal(size=8)
    model = torch_twin(net)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(5):
        x, y = rng.normal(size=(7, 4)), rng.normal(size=7)
        loss, grad = net.loss_grads(x, y)
        opt.zero_grad()
        tl = ((model(torch.from_numpy(x))[:, 0] - torch.from_numpy(y)) ** 2).mean()
        tl.backward()
        assert loss == pytest.approx(tl.item())
        np.testing.assert_allclose(grad, flat_grads(model), rtol=1e-10, atol=1e-12)
        net.adam_step(grad, 1e-2)
        opt.step()
        theta = np.concatenate([p.detach().numpy().ravel() for p in model.parameters()])
        np.testing.assert_allclose(net.theta, theta, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("sigma", ["last", "full"])
def test_sherman_morrison_keeps_the_inverse(sigma: str) -> None:
    params = NeuralParams(width=8, lam=2.0, sigma=sigma, train_every=10**6)
    ucb = NeuralUCB(3, params, 100, seed=0)
    rng = np.random.default_rng(2)
    z = np.eye(ucb.Zinv.shape[0]) * 2.0
    for _ in range(20):
        x = rng.normal(size=3)
        _, g = ucb.gradients(x[None, :])
        z += np.outer(g[0], g[0]) / params.width
        ucb.update(x, float(rng.random()))
    np.testing.assert_allclose(ucb.Zinv, np.linalg.inv(z), rtol=1e-8, atol=1e-10)
