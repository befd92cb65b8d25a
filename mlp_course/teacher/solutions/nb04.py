"""Reference solutions of notebook 04's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb04.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import numpy as np

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_loss_batch": ("loss_batch",),
    "check_output_gradients": ("output_gradients",),
    "check_per_sample_gradients": ("per_sample_gradients",),
    "check_backward": ("backward_sigmoid",),
}


def loss_batch(X, y, weights, biases):
    (W0, W1), (b0, b1) = weights, biases
    o = mc.activations.sigmoid(np.tanh(X @ W0 + b0) @ W1 + b1)  # (n, 1)
    return 0.5 * np.mean((o[:, 0] - y) ** 2)  # o[:, 0] is (n,) like y: no (n, n) broadcast


def output_gradients(H, o, y):
    d_loss__d_z = (o - y) * o * (1 - o) / len(H)  # (n, n_out): each sample's share of the mean
    return H.T @ d_loss__d_z, d_loss__d_z.sum(axis=0)  # (n_hidden, n) @ (n, n_out); (n_out,)


def per_sample_gradients(H, o, y):
    d_loss_i__d_z = (o - y) * o * (1 - o)  # (n, n_out), no 1/n: each sample's own loss
    return H[:, :, None] * d_loss_i__d_z[:, None, :]  # (n, n_hidden, 1) * (n, 1, n_out)


def backward_sigmoid(X, y, weights, biases):
    W0, W1 = weights
    b0, b1 = biases
    h = mc.activations.sigmoid(X @ W0 + b0)  # (n, n_hidden)
    o = mc.activations.sigmoid(h @ W1 + b1)  # (n, n_out)
    d_loss__d_z1 = (o - y) / len(X) * o * (1 - o)  # (n, n_out): mean over samples of ½‖o − y‖²
    d_loss__d_z0 = (d_loss__d_z1 @ W1.T) * h * (1 - h)  # (n, n_hidden)
    return [X.T @ d_loss__d_z0, h.T @ d_loss__d_z1], [d_loss__d_z0.sum(axis=0), d_loss__d_z1.sum(axis=0)]
