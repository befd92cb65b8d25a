"""Reference solutions of notebook 07's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb07.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import numpy as np

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_spiral_network": ("spiral_network", "net"),
    "check_early_stopping_epoch": ("early_stopping_epoch", "best_epoch"),
    "check_minibatches": ("minibatches",),
}


def spiral_network():
    """Exercise 7.1, as the learner writes it in the notebook (``spiral`` is section 3's split)."""
    spiral = mc.experiments.make_split("spiral", n=300, noise=0.05, seed=0)
    net = mc.MLP([2, 8, 8, 1], activation="tanh", init="xavier", seed=0)
    mc.train(net, spiral.X_train, spiral.y_train, lr=1.0, epochs=2000, loss="bce")
    return net


net = spiral_network()  # the name the notebook's check cell passes


def early_stopping_epoch():
    """Exercise 7.2: rerun section 2's big network and read off its lowest test loss."""
    circle = mc.experiments.make_split("circle", n=60, noise=0.25, test_fraction=0.5, seed=1)
    big = mc.experiments.run(circle, [2, 32, 32, 1], lr=0.3, epochs=3000, label="big")
    return int(np.argmin(big.history.val_loss)) + 1


best_epoch = early_stopping_epoch()


def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]

