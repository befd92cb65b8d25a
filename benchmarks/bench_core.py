"""S1–S2: the speed of the plain core, side by side with what it is measured against (issue 11).

S1  One XOR epoch of ``mc.train`` ([2, 4, 1] tanh/sigmoid, MSE, 4 points, full batch, ``History``
    recorded) against two hand-written NumPy epochs of the same maths:

    * *bare*: forward, δs, the four updates, nothing else;
    * *recorded*: the same plus what ``History`` records after the step: the loss and the accuracy
      at the new parameters (one more forward pass). This is everything ``mc.train`` computes
      per epoch, minus its divergence test;
    * *as train*: ``mc.train``'s own loop written out by hand: step, then forward and δs at the new
      parameters, whose loss and outputs are recorded (no extra pass), then the divergence test
      (the loss finite and at most 3 × the start, every weight finite). The same work as
      ``mc.train`` minus the package's function calls: ``mc.train / as train`` is their cost.

S2  One full-batch epoch on 100,000 ``moons`` points, [2, 64, 64, 1] tanh/sigmoid, BCE, lr 0.1:
    ``mc.train`` against scikit-learn's ``MLPClassifier`` (``partial_fit``: one epoch of plain
    full-batch gradient descent, no momentum, no L2) and PyTorch on the CPU in float64 with 2 threads
    (forward, ``BCEWithLogitsLoss``, backward, ``SGD.step``). ``mc.train``'s epoch is its marginal
    cost inside a run, (t(1 + E epochs) − t(1 epoch)) / E, which leaves out the once-per-call
    input check and starting loss; the others are timed per call, as they are used.

Every contender is timed in the same rounds, one after the other (interleaved, so that load from
other processes hits them alike), and the best of the rounds is kept. Nothing asserts a time.
scikit-learn and torch come with the ``bench`` extra (``pip install -e '.[bench]'``); a missing
one prints "not installed".
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable

import numpy as np

import mlp_course as mc

from . import format_seconds, format_table

XOR_LR = mc.XOR_DEFAULTS["lr"]
MOONS_SIZES = [2, 64, 64, 1]
MOONS_LR = 0.1
TORCH_THREADS = 2


def best_of(contenders: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Call every contender once per round, in turn; return each one's smallest result.

    Each contender returns the seconds it measured (so it can subtract its own set-up). One
    untimed round first warms up caches, imports and thread pools.
    """
    for measure in contenders.values():
        measure()
    results: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, measure in contenders.items():
            results[name].append(measure())
    return {name: min(values) for name, values in results.items()}


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# ------------------------------------------------------------------------------ S1: XOR epoch
def _xor_net() -> mc.MLP:
    d = mc.XOR_DEFAULTS
    return mc.MLP(d["sizes"], d["activation"], d["output_activation"], seed=0)


def _xor_start() -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """XOR's X (4, 2) and y (4, 1), and ``MLP(seed=0)``'s parameters W0, b0, W1, b1 (the arrays themselves)."""
    X, y = mc.datasets.xor()
    net = _xor_net()
    return X, y, net.parameters


def hand_written_xor(epochs: int, record: bool) -> tuple[list[np.ndarray], list[float]]:
    """``epochs`` full-batch epochs of the XOR network written out in NumPy, on ``MLP(seed=0)``.

    With ``record`` each epoch also computes the loss and accuracy at the new parameters, as
    ``History`` records them. Returns the final parameters (W0, b0, W1, b1) and the recorded losses.
    """
    X, y, (W0, b0, W1, b1) = _xor_start()
    n, lr, y_class = len(X), XOR_LR, y > 0.5
    losses, accuracies = [], []
    for _ in range(epochs):
        a1 = np.tanh(X @ W0 + b0)  # (4, 4)
        o = 1 / (1 + np.exp(-(a1 @ W1 + b1)))  # (4, 1)
        d1 = (o - y) / n * (o * (1 - o))  # dL/dz1
        dW1, db1 = a1.T @ d1, d1.sum(axis=0)
        d0 = (d1 @ W1.T) * (1 - a1 * a1)  # dL/dz0
        dW0, db0 = X.T @ d0, d0.sum(axis=0)
        W0 -= lr * dW0
        b0 -= lr * db0
        W1 -= lr * dW1
        b1 -= lr * db1
        if record:
            o = 1 / (1 + np.exp(-(np.tanh(X @ W0 + b0) @ W1 + b1)))
            e = o - y
            losses.append(0.5 * float(np.vdot(e, e)) / n)
            accuracies.append(np.count_nonzero((o > 0.5) == y_class) / o.size)
    return [W0, b0, W1, b1], losses


def hand_written_xor_as_train(epochs: int) -> tuple[list[np.ndarray], list[float]]:
    """``mc.train``'s full-batch loop on ``MLP(seed=0)``, written out: the same numbers, the same checks.

    Returns the final parameters (W0, b0, W1, b1) and the recorded losses (stopping where ``mc.train``
    would call the run diverged).
    """
    X, y, (W0, b0, W1, b1) = _xor_start()
    n, lr, y_class = len(X), XOR_LR, y > 0.5
    losses, accuracies = [], []

    def forward_and_deltas():
        a1 = np.tanh(X @ W0 + b0)  # (4, 4)
        o = 1 / (1 + np.exp(-(a1 @ W1 + b1)))  # (4, 1)
        e = o - y
        d1 = e / n * (o * (1 - o))  # dL/dz1
        d0 = (d1 @ W1.T) * (1 - a1 * a1)  # dL/dz0
        return 0.5 * float(np.vdot(e, e)) / n, o, [X.T @ d0, d0.sum(axis=0), a1.T @ d1, d1.sum(axis=0)]

    loss, o, grads = forward_and_deltas()
    limit = 3 * max(loss, 0.05)  # mlp_course.criteria's divergence limit
    for _ in range(epochs):
        W0, b0, W1, b1 = [p - lr * g for p, g in zip((W0, b0, W1, b1), grads)]
        loss, o, grads = forward_and_deltas()
        sum_of_squares = np.vdot(W0, W0) + np.vdot(b0, b0) + np.vdot(W1, W1) + np.vdot(b1, b1)
        if not loss <= limit or not math.isfinite(sum_of_squares):  # diverged
            break
        losses.append(loss)
        accuracies.append(np.count_nonzero((o > 0.5) == y_class) / o.size)
    return [W0, b0, W1, b1], losses


def xor_epoch(epochs: int = 1000, rounds: int = 25) -> dict:
    """S1: seconds per XOR epoch of mc.train and of the three hand-written floors (best of ``rounds``)."""
    X, y = mc.datasets.xor()

    def ours() -> float:
        net = _xor_net()
        return _seconds(lambda: mc.train(net, X, y, lr=XOR_LR, epochs=epochs))

    best = best_of({
        "mc.train": ours,
        "bare": lambda: _seconds(lambda: hand_written_xor(epochs, record=False)),
        "recorded": lambda: _seconds(lambda: hand_written_xor(epochs, record=True)),
        "as train": lambda: _seconds(lambda: hand_written_xor_as_train(epochs)),
    }, rounds)
    per_epoch = {name: seconds / epochs for name, seconds in best.items()}
    return {"epochs": epochs, "rounds": rounds, **{f"{k}_s": v for k, v in per_epoch.items()},
            "ratio_bare": per_epoch["mc.train"] / per_epoch["bare"],
            "ratio_recorded": per_epoch["mc.train"] / per_epoch["recorded"],
            "ratio_as_train": per_epoch["mc.train"] / per_epoch["as train"]}


def print_xor(result: dict) -> None:
    print(f"S1  one XOR epoch, [2, 4, 1] tanh/sigmoid, MSE, 4 points, full batch, lr {XOR_LR} "
          f"(runs of {result['epochs']} epochs, best of {result['rounds']}, interleaved)")
    print(format_table(["", "per epoch", "mc.train / this"], [
        ["mc.train (History recorded)", format_seconds(result["mc.train_s"]), "1.00×"],
        ["NumPy by hand: forward, δs, updates", format_seconds(result["bare_s"]), f"{result['ratio_bare']:.2f}×"],
        ["NumPy by hand, + loss & accuracy after the step", format_seconds(result["recorded_s"]),
         f"{result['ratio_recorded']:.2f}×"],
        ["NumPy by hand, as mc.train: same pass records, + divergence test", format_seconds(result["as train_s"]),
         f"{result['ratio_as_train']:.2f}×"],
    ]))


# ---------------------------------------------------------------------------- S2: moons epoch
def moons_net() -> mc.MLP:
    return mc.MLP(MOONS_SIZES, "tanh", "sigmoid", init="xavier", seed=0)


def torch_epoch_function(net: mc.MLP, X: np.ndarray, y: np.ndarray, threads: int = TORCH_THREADS):
    """A PyTorch float64 copy of ``net`` and a function running one full-batch epoch on it.

    Returns ``(epoch, model)``, or None when torch is not installed. The epoch is
    ``SGD(lr=MOONS_LR)`` on ``BCEWithLogitsLoss`` (the mean over samples, as our ``"bce"``), with
    the same starting parameters as ``net``; ``model`` is the ``torch.nn.Sequential``.
    """
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    layers = []
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        linear = torch.nn.Linear(*W.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))  # torch stores (out, in)
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if l < len(net.weights) - 1:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.reshape(-1, 1).astype(np.float64))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=MOONS_LR)

    def epoch() -> float:
        optimizer.zero_grad()
        loss = loss_fn(model(X_t), y_t)
        loss.backward()
        optimizer.step()
        return loss.item()

    return epoch, model


def sklearn_epoch_function(X: np.ndarray, y: np.ndarray):
    """One full-batch epoch of scikit-learn's MLPClassifier per call (``partial_fit``), or None.

    tanh hidden units, logistic output with log-loss (= our ``"bce"``), plain SGD at ``MOONS_LR``
    on the whole batch: no momentum, no L2, no shuffling. The first call (untimed) initialises it.
    """
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    clf = MLPClassifier(hidden_layer_sizes=tuple(MOONS_SIZES[1:-1]), activation="tanh", solver="sgd",
                        batch_size=len(X), learning_rate="constant", learning_rate_init=MOONS_LR, momentum=0.0,
                        nesterovs_momentum=False, alpha=0.0, shuffle=False, random_state=0)
    labels = y.ravel()

    def epoch() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf.partial_fit(X, labels, classes=[0.0, 1.0])

    epoch()
    return epoch


def moons_epoch(n: int = 100_000, rounds: int = 5, extra_epochs: int = 2) -> dict:
    """S2: seconds per full-batch epoch on ``moons(n)``: mc.train, scikit-learn, PyTorch (best of ``rounds``)."""
    X, y = mc.datasets.moons(n, noise=0.2, seed=0)
    net = moons_net()

    def ours(epochs: int) -> Callable[[], float]:
        return lambda: _seconds(lambda: mc.train(net.copy(), X, y, lr=MOONS_LR, epochs=epochs, loss="bce"))

    # mc.train's epoch is the marginal (best t(1 + E) − best t(1)) / E: each best taken on its own, since
    # the smallest of many noisy differences would be biased low
    contenders = {"mc.train long": ours(1 + extra_epochs), "mc.train short": ours(1)}
    sk = sklearn_epoch_function(X, y)
    if sk is not None:
        contenders["scikit-learn"] = lambda: _seconds(sk)
    torch_run = torch_epoch_function(net, X, y)
    if torch_run is not None:
        contenders["PyTorch"] = lambda: _seconds(torch_run[0])
    best = best_of(contenders, rounds)
    best["mc.train"] = max(best.pop("mc.train long") - best.pop("mc.train short"), 0.0) / extra_epochs
    return {"n": n, "rounds": rounds, "sizes": MOONS_SIZES,
            **{f"{k}_s": best.get(k) for k in ("mc.train", "scikit-learn", "PyTorch")}}


def print_moons(result: dict) -> None:
    print(f"S2  one full-batch epoch, moons n={result['n']:,}, {result['sizes']} tanh/sigmoid, BCE, lr {MOONS_LR} "
          f"(best of {result['rounds']}, interleaved)")
    ours = result["mc.train_s"]
    rows = [["mc.train", format_seconds(ours), "1.00×"]]
    for name, label in (("scikit-learn", "scikit-learn MLPClassifier.partial_fit"),
                        ("PyTorch", f"PyTorch CPU float64, {TORCH_THREADS} threads")):
        seconds = result[f"{name}_s"]
        rows.append([label, format_seconds(seconds) if seconds is not None else "not installed",
                     f"{seconds / ours:.2f}×" if seconds is not None and ours else "n/a"])
    print(format_table(["", "per epoch", "this / mc.train"], rows))


# -------------------------------------------------------------------------------------- main
def main(quick: bool = False) -> dict:
    """Run S1 and S2 and print their tables; return the numbers."""
    if quick:
        results = {"xor": xor_epoch(epochs=20, rounds=1), "moons": moons_epoch(n=200, rounds=1, extra_epochs=1)}
    else:
        results = {"xor": xor_epoch(), "moons": moons_epoch()}
    print()
    print_xor(results["xor"])
    print()
    print_moons(results["moons"])
    return results
