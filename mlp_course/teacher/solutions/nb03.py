"""Reference solutions of notebook 03's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb03.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import numpy as np

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_answer_step": ("step",),
    "check_stuck_seed": ("stuck_seed",),
    "check_epochs_prediction": ("predicted_epochs_from_a_run", "predicted_epochs"),
}


def step(weights, biases, x, target, learning_rate):
    W_h, W_o = weights
    b_h, b_o = biases
    h = mc.activations.sigmoid(x @ W_h + b_h)  # (n_h,)
    o = mc.activations.sigmoid(h @ W_o + b_o)  # (1,)
    d_cost__d_z_o = (o - target) * o * (1 - o)  # (1,)
    d_cost__d_z_h = (W_o @ d_cost__d_z_o) * h * (1 - h)  # (n_h,): through W_o *before* its update
    new_weights = [W_h - learning_rate * np.outer(x, d_cost__d_z_h), W_o - learning_rate * np.outer(h, d_cost__d_z_o)]
    new_biases = [b_h - learning_rate * d_cost__d_z_h, b_o - learning_rate * d_cost__d_z_o]
    return new_weights, new_biases


stuck_seed = 6  # so.train_answer(seed=6, fast=True) ends at outputs (0.05, 0.50, 0.96, 0.50)


def predicted_epochs_from_a_run():
    """Epochs at lr 0.05 from a run at lr 0.1, assuming learning rate × epochs stays constant."""
    at_0_1 = so.train_answer(seed=3, learning_rate=0.1, until_solved=True, fast=True).solved_at
    return at_0_1 * 0.1 / 0.05


predicted_epochs = predicted_epochs_from_a_run()  # measured at import (0.1 s), as a learner would
