"""P1–P3: how fast the package trains, against the seed's code, a Python loop and scikit-learn.

P1  Wall time to solve XOR: the StackOverflow accepted answer's per-sample loop at its own settings
    (2 sigmoid hidden units, lr 1e-2, at most 1e5 iterations) against ``mc.train`` with the
    package's documented recipe ``mc.XOR_DEFAULTS``. "Solved" is :func:`xor_solved`: all four
    outputs on the right side of 0.5 and MSE (mean of ½(o − y)²) below 0.01. Each side is timed
    for exactly the number of epochs it needs to reach that, found by a first untimed run, so no
    time is spent checking. Ours is also timed for its whole documented 1000-epoch recipe.
P2  1000 seeds of XOR: ``mc.train_ensemble`` against a Python loop of ``mc.train``.
P3  Time per epoch of full-batch training on ``moons`` as the data grows, network [2, 64, 64, 1]:
    ``mc.train`` against the matmul-only lower bound (the three forward and five backward matrix
    products of one epoch, timed alone) and scikit-learn's ``MLPClassifier`` doing the same
    full-batch plain gradient descent (when scikit-learn is installed: the ``bench`` extra).

Nothing asserts a time. Every timing is a median over repeats; the tables print every number.
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings

import numpy as np

import mlp_course as mc
from mlp_course.criteria import SOLVED_MSE, solved_outputs

from . import RESULTS_DIR, format_seconds, format_table, median_time, time_once

XOR_MSE_TOL = SOLVED_MSE
"""The MSE below which XOR counts as solved: :data:`mlp_course.criteria.SOLVED_MSE`."""

ANSWER_SETTINGS = {"n_h": 2, "learning_rate": 1e-2, "max_iterations": 100_000}
"""The accepted answer's own settings (its last line: ``mlp_train(X, y, n_h=2, max_iterations=int(1e5))``)."""


# --------------------------------------------------------------------------- the solved criterion
def xor_solved(outputs, y) -> bool:
    """:func:`mlp_course.criteria.solved_outputs` for a single-output network's XOR outputs.

    Parameters
    ----------
    outputs : array_like, shape (n,) or (n, 1)
        Sigmoid outputs in (0, 1); the decision threshold is 0.5.
    y : array_like, same size as ``outputs``
        Targets 0 or 1.
    """
    outputs = np.asarray(outputs, dtype=np.float64).reshape(-1, 1)
    y = np.asarray(y, dtype=np.float64).reshape(-1, 1)
    if outputs.shape != y.shape:
        raise ValueError(f"outputs has {outputs.size} values but y has {y.size}")
    return bool(solved_outputs(outputs, y, 0.5))


def epochs_to_solve(history: mc.History) -> int | None:
    """How many epochs of :func:`mc.train` (full batch, ``loss="mse"``) it took to solve XOR.

    ``history.loss[i]`` is the MSE and ``history.accuracy[i]`` the share of outputs on the right
    side after epoch i, so the first i with loss < 0.01 and accuracy 1 needs i + 1 epochs.
    None if it never did.
    """
    if history.loss_name != "mse":
        raise ValueError(f"epochs_to_solve needs a history trained on mse, got {history.loss_name!r}")
    for i, (loss, acc) in enumerate(zip(history.loss, history.accuracy)):
        if loss < XOR_MSE_TOL and acc == 1.0:
            return i + 1
    return None


# --------------------------------------------------------------------------------- P1: XOR solve
def _xor_net(seed: int) -> mc.MLP:
    d = mc.XOR_DEFAULTS
    return mc.MLP(d["sizes"], d["activation"], d["output_activation"], seed=seed)


def _train_ours(seed: int, epochs: int) -> mc.History:
    """The documented recipe for ``epochs`` epochs, from a fresh network (its construction timed too)."""
    X, y = mc.datasets.xor()
    d = mc.XOR_DEFAULTS
    return mc.train(_xor_net(seed), X, y, lr=d["lr"], epochs=epochs, loss=d["loss"])


def _answer_epochs_to_solve(seed: int, max_iterations: int):
    """Run the answer's code (``mc.stackoverflow.train_answer``) until XOR is solved.

    Returns the :class:`~mlp_course.stackoverflow.Trace`; ``trace.epochs`` iterations were run and
    ``trace.solved_at`` is None if the seed got stuck within ``max_iterations``.
    """
    from mlp_course import stackoverflow

    return stackoverflow.train_answer(seed=seed, n_h=ANSWER_SETTINGS["n_h"],
                                      learning_rate=ANSWER_SETTINGS["learning_rate"],
                                      max_iterations=max_iterations, until_solved=True)


def answer_loop(hw, hb, ow, ob, max_iterations: int, learning_rate: float = ANSWER_SETTINGS["learning_rate"]):
    """The accepted answer's training loop, silent, on the given parameters (updated in place).

    Quoted from the StackOverflow accepted answer (CC BY-SA; see ``mlp_course.stackoverflow``
    for the source and attribution): the body of its ``mlp_train``, with only its two ``print``
    lines removed. ``mc.stackoverflow.train_answer`` runs the same code with a recorder of every
    sample's output; timing this bare copy keeps the recorder's cost out of the answer's time
    (``tests/test_benchmarks.py`` checks that both end on the same parameters).

    Parameters
    ----------
    hw : ndarray (2, n_h)   hb : ndarray (1, n_h)   ow : ndarray (n_h, 1)   ob : ndarray (1, 1)
    """
    from mlp_course.stackoverflow import X, activation, cost, cost_d, y

    for iteration in range(max_iterations):  # noqa: B007 (verbatim; the answer prints it)
        for x_i, y_i in zip(X, y):
            # forwardprop
            x_i = x_i[np.newaxis, :]
            hz = np.dot(x_i, hw) + hb   # (1, n_h)
            ho = activation(hz)
            oz = np.dot(ho, ow) + ob    # (1, n_o)
            oo = activation(oz)
            # cost
            c = cost(oo, y_i)  # noqa: F841 (the answer computes it to print it)
            # backwardprop
            grad_oz = cost_d(oo, y_i)   # (1, n_o)
            grad_ob = grad_oz
            grad_ow = np.dot(ho.T, grad_oz) # (n_h, n_o)
            # update
            ow -= learning_rate * grad_ow
            ob -= learning_rate * grad_ob
            grad_h = np.dot(grad_oz, ow.T)  # (1, n_h)
            grad_hz = grad_h * (ho * (1 - ho))
            grad_hb = grad_hz       # (1, n_h)
            grad_hw = np.dot(x_i.T, grad_hz)    # (n_i, n_h)
            # update
            hw -= learning_rate * grad_hw
            hb -= learning_rate * grad_hb
    return hw, hb, ow, ob


def answer_initial_parameters(seed: int, n_h: int = ANSWER_SETTINGS["n_h"]):
    """The answer's initialisation after ``np.random.seed(seed)``: hw (2, n_h), hb, ow (n_h, 1), ob."""
    randn = np.random.RandomState(seed).randn
    hw = randn(2, n_h)
    hb = np.zeros((1, n_h))
    ow = randn(n_h, 1)
    ob = np.zeros((1, 1))
    return hw, hb, ow, ob


def _run_answer(seed: int, iterations: int):
    """Exactly ``iterations`` iterations of the answer's code from seed ``seed`` (initialisation included)."""
    return answer_loop(*answer_initial_parameters(seed), iterations)


def _time_answer(seed: int, iterations: int, repeats: int) -> tuple[float, tuple]:
    """Median seconds of ``repeats`` runs of :func:`_run_answer`, and the final parameters."""
    times, final = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        final = _run_answer(seed, iterations)
        times.append(time.perf_counter() - start)
    return statistics.median(times), final


def p1_time_to_solve(seeds=range(5), repeats: int = 5, answer_repeats: int = 1,
                     answer_max_iterations: int = ANSWER_SETTINGS["max_iterations"],
                     per_epoch_iterations: int = 200) -> dict:
    """P1: wall time to solve XOR, the answer's code vs the documented recipe, seed by seed.

    Returns
    -------
    dict
        ``rows``: one dict per seed (epochs and seconds of both sides, None where a side never
        solved); ``answer_median_s``, ``ours_solve_median_s``, ``ours_recipe_median_s``: medians
        over the seeds that side solved; ``ratio_solve`` and ``ratio_recipe``: the answer's median
        time over ours; ``answer_epoch_s`` and ``ours_epoch_s``: median time of one epoch.
    """
    X, y = mc.datasets.xor()
    recipe_epochs = mc.XOR_DEFAULTS["epochs"]
    rows = []
    for seed in seeds:
        history = _train_ours(seed, recipe_epochs)
        ours_epochs = epochs_to_solve(history)
        ours_solve_s = None
        if ours_epochs is not None:
            ours_solve_s = median_time(lambda s=seed, e=ours_epochs: _train_ours(s, e), repeats)
        ours_recipe_s = median_time(lambda s=seed: _train_ours(s, recipe_epochs), repeats)
        trace = _answer_epochs_to_solve(seed, answer_max_iterations)
        answer_epochs = None if trace.solved_at is None else trace.solved_at + 1
        answer_s = None
        if answer_epochs is not None:
            answer_s, final = _time_answer(seed, answer_epochs, answer_repeats)
            # The bare copy must end exactly where the faithful, instrumented code did.
            if not np.allclose(final[0], trace.weights[0], rtol=0, atol=1e-12):
                raise RuntimeError(f"the answer's bare loop disagrees with stackoverflow.train_answer (seed {seed})")
        rows.append({"seed": seed, "answer_epochs": answer_epochs, "answer_s": answer_s,
                     "ours_epochs": ours_epochs, "ours_solve_s": ours_solve_s, "ours_recipe_s": ours_recipe_s,
                     "ours_recipe_solved": mc.solved(_trained_net(seed), X, y)})

    def median_of(key):
        values = [r[key] for r in rows if r[key] is not None]
        return statistics.median(values) if values else None

    answer_epoch_s = median_time(lambda: _run_answer(0, per_epoch_iterations), repeats) / per_epoch_iterations
    ours_epoch_s = median_time(lambda: _train_ours(0, per_epoch_iterations), repeats) / per_epoch_iterations
    result = {"rows": rows, "answer_median_s": median_of("answer_s"),
              "ours_solve_median_s": median_of("ours_solve_s"), "ours_recipe_median_s": median_of("ours_recipe_s"),
              "answer_epoch_s": answer_epoch_s, "ours_epoch_s": ours_epoch_s,
              "answer_max_iterations": answer_max_iterations, "repeats": repeats}
    result["ratio_solve"] = _ratio(result["answer_median_s"], result["ours_solve_median_s"])
    result["ratio_recipe"] = _ratio(result["answer_median_s"], result["ours_recipe_median_s"])
    result["ratio_epoch"] = _ratio(answer_epoch_s, ours_epoch_s)
    return result


def _trained_net(seed: int) -> mc.MLP:
    X, y = mc.datasets.xor()
    net = _xor_net(seed)
    mc.train(net, X, y, lr=mc.XOR_DEFAULTS["lr"], epochs=mc.XOR_DEFAULTS["epochs"], loss=mc.XOR_DEFAULTS["loss"])
    return net


def _ratio(slow, fast):
    return None if slow is None or fast is None or fast == 0 else slow / fast


def _fmt_ratio(ratio) -> str:
    return "n/a" if ratio is None else f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def print_p1(result: dict) -> None:
    print(f"P1  time to solve XOR (MSE < {XOR_MSE_TOL}, all outputs on the right side of 0.5)")
    print(f"    answer: its own code and settings, n_h=2, lr=1e-2, at most {result['answer_max_iterations']:,} "
          f"iterations; ours: mc.train with mc.XOR_DEFAULTS (lr 2.0, [2, 4, 1] tanh); "
          f"ours timed as median of {result['repeats']}")
    rows = []
    for r in result["rows"]:
        answer_epochs = "stuck" if r["answer_epochs"] is None else f"{r['answer_epochs']:,}"
        rows.append([r["seed"], answer_epochs, format_seconds(r["answer_s"]),
                     "never" if r["ours_epochs"] is None else r["ours_epochs"], format_seconds(r["ours_solve_s"]),
                     format_seconds(r["ours_recipe_s"]), "yes" if r["ours_recipe_solved"] else "no",
                     _fmt_ratio(_ratio(r["answer_s"], r["ours_solve_s"]))])
    print(format_table(["seed", "answer epochs", "answer time", "our epochs", "our time", "our 1000 ep.",
                        "solved", "ratio"], rows))
    print(f"    median time to solve: answer {format_seconds(result['answer_median_s'])}, "
          f"ours {format_seconds(result['ours_solve_median_s'])} -> {_fmt_ratio(result['ratio_solve'])} "
          f"(target >= 200×)")
    print(f"    against our whole 1000-epoch recipe ({format_seconds(result['ours_recipe_median_s'])}): "
          f"{_fmt_ratio(result['ratio_recipe'])}")
    print(f"    one epoch: answer {format_seconds(result['answer_epoch_s'])}, ours "
          f"{format_seconds(result['ours_epoch_s'])} -> {_fmt_ratio(result['ratio_epoch'])}")


# ----------------------------------------------------------------------------- P2: 1000 seeds
def p2_ensemble(n_seeds: int = 1000, epochs: int = mc.XOR_DEFAULTS["epochs"], repeats: int = 3) -> dict:
    """P2: ``n_seeds`` XOR networks with the documented recipe, batched vs a Python loop.

    The loop is timed once over all seeds (each seed is a separate run, so it is its own
    average); the ensemble is the median of ``repeats``. Both must agree on which seeds solve.
    """
    X, y = mc.datasets.xor()
    d = mc.XOR_DEFAULTS
    seeds = range(n_seeds)

    def ensemble():
        return mc.train_ensemble(d["sizes"], X, y, seeds=seeds, lr=d["lr"], epochs=epochs, loss=d["loss"],
                                 activation=d["activation"], output_activation=d["output_activation"])

    ensemble_s = median_time(ensemble, repeats)
    ens = ensemble()
    loop_solved = []

    def loop():
        for seed in seeds:
            net = _xor_net(seed)
            mc.train(net, X, y, lr=d["lr"], epochs=epochs, loss=d["loss"])
            loop_solved.append(mc.solved(net, X, y))

    loop_s = time_once(loop)
    agree = int(np.count_nonzero(np.asarray(loop_solved) == np.asarray(ens.solved)))
    return {"n_seeds": n_seeds, "epochs": epochs, "loop_s": loop_s, "ensemble_s": ensemble_s,
            "ratio": _ratio(loop_s, ensemble_s), "success_rate": float(np.mean(ens.solved)),
            "solved_flags_agree": agree, "repeats": repeats}


def print_p2(result: dict) -> None:
    n = result["n_seeds"]
    print(f"P2  {n} seeds of XOR, {result['epochs']} epochs each (mc.XOR_DEFAULTS)")
    print(format_table(
        ["trainer", "wall time", "per seed"],
        [["Python loop of mc.train", format_seconds(result["loop_s"]), format_seconds(result["loop_s"] / n)],
         [f"mc.train_ensemble (median of {result['repeats']})", format_seconds(result["ensemble_s"]),
          format_seconds(result["ensemble_s"] / n)]]))
    print(f"    speed-up {_fmt_ratio(result['ratio'])} (target >= 50×); solved {result['success_rate']:.1%}; "
          f"loop and ensemble agree on {result['solved_flags_agree']}/{n} solved flags")


# ------------------------------------------------------------------------ P3: per-epoch scaling
P3_SIZES = [2, 64, 64, 1]
P3_LR = 0.1


def matmul_epoch(X: np.ndarray, weights: list[np.ndarray], buffers: dict) -> None:
    """Only the matrix products of one full-batch epoch of ``P3_SIZES``, on preallocated buffers.

    Forward ``a[l] @ W[l]`` for the three layers; backward ``a[l].T @ delta[l]`` for the three weight
    gradients and ``delta[l] @ W[l].T`` for the two hidden layers. No activation, no loss, no
    update: the part no implementation can skip, so the lower bound for an epoch.
    """
    a1, a2, a3 = buffers["a1"], buffers["a2"], buffers["a3"]
    np.matmul(X, weights[0], out=a1)
    np.matmul(a1, weights[1], out=a2)
    np.matmul(a2, weights[2], out=a3)
    np.matmul(a2.T, a3, out=buffers["dW2"])
    np.matmul(a3, weights[2].T, out=buffers["d2"])
    np.matmul(a1.T, buffers["d2"], out=buffers["dW1"])
    np.matmul(buffers["d2"], weights[1].T, out=buffers["d1"])
    np.matmul(X.T, buffers["d1"], out=buffers["dW0"])


def matmul_buffers(n: int, sizes=P3_SIZES) -> dict:
    """Output arrays for :func:`matmul_epoch` on ``n`` samples."""
    return {"a1": np.empty((n, sizes[1])), "a2": np.empty((n, sizes[2])), "a3": np.empty((n, sizes[3])),
            "d2": np.empty((n, sizes[2])), "d1": np.empty((n, sizes[1])),
            "dW2": np.empty((sizes[2], sizes[3])), "dW1": np.empty((sizes[1], sizes[2])),
            "dW0": np.empty((sizes[0], sizes[1]))}


def _p3_epochs(n: int, budget: float) -> int:
    """Epochs per timing at ``n`` samples: about ``budget`` sample-epochs, from 5 to 400."""
    return int(np.clip(budget / n, 5, 400))


def _per_epoch(train_for, epochs: int, repeats: int) -> float:
    """Marginal time of one epoch: (median t(1 + epochs) − median t(1)) / epochs.

    Subtracting a 1-epoch run removes each trainer's fixed cost (validation, initialisation, the
    first gradient evaluation), which would otherwise dominate at small n.
    """
    long = median_time(lambda: train_for(1 + epochs), repeats)
    short = median_time(lambda: train_for(1), repeats)
    return max(long - short, 0.0) / epochs


def sklearn_classifier(epochs: int, n: int):
    """scikit-learn's MLPClassifier doing what ``mc.train`` does: full-batch plain gradient descent.

    tanh hidden units, logistic output with log-loss (= our ``loss="bce"``), ``batch_size=n``, no
    momentum, no L2, constant learning rate, no shuffling, no early stop. None if not installed.
    """
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    return MLPClassifier(hidden_layer_sizes=tuple(P3_SIZES[1:-1]), activation="tanh", solver="sgd", batch_size=n,
                         learning_rate="constant", learning_rate_init=P3_LR, momentum=0.0, nesterovs_momentum=False,
                         alpha=0.0, max_iter=epochs, shuffle=False, tol=0.0, n_iter_no_change=epochs + 1,
                         random_state=0)


def _train_ours_p3(X: np.ndarray, y: np.ndarray, epochs: int) -> None:
    net = mc.MLP(P3_SIZES, "tanh", "sigmoid", init="xavier", seed=0)
    mc.train(net, X, y, lr=P3_LR, epochs=epochs, loss="bce")


def _train_sklearn_p3(X: np.ndarray, y: np.ndarray, epochs: int) -> None:
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sklearn_classifier(epochs, len(X)).fit(X, y.ravel())


def _matmul_only(X: np.ndarray, epochs: int) -> None:
    """``epochs`` runs of :func:`matmul_epoch` on the P3 network's initial weights."""
    weights = mc.MLP(P3_SIZES, "tanh", "sigmoid", init="xavier", seed=0).weights
    buffers = matmul_buffers(len(X))
    for _ in range(epochs):
        matmul_epoch(X, weights, buffers)


def p3_row(n: int, repeats: int, budget: float, with_sklearn: bool) -> dict:
    """P3 at one data size: seconds per epoch of ours, of the matmul bound and of scikit-learn."""
    X, y = mc.datasets.moons(n, noise=0.2, seed=0)
    epochs = _p3_epochs(n, budget)
    return {
        "n": n,
        "epochs": epochs,
        "ours_s": _per_epoch(lambda e: _train_ours_p3(X, y, e), epochs, repeats),
        "matmul_s": median_time(lambda: _matmul_only(X, epochs), repeats) / epochs,
        "sklearn_s": _per_epoch(lambda e: _train_sklearn_p3(X, y, e), epochs, repeats) if with_sklearn else None,
    }


def p3_per_epoch(ns=(4, 100, 1_000, 10_000, 100_000), repeats: int = 3, budget: float = 5e5) -> dict:
    """P3: seconds per full-batch epoch of ``P3_SIZES`` on ``moons(n)``: ours, matmul bound, sklearn."""
    have_sklearn = sklearn_classifier(1, 4) is not None
    rows = [p3_row(n, repeats, budget, have_sklearn) for n in ns]
    return {"sizes": P3_SIZES, "rows": rows, "repeats": repeats, "sklearn": have_sklearn}


def print_p3(result: dict) -> None:
    print(f"P3  time per full-batch epoch, moons, {result['sizes']} (tanh, sigmoid output, log-loss); "
          f"median of {result['repeats']}")
    rows = []
    for r in result["rows"]:
        rows.append([f"{r['n']:,}", r["epochs"], format_seconds(r["ours_s"]), format_seconds(r["matmul_s"]),
                     _fmt_ratio(_ratio(r["ours_s"], r["matmul_s"])), format_seconds(r["sklearn_s"]),
                     _fmt_ratio(_ratio(r["sklearn_s"], r["ours_s"]))])
    print(format_table(["n", "epochs", "mc.train", "matmul bound", "ours/bound", "scikit-learn", "sklearn/ours"],
                       rows))
    if not result["sklearn"]:
        print("    scikit-learn not installed: pip install -e '.[bench]' to compare with it")
    last = result["rows"][-1]
    print(f"    at n={last['n']:,}: ours is {_fmt_ratio(_ratio(last['ours_s'], last['matmul_s']))} the matmul bound "
          f"(target <= 2×)" + (f", scikit-learn takes {_fmt_ratio(_ratio(last['sklearn_s'], last['ours_s']))} "
                               f"our time (target >= 1×)" if last["sklearn_s"] is not None else ""))


# -------------------------------------------------------------------------------------- plot
def plot(results: dict, path) -> None:
    """Three panels: P1 and P2 as bars (log scale), P3 as time per epoch against n (log-log)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(14, 4.2), layout="constrained")
    ax1, ax2, ax3 = fig.subplots(1, 3)
    p1, p2, p3 = results["p1"], results["p2"], results["p3"]

    bars = [("answer's code,\nto solve", p1["answer_median_s"]), ("mc.train,\nto solve", p1["ours_solve_median_s"]),
            ("mc.train,\n1000 epochs", p1["ours_recipe_median_s"])]
    _bars(ax1, bars, "P1: time to solve XOR (median over seeds)")
    _bars(ax2, [("loop of\nmc.train", p2["loop_s"]), ("mc.train_ensemble", p2["ensemble_s"])],
          f"P2: {p2['n_seeds']} XOR seeds × {p2['epochs']} epochs")

    ns = [r["n"] for r in p3["rows"]]
    for key, label, style in (("ours_s", "mc.train", "o-"), ("matmul_s", "matmul-only bound", "s--"),
                              ("sklearn_s", "scikit-learn MLPClassifier", "^-")):
        values = [r[key] for r in p3["rows"]]
        if all(v is not None for v in values):
            ax3.loglog(ns, values, style, label=label)
    ax3.set(xlabel="training points n (moons)", ylabel="seconds per epoch",
            title=f"P3: full-batch epoch, {p3['sizes']}")
    ax3.legend()
    ax3.grid(True, which="both", alpha=0.3)
    fig.suptitle("mlp_course benchmarks (lower is better)")
    fig.savefig(path, dpi=110)


def _bars(ax, bars, title) -> None:
    labels = [label for label, _ in bars]
    values = [np.nan if v is None else v for _, v in bars]
    ax.bar(labels, values, color=["tab:red", "tab:blue", "tab:cyan"][: len(bars)])
    ax.set_yscale("log")
    ax.set(ylabel="seconds (log scale)", title=title)
    finite = [v for v in values if np.isfinite(v)]
    if finite:
        ax.set_ylim(top=max(finite) * 4)  # room for the value labels
    for i, v in enumerate(values):
        if np.isfinite(v):
            ax.annotate(format_seconds(v), (i, v), ha="center", va="bottom")


# -------------------------------------------------------------------------------------- main
def main(quick: bool = False) -> dict:
    """Run P1–P3, print their tables, save ``results/training[-quick].png``; return the numbers."""
    if quick:
        parts = {
            "p1": lambda: p1_time_to_solve(seeds=[1], repeats=1, answer_max_iterations=50, per_epoch_iterations=20),
            "p2": lambda: p2_ensemble(n_seeds=20, epochs=50, repeats=1),
            "p3": lambda: p3_per_epoch(ns=(4, 100), repeats=1, budget=200),
        }
    else:
        parts = {"p1": p1_time_to_solve, "p2": p2_ensemble, "p3": p3_per_epoch}
    printers = {"p1": print_p1, "p2": print_p2, "p3": print_p3}
    results = {}
    for name, run in parts.items():  # print each part as soon as it is measured
        results[name] = run()
        print()
        printers[name](results[name])
        sys.stdout.flush()
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"training{'-quick' if quick else ''}.png"
    plot(results, path)
    print(f"\nplot saved to {path}")
    return results
