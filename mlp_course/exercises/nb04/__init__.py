"""Exercise checks of notebook 04, *Vectorized backprop*.

=====================  ===========================================================================
exercise               the learner writes
=====================  ===========================================================================
loss_batch             ``loss_batch(X, y, weights, biases)``: the mean loss of a 2-layer net, no
                       loop over the samples
output_gradients       ``output_gradients(H, o, y)``: dL/dW1 and dL/db1 of the mean loss, no loop
per_sample_gradients   ``per_sample_gradients(H, o, y)``: every sample's own dℓ/dW1 as one
                       (n, n_hidden, n_out) array, no loop
backward               ``backward_sigmoid(X, y, weights, biases)``: every gradient of a 2-layer
                       sigmoid network, for a whole batch at once
=====================  ===========================================================================

One idea a module: :mod:`.vectorize` (4.1–4.3, a given loop to vectorize) and :mod:`.backward`
(4.4, the whole vectorized backward pass, judged by the diagnoser).
"""

from .backward import *  # noqa: F403
from .backward import __all__ as _backward
from .vectorize import *  # noqa: F403
from .vectorize import __all__ as _vectorize

__all__ = [*_vectorize, *_backward]
