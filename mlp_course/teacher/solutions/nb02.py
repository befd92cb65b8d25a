"""Reference solutions of notebook 02's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb02.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import numpy as np

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_sigmoid_derivative": ("sigmoid_derivative",),
    "check_output_delta": ("output_delta",),
    "check_train_step": ("train_step",),
    "check_initial_weights": ("initial_weights",),
}


def sigmoid_derivative(z):
    a = mc.activations.sigmoid(z)  # stable: no overflow at any z
    return a * (1 - a)


def output_delta(o, y):
    return (o - y) * o * (1 - o)  # dc/do · do/dz, with σ′(z) written through o = σ(z)


def train_step(x, t, W_in, b_in, W_out, b_out, learning_rate):
    """One sample: x (n_in,), t (n_out,), W_in (n_in, n_hid), b_in (n_hid,), W_out (n_hid, n_out), b_out (n_out,).

    a = tanh(x W_in + b_in), o = σ(a W_out + b_out), cost ½‖o − t‖². Updates the four arrays in place by
    gradient descent; returns the cost and the gradients [d W_in, d b_in, d W_out, d b_out] at the
    parameters it received.
    """
    a = np.tanh(x @ W_in + b_in)  # (n_hid,) hidden activations
    o = mc.activations.sigmoid(a @ W_out + b_out)  # (n_out,) outputs
    cost = 0.5 * np.sum((o - t) ** 2)
    d_cost__d_z_out = (o - t) * o * (1 - o)  # (n_out,) δ of the output layer: dc/do · σ′(z_out)
    d_cost__d_W_out = np.outer(a, d_cost__d_z_out)  # (n_hid, n_out)
    d_cost__d_z_hid = (W_out @ d_cost__d_z_out) * (1 - a ** 2)  # (n_hid,) δ of the hidden layer: tanh′(z) = 1 − a²
    d_cost__d_W_in = np.outer(x, d_cost__d_z_hid)  # (n_in, n_hid)
    W_out -= learning_rate * d_cost__d_W_out  # the updates come last: every δ used the forward pass's weights
    b_out -= learning_rate * d_cost__d_z_out
    W_in -= learning_rate * d_cost__d_W_in
    b_in -= learning_rate * d_cost__d_z_hid
    return cost, [d_cost__d_W_in, d_cost__d_z_hid, d_cost__d_W_out, d_cost__d_z_out]


def initial_weights(sizes, rng):
    return [rng.standard_normal((n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
