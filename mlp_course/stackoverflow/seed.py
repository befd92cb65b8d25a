"""The seed's data and helper functions, verbatim: what both StackOverflow programs define first.

The question and its accepted answer define the same XOR data and the same three helpers
(``activation``, ``activation_d``, ``cost``); the answer adds ``cost_d``. They are quoted here
under CC BY-SA with attribution to their StackOverflow authors, exactly as in
``shared/seed/answer.py`` (indentation restored, ``cost_d``'s closing quotes restored, nothing
else changed). Being verbatim, the four functions keep the seed's own signatures: no type hints,
and ``cost_d``'s docstring is the answer's.

Shapes, for the way the programs call them: ``x`` any array (element-wise); ``y1`` the output,
shape (n_o,) or (1, n_o); ``y2`` the target, a scalar or an array broadcasting against ``y1``.
``cost`` returns a float, ½‖y1 − y2‖²; ``cost_d`` returns an array shaped like ``y1``.
"""

from __future__ import annotations

import numpy as np

# The seed's data, exactly as both programs define it.
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
"""The four XOR inputs, shape (4, 2), int, as in the seed."""
y = np.array([0, 1, 1, 0])
"""The four XOR targets, shape (4,), int, as in the seed."""


# The seed's helper functions, verbatim (both programs define the same three; the answer adds cost_d)
def activation(x):  # sigmoid
    return 1 / (1 + np.exp(-x))


def activation_d(x):  # sigmoid derivative
    s = activation(x)
    return s * (1 - s)


def cost(y1, y2):
    return (np.linalg.norm(y1 - y2) ** 2) / 2


def cost_d(y1, y2):
    """ Compute MSE loss, gradient
    y1: prediction
    y2: target
    grads: same shape with y1 / y2
    """
    # d_sigmoid = sigmoid * (1 - sigmoid)
    return np.array(y1 - y2) * (y1 * (1 - y1))
