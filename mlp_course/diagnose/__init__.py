"""Which of your gradients is wrong, and what kind of mistake does it look like?

:func:`diagnose_backprop` runs a learner's backward pass on a few small random networks, compares
every gradient array with central differences (:func:`mlp_course.gradcheck.numerical_gradients`),
and, for each wrong array, looks for the known mistake that reproduces it *exactly*. Each mistake is
a small, deliberate change to correct backprop (a "mistake model"); an array is explained by a
mistake when the learner's numbers equal that model's numbers on every random network (relative
error below ``tol``), so a match is evidence, not a guess. The mistakes it knows:

===============================  ======================================================================
``sign_flipped``                 −gradient: the step would climb the loss (the question's ``+=``)
``missing_derivative``           the activation-derivative factor f′(z) left out of a δ
``derivative_at_wrong_place``    f′ taken at the activation a, at the layer's input (the question's
                                 ``activation_d(x)``), or the a-form a(1 − a) fed with z
``wrong_activation_derivative``  another activation's f′: tanh′ = 1 − a² in a sigmoid layer (as
                                 notebook 04's tanh network has it), or σ′ = a(1 − a) in a tanh layer
``wrong_hidden_activation``      the gradient of another network: tanh hidden units, forward and
                                 backward, where the network's are sigmoid (or the reverse)
``transposed``                   an array returned transposed, or δ sent back through W, not Wᵀ
``scaled_by_learning_rate``      lr × gradient: the step returned, or lr applied twice
``scaled_by_batch_size``         n × or 1/n × the gradient of the mean loss (a sum, or mean twice)
``bias_not_summed``              the bias gradient left as one row per sample, shape (n, k)
``stale_weights``                δ sent back through weights already updated by this step
``update_sent_back``             the weights' update lr·δ·a sent back (through updated weights)
                                 instead of δ: every hidden unit gets the same error (the question's bug 4)
``loss_instead_of_derivative``   the output error is the loss itself, not dL/do (the question's bug 1)
``biases_ignored``               the forward pass inside the backward function skips the biases
``elementwise_product``          δ * a element-wise where the outer product aᵀδ belongs (the question's
                                 bug 7: it runs only when the two widths agree)
``constant_factor``              2× or ½× (the ½ of the squared error dropped or doubled)
``reversed_order``               the lists of gradients returned last layer first
===============================  ======================================================================

Arrays that are wrong in a way none of these reproduces are reported as wrong with their size of
error; missing arrays (``None``), wrong shapes, NaN and all-zero arrays are reported as such, and so
is a result that is not the two lists (``d_weights``, ``d_biases``), e.g. one (dW, db) pair per layer. A
diagnosis lists the mistakes it found in a few words each (``diagnosis.mistakes``, e.g. "bias
gradients missing (None)") and by key (``diagnosis.mistake_keys``, e.g. ``"missing"``).

The learner's function, for ``weights[l]`` of shape (sizes[l], sizes[l+1]) and rows as samples::

    backward(X, y, weights, biases)                  -> (d_weights, d_biases)
    backward(X, y, weights, biases, learning_rate)   -> (d_weights, d_biases)   or None

``X`` (n, sizes[0]), ``y`` (n, sizes[-1]); the loss is the package's: the mean over the n samples of
½‖o − y‖² (``"mse"``) or of the binary cross-entropy (``"bce"``). A five-argument function that
returns None is a training *step*: it updates ``weights`` and ``biases`` in place, and the gradient it
followed is read off as (before − after) / learning_rate.

The package, one idea a module: :mod:`~mlp_course.diagnose.mistakes` (the mistake models),
:mod:`~mlp_course.diagnose.run` (calling the learner's function safely; failures become verdicts),
:mod:`~mlp_course.diagnose.explain` (naming the mistake behind one array),
:mod:`~mlp_course.diagnose.report` (the verdicts and their text) and this module, which runs them
on the random networks.
"""

from __future__ import annotations

import numpy as np

from .. import activations as _activations
from .. import losses as _losses
from .._validate import check_choice, check_int, check_positive_float, check_seed
from ..gradcheck import numerical_gradients
from ..gradreport import check_tol
from ..network import MLP
from .explain import close, explain, worst_error
from .mistakes import MISTAKES, mistake_models, model_gradients
from .report import PROBLEMS, ArrayDiagnosis, BackpropDiagnosis, CallProblem
from .run import Unjudged, as_array, describe_error, learner_gradients, learner_line, takes_learning_rate, warning_cause

__all__ = ["diagnose_backprop", "BackpropDiagnosis", "ArrayDiagnosis", "CallProblem", "MISTAKES", "PROBLEMS",
           "DEFAULT_SIZES", "DEFAULT_SAMPLES", "describe_error", "learner_line", "warning_cause"]

DEFAULT_SIZES: tuple[tuple[int, ...], ...] = ((3, 4, 2), (2, 5, 1), (4, 3, 3))
"""The random networks a diagnosis uses unless told otherwise: no two layer widths alike in the
first two (so a transposed array has the wrong shape), a square hidden-to-output matrix in the third
(so W versus Wᵀ is visible in the numbers too)."""

DEFAULT_SAMPLES: tuple[int, ...] = (5, 7, 6)
"""Batch size of each random network: different from every width, and from each other, so that a
factor n or a missing sum over the samples cannot pass for anything else."""


def _network_description(sizes, n: int) -> str:
    return f"{list(sizes)} with {n} sample{'s' if n > 1 else ''}"


def _check_samples(samples, count: int) -> list[int]:
    """One batch size (an int ≥ 1) per network, from an int or a sequence; None: the defaults, cycled."""
    if samples is None:
        return [DEFAULT_SAMPLES[i % len(DEFAULT_SAMPLES)] for i in range(count)]
    if isinstance(samples, (str, bytes)):
        raise TypeError(f"samples must be an int or a sequence of ints (one batch size per network), got {samples!r}")
    if np.ndim(samples) == 0:
        return [check_int(samples, "samples", minimum=1)] * count
    values = [check_int(s, "samples", minimum=1) for s in samples]
    if len(values) != count:
        raise ValueError(f"samples must give one batch size per network ({count}), got {values}")
    return values


def _check_sizes(sizes, hidden: str, output: str) -> list[MLP]:
    """One network per list of widths in ``sizes`` (one list, or a sequence of lists of the same depth)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise TypeError(f"sizes must be a list of layer widths or a list of such lists, got {sizes!r}")
    sizes = list(sizes)
    one = all(isinstance(s, (int, np.integer)) for s in sizes)
    sizes_list = [sizes] if one else [list(s) if hasattr(s, "__iter__") else s for s in sizes]
    nets = [MLP(s, hidden, output) for s in sizes_list]  # validates every list of widths
    if len({len(net.sizes) for net in nets}) != 1:
        raise ValueError(f"all networks in sizes must have the same number of layers, got {sizes_list}")
    return nets


def _common_verdict(wrong: list[list[tuple[tuple[str, ...], str]]]) -> tuple[tuple[str, ...], str]:
    """The (mistake keys, detail) that explains an array on every network where it was wrong."""
    common = [v for v in wrong[0] if all(v in other for other in wrong[1:])]
    if not common:  # the same kind of mistake with network-specific details (e.g. shapes)
        keys = [k for k, _ in wrong[0] if all(k in [k2 for k2, _ in other] for other in wrong[1:])]
        common = [(k, d) for k, d in wrong[0] if k in keys]
    return common[0] if common else (("unknown",), "")


def diagnose_backprop(
    backward_fn,
    *,
    sizes=DEFAULT_SIZES,
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "mse",
    learning_rate: float = 0.1,
    samples=None,
    with_biases: bool = True,
    seed: int | None = 0,
    tol: float = 1e-4,
) -> BackpropDiagnosis:
    """Check a learner's backward pass array by array and name the mistake behind each wrong one.

    Parameters
    ----------
    backward_fn : callable
        ``backward_fn(X, y, weights, biases)`` or ``backward_fn(X, y, weights, biases,
        learning_rate)`` returning ``(d_weights, d_biases)`` — lists shaped like ``weights``
        (sizes[l], sizes[l+1]) and ``biases`` (sizes[l+1],) — or, for the five-argument form, None
        after updating the parameters in place (see the module docstring). It receives copies.
    sizes : list of int, or a sequence of such lists
        The random networks' layer widths, input first (one list: one network); all must have the
        same depth.
    activation, output_activation : str
        The activations the learner's function assumes (hidden layers, output layer).
    loss : {"mse", "bce"}
        The loss the learner differentiates: the mean over the samples, as in :mod:`mlp_course.losses`.
    learning_rate : float
        Passed to five-argument functions; it is how a gradient scaled by it, or sent back through
        updated (stale) weights, is recognised.
    samples : int, sequence of int, or None
        Batch size of each random network (one per entry of ``sizes``, or one for all), each ≥ 1.
        None: :data:`DEFAULT_SAMPLES`, repeated as needed.
    with_biases : bool
        False: the networks' biases are all zero and their gradients are not judged (for code with
        no biases at all, like the question's code).
    seed : int or None
        Seed of the random networks and data (0 to 2**63 − 1; None: fresh randomness).
    tol : float in (0, 1)
        An array is right when its worst relative error against central differences
        (:func:`mlp_course.gradreport.relative_error`) is below ``tol`` on every network, the rule of
        :func:`mlp_course.gradcheck.gradcheck`; a mistake matches when it reproduces the array to
        within ``tol`` by the same measure.

    Returns
    -------
    BackpropDiagnosis
        One :class:`ArrayDiagnosis` per parameter array (W0, b0, W1, b1, …); or, when the function
        raised or returned the wrong structure, a diagnosis whose ``problem`` says so (with the
        learner's line for an exception). Exceptions in ``backward_fn`` are never re-raised.

    Raises
    ------
    TypeError, ValueError
        For arguments of the diagnoser itself that are invalid (naming the argument).
    """
    if not callable(backward_fn):
        raise TypeError(f"backward_fn must be a function, got {type(backward_fn).__name__}")
    hidden, output = _activations.get(activation), _activations.get(output_activation, "output_activation")
    loss = _losses.check_loss(check_choice(loss, "loss", _losses.LOSSES), output.name)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    tol = check_tol(tol)  # the gradient check's rule: a relative-error tolerance in (0, 1)
    seed = check_seed(seed)
    nets = _check_sizes(sizes, hidden.name, output.name)
    samples_list = _check_samples(samples, len(nets))
    lr = learning_rate if takes_learning_rate(backward_fn) else None
    rng = np.random.default_rng(seed)
    n_layers = len(nets[0].sizes) - 1
    names = [f"{kind}{l}" for l in range(n_layers) for kind in ("W", "b") if kind == "W" or with_biases]
    verdicts: dict[str, list] = {name: [] for name in names}  # per network: None (right) or explain()'s list
    errors = dict.fromkeys(names, 0.0)
    descriptions = [_network_description(net.sizes, n) for net, n in zip(nets, samples_list)]
    for net, n, description in zip(nets, samples_list, descriptions):
        net.weights = [rng.standard_normal(w.shape) for w in net.weights]
        net.biases = [rng.normal(0.0, 0.5, b.shape) if with_biases else np.zeros(b.shape) for b in net.biases]
        X = rng.standard_normal((n, net.sizes[0]))  # (n, sizes[0])
        y = rng.integers(0, 2, (n, net.sizes[-1])).astype(np.float64)  # (n, sizes[-1])
        truth = numerical_gradients(lambda net=net, X=X, y=y: net.loss(X, y, loss), net.parameters)
        try:
            got_w, got_b, warned = learner_gradients(backward_fn, X, y, net.weights, net.biases, lr)
        except Unjudged as failure:
            problem = CallProblem(failure.kind, failure.message, description, failure.line)
            return BackpropDiagnosis((), tuple(descriptions), tol, problem)
        models_grads = [
            (m, model_gradients(m, net.weights, net.biases, X, y, hidden, output, loss, lr))
            for m in mistake_models(net.sizes, loss, lr is not None, hidden.name, output.name)
        ]
        for l in range(n_layers):
            for kind, got in (("W", got_w[l]), ("b", got_b[l])):
                if kind == "b" and not with_biases:
                    continue
                name, true = f"{kind}{l}", truth[2 * l + (kind == "b")]
                mirrored = n_layers - 1 - l
                mirror = truth[2 * mirrored + (kind == "b")] if mirrored != l else None
                g = as_array(got)
                comparable = g is not None and g.shape == true.shape and bool(np.all(np.isfinite(g)))
                with np.errstate(all="ignore"):  # a learner's huge values must not make the comparison warn
                    errors[name] = max(errors[name], worst_error(g, true) if comparable else float("inf"))
                    if comparable and close(g, true, tol):
                        verdicts[name].append(None)
                    else:
                        verdicts[name].append(explain(got, name, l, models_grads, true, mirror, n, lr, tol, warned))
    arrays = []
    for name in names:
        wrong = [v for v in verdicts[name] if v is not None]
        if wrong:
            arrays.append(ArrayDiagnosis(name, False, errors[name], *_common_verdict(wrong)))
        else:
            arrays.append(ArrayDiagnosis(name, True, errors[name]))
    return BackpropDiagnosis(tuple(arrays), tuple(descriptions), tol)
