"""Reference solutions of notebook 02's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb02.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_sigmoid_derivative": ("sigmoid_derivative",),
    "check_output_delta": ("output_delta",),
    "check_backward": ("backward",),
    "check_initial_weights": ("initial_weights",),
}


def sigmoid_derivative(z):
    a = mc.activations.sigmoid(z)  # stable: no overflow at any z
    return a * (1 - a)


def output_delta(o, y):
    return (o - y) * o * (1 - o)  # dc/do · do/dz, with σ′(z) written through o = σ(z)


def backward(X, y, weights, biases):
    W0, W1 = weights
    b0, b1 = biases
    h = mc.activations.sigmoid(X @ W0 + b0)  # (n, n_hidden)
    o = mc.activations.sigmoid(h @ W1 + b1)  # (n, n_out)
    d_loss__d_z1 = (o - y) / len(X) * o * (1 - o)  # (n, n_out): mean over samples of ½‖o − y‖²
    d_loss__d_z0 = (d_loss__d_z1 @ W1.T) * h * (1 - h)  # (n, n_hidden)
    return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]


def initial_weights(sizes, rng):
    return [rng.standard_normal((n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
