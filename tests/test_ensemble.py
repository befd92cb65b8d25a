"""train_ensemble: every member equals the same network trained alone with mc.train."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mlp_course as mc

NET_KEYS = ("activation", "output_activation", "init", "init_scale")
TRAIN_KEYS = ("lr", "epochs", "loss")

CONFIGS = {
    # name: (sizes, seeds, settings of MLP and train).
    # The documented XOR recipe, full length; seeds 0-11 include members that get stuck.
    "xor-defaults": ([2, 4, 1], range(12), {}),
    "bce": ([2, 4, 1], range(6), {"loss": "bce", "epochs": 400}),
    "relu-2-hidden": ([2, 5, 3, 1], range(6), {"activation": "relu", "epochs": 300, "lr": 0.5}),
    "sigmoid-xavier-scaled": (
        [2, 3, 2],
        [3, 17, 99, 4],
        {"activation": "sigmoid", "init": "xavier", "init_scale": 0.5, "epochs": 200, "lr": 3.0},
    ),
    "tanh-output-he": ([2, 6, 1], range(5), {"output_activation": "tanh", "init": "he", "epochs": 200, "lr": 0.3}),
    # lr 10 with BCE: the loss rises above 3 × its start for some members (seed 1 at epoch 6).
    "bce-lr10-rising-loss": ([2, 4, 1], range(8), {"loss": "bce", "lr": 10.0, "epochs": 60}),
    # linear everywhere at lr 0.6: about half of these members diverge, the others do not.
    "mixed-divergence": (
        [2, 3, 1],
        range(10),
        {"activation": "linear", "output_activation": "linear", "lr": 0.6, "epochs": 60},
    ),
}


def train_alone(sizes, seed, X, y, config):
    """The reference: one MLP built and trained by the package's own single-network code."""
    net = mc.MLP(sizes, seed=seed, **{k: v for k, v in config.items() if k in NET_KEYS})
    history = mc.train(net, X, y, **{k: v for k, v in config.items() if k in TRAIN_KEYS})
    return net, history


def assert_members_equal_training_alone(sizes, seeds, config, X, y):
    """Tolerance 1e-12 absolute on parameters (the brief's); in practice the batched products run
    the same BLAS calls on the same numbers, so the arrays agree bit for bit."""
    result = mc.train_ensemble(sizes, X, y, seeds=seeds, record_loss=True, return_weights=True, **config)
    for i, seed in enumerate(seeds):
        net, history = train_alone(sizes, seed, X, y, config)
        member = result.network(i)
        for mine, theirs in zip(member.parameters, net.parameters):
            np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
        assert result.diverged[i] == history.diverged
        assert result.diverged_at[i] == (history.diverged_at if history.diverged else -1)
        curve = result.loss_curves[i]
        np.testing.assert_allclose(curve[: history.epochs], history.loss, rtol=1e-12)
        assert np.all(np.isnan(curve[history.epochs :]))
        loss = config.get("loss", "mse")
        np.testing.assert_allclose(result.final_loss[i], net.loss(X, y, loss), rtol=1e-12)
        assert result.accuracy[i] == mc.accuracy(net, X, y)
        assert result.solved[i] == mc.solved(net, X, y)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_member_equals_training_alone(name, xor):
    sizes, seeds, config = CONFIGS[name]
    X, y = xor
    y = np.hstack([y, 1 - y])[:, : sizes[-1]]  # XOR, and its complement for a second output unit
    assert_members_equal_training_alone(sizes, seeds, config, X, y)


@pytest.mark.parametrize("n", [7, 8, 9, 40])
@pytest.mark.parametrize("n_out", [1, 2])
def test_members_equal_training_alone_on_more_samples(n, n_out):
    """Sums over samples take a different path from 8 samples on; both must match train's."""
    X, y = mc.datasets.circle(n=n, seed=1)
    y = np.hstack([y, 1 - y])[:, :n_out]
    assert_members_equal_training_alone([2, 5, n_out], range(3), {"epochs": 40, "lr": 0.5}, X, y)


def test_the_configurations_cover_stuck_solved_and_diverged_members(xor):
    """The equality test above is only as good as its cases: check they include each outcome."""
    X, y = xor
    sizes, seeds, config = CONFIGS["xor-defaults"]
    defaults = mc.train_ensemble(sizes, X, y, seeds=seeds, **config)
    assert defaults.solved.any() and not defaults.solved.all()
    sizes, seeds, config = CONFIGS["mixed-divergence"]
    mixed = mc.train_ensemble(sizes, X, y, seeds=seeds, **config)
    assert mixed.diverged.any() and not mixed.diverged.all()


@pytest.mark.parametrize("init", ["normal", "xavier", "he"])
def test_initial_weights_are_mlps(init, xor):
    X, y = xor
    result = mc.train_ensemble([2, 4, 3, 1], X, y, seeds=[5, 0, 42], epochs=0, init=init, init_scale=0.7,
                               return_weights=True)
    for i, seed in enumerate([5, 0, 42]):
        net = mc.MLP([2, 4, 3, 1], seed=seed, init=init, init_scale=0.7)
        for l in range(3):
            np.testing.assert_array_equal(result.weights[l][i], net.weights[l])
            np.testing.assert_array_equal(result.biases[l][i], net.biases[l])


def test_diverged_members_keep_their_last_finite_parameters(xor):
    X, y = xor
    sizes, seeds, config = CONFIGS["mixed-divergence"]
    result = mc.train_ensemble(sizes, X, y, seeds=seeds, record_loss=True, return_weights=True, **config)
    for p in result.weights + result.biases:
        assert np.all(np.isfinite(p))
    assert np.all(np.isfinite(result.final_loss))
    for i in np.flatnonzero(result.diverged):
        at = result.diverged_at[i]
        assert np.all(np.isfinite(result.loss_curves[i, :at]))
        assert np.all(np.isnan(result.loss_curves[i, at:]))
        if at > 0:  # its final loss is the loss it had before the step that broke it
            assert result.final_loss[i] == pytest.approx(result.loss_curves[i, at - 1], rel=1e-12)


def test_success_rate_and_repr(xor):
    X, y = xor
    result = mc.train_ensemble([2, 4, 1], X, y, seeds=range(12))
    assert result.success_rate == np.count_nonzero(result.solved) / 12
    text = repr(result)
    assert f"solved {np.count_nonzero(result.solved)}/12" in text
    assert "[2, 4, 1]" in text and "tanh/sigmoid" in text
    assert len(result) == 12
    assert result.loss_curves is None and result.weights is None and result.biases is None
    with pytest.raises(ValueError, match="return_weights=True"):
        result.network(0)


def test_network_index_is_checked(xor):
    X, y = xor
    result = mc.train_ensemble([2, 2, 1], X, y, seeds=[7, 8], epochs=3, return_weights=True)
    assert result.network(1).seed == 8
    with pytest.raises(ValueError, match="below the number of members, 2"):
        result.network(2)


# ------------------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X": np.zeros((4, 3))}, ValueError, "expects 2"),
        ({"y": np.zeros((5, 1))}, ValueError, "5 samples"),
        ({"X": [[0, 0], [0, np.nan], [1, 0], [1, 1]]}, ValueError, "NaN"),
        ({"loss": "bce", "output_activation": "tanh"}, ValueError, "needs output_activation='sigmoid'"),
        ({"loss": "bce", "y": [2.0, 0, 0, 1]}, ValueError, r"\[0, 1\]"),
        ({"loss": "hinge"}, ValueError, "unknown loss"),
        ({"lr": -1.0}, ValueError, "lr must be a positive"),
        ({"epochs": 2.5}, TypeError, "epochs must be an integer"),
        ({"activation": "softmax"}, ValueError, "unknown activation"),
        ({"init": "zeros"}, ValueError, "unknown init"),
        ({"sizes": [2]}, ValueError, "at least 2 layers"),
        ({"seeds": []}, ValueError, "seeds is empty"),
        ({"seeds": [0, -1]}, ValueError, r"seeds\[1\]"),
        ({"seeds": [0, 1.5]}, TypeError, r"seeds\[1\]"),
        ({"seeds": "012"}, TypeError, "seeds must be a sequence"),
        ({"seeds": [0, 2**63]}, ValueError, r"seeds\[1\] must be an integer from 0 to 2\*\*63 - 1"),
        ({"seeds": [0, None]}, TypeError, r"seeds\[1\] must be an integer"),
        ({"seeds": [True]}, TypeError, r"seeds\[0\]"),
        ({"lr": 10**400}, ValueError, "lr must be a positive finite number, got an integer too large"),
        ({"init_scale": 10**400}, ValueError, "init_scale"),
        ({"seeds": 10}, TypeError, "seeds must be a sequence"),
    ],
)
def test_bad_input_is_rejected_like_train(kwargs, error, match, xor):
    X, y = xor
    call = {"sizes": [2, 4, 1], "X": X, "y": y, "seeds": range(3), "epochs": 2, **kwargs}
    with pytest.raises(error, match=match):
        mc.train_ensemble(**call)


# ------------------------------------------------------------------------------ properties
configs = st.fixed_dictionaries(
    {
        "hidden": st.lists(st.integers(1, 4), min_size=0, max_size=2),
        "n_out": st.integers(1, 2),
        "seeds": st.lists(st.integers(0, 2**31), min_size=1, max_size=5),
        "epochs": st.integers(0, 15),
        "activation": st.sampled_from(["sigmoid", "tanh", "relu", "linear"]),
        "loss": st.sampled_from(["mse", "bce"]),
    }
)


def _run(cfg, seeds=None):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 2))
    y = (rng.random((6, cfg["n_out"])) > 0.5).astype(float)
    return mc.train_ensemble([2, *cfg["hidden"], cfg["n_out"]], X, y, seeds=seeds or cfg["seeds"], lr=0.5,
                             epochs=cfg["epochs"], loss=cfg["loss"], activation=cfg["activation"],
                             record_loss=True, return_weights=True)


@settings(max_examples=25, deadline=None)
@given(configs)
def test_shapes(cfg):
    result = _run(cfg)
    S, sizes = len(cfg["seeds"]), [2, *cfg["hidden"], cfg["n_out"]]
    for name in ("final_loss", "accuracy", "solved", "diverged", "diverged_at"):
        assert getattr(result, name).shape == (S,), name
    assert result.seeds.tolist() == cfg["seeds"]
    assert result.solved.dtype == bool and result.diverged.dtype == bool
    assert result.loss_curves.shape == (S, cfg["epochs"])
    assert [W.shape for W in result.weights] == [(S, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    assert [b.shape for b in result.biases] == [(S, b) for b in sizes[1:]]
    assert np.all((result.accuracy >= 0) & (result.accuracy <= 1))


@settings(max_examples=25, deadline=None)
@given(configs, st.randoms(use_true_random=False))
def test_deterministic_and_members_independent(cfg, random):
    """The same seeds give the same result, and a member's result does not depend on which other
    members share its ensemble or in what order (shuffling seeds shuffles the results)."""
    first, again = _run(cfg), _run(cfg)
    order = list(range(len(cfg["seeds"])))
    random.shuffle(order)
    shuffled = _run(cfg, seeds=[cfg["seeds"][i] for i in order])
    for name in ("final_loss", "accuracy", "solved", "diverged"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
        np.testing.assert_array_equal(getattr(first, name)[order], getattr(shuffled, name))
    for mine, theirs in zip(first.weights, shuffled.weights):
        np.testing.assert_array_equal(mine[order], theirs)


def test_success_rates_table(xor):
    X, y = xor
    rates = mc.ensemble.success_rates(X, y, [1, 3], [0.5, 2.0], seeds=range(8), epochs=300)
    assert rates.shape == (2, 2)
    for i, width in enumerate([1, 3]):
        for j, scale in enumerate([0.5, 2.0]):
            alone = mc.train_ensemble([2, width, 1], X, y, seeds=range(8), epochs=300, init_scale=scale)
            assert rates[i, j] == alone.success_rate
    assert np.all(rates[0] == 0)  # one hidden unit draws one line: XOR is out of reach


def test_progress_bar_yields_everything_and_draws(xor):
    import io

    from mlp_course.progress import format_bar, progress_bar

    out = io.StringIO()
    assert list(progress_bar(iter("abcd"), label="sweep", stream=out)) == list("abcd")
    lines = out.getvalue().split("\r")[1:]
    assert [line.split("]")[1].split()[0] for line in lines] == ["0/4", "1/4", "2/4", "3/4", "4/4"]
    assert out.getvalue().endswith(" s\n")
    assert format_bar(2, 4, "x", width=8) == "x [####----] 2/4"
    assert format_bar(0, 0, width=4) == "[####] 0/0"
    assert list(progress_bar([], stream=None)) == []


# ------------------------------------------------------------------------------ divergence
def test_members_diverge_by_the_criteria_rule(xor):
    X, y = xor
    result = mc.train_ensemble([2, 4, 1], X, y, seeds=range(8), loss="bce", lr=10.0, epochs=60, record_loss=True)
    assert result.diverged[1] and result.diverged_at[1] == 5  # as mc.train and the playground
    gentle = mc.train_ensemble([2, 4, 1], X, y, seeds=range(8), loss="bce", lr=1.0, epochs=60)
    assert not gentle.diverged.any()
    for i in np.flatnonzero(result.diverged):  # the epoch that diverged is not recorded
        assert np.all(np.isnan(result.loss_curves[i, result.diverged_at[i]:]))


@pytest.mark.parametrize("lr", [100, 1e3, 1e10, 1e100, 1e300])
def test_huge_learning_rates_diverge_every_member(lr, xor):
    X, y = xor
    result = mc.train_ensemble([2, 4, 1], X, y, seeds=range(10), loss="bce", lr=lr, epochs=50, return_weights=True)
    assert result.diverged.all()
    for p in result.weights + result.biases:
        assert np.all(np.isfinite(p))


def test_the_largest_seed_is_accepted_like_mlp(xor):
    X, y = xor
    result = mc.train_ensemble([2, 3, 1], X, y, seeds=[2**63 - 1, np.int64(3)], epochs=0, return_weights=True)
    assert result.seeds.tolist() == [2**63 - 1, 3]
    np.testing.assert_array_equal(result.weights[0][0], mc.MLP([2, 3, 1], seed=2**63 - 1).weights[0])


def test_solved_is_criteria_s():
    from mlp_course import criteria, ensemble

    assert ensemble.SOLVED_MSE is criteria.SOLVED_MSE
