"""Exercise checks of notebook 02, *Debugging backprop*.

=====================  ===========================================================================
exercise               the learner writes
=====================  ===========================================================================
sigmoid_derivative     ``sigmoid_derivative(z)``: σ′(z) for an array z, without overflow
output_delta           ``output_delta(o, y)``: δ = dc/dz of the output layer, per sample
train_step             ``train_step(x, t, W_in, b_in, W_out, b_out, learning_rate)``: a per-sample
                       step of a network never seen before (4-4-2, tanh hidden units, sigmoid
                       outputs), its four bugs found with the checklist and fixed
initial_weights        ``initial_weights(sizes, rng)``: a start from which backprop can learn
=====================  ===========================================================================

One idea a module: :mod:`.pieces` (2.1, 2.2, 2.4: pieces of backprop, which recognise the question's
own mistakes) and :mod:`.unseen` (2.3: the checklist applied to a new network).
"""

from .pieces import *  # noqa: F403
from .pieces import __all__ as _pieces
from .unseen import *  # noqa: F403
from .unseen import __all__ as _unseen

__all__ = [*_pieces[:2], *_unseen, *_pieces[2:]]
