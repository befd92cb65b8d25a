"""The StackOverflow story: the question's broken XOR network, the accepted answer, and a fix ladder.

The seed of this course is a StackOverflow question ("I cannot get backpropagation to work") and
its accepted answer, both quoted under CC BY-SA with attribution to their StackOverflow
authors. The seed reached us through a Chinese translation that flattened every indentation and
did not keep the authors' names; the indentation is restored, and so are the closing quotes of the
answer's ``cost_d`` docstring, which the translation dropped. Nothing else is changed.

One idea per module (everything is re-exported here, so ``mc.stackoverflow.<name>`` works):

``seed``
    The programs' shared data ``X``, ``y`` and helpers ``activation``, ``activation_d``, ``cost``,
    ``cost_d``, verbatim.
``trace``
    :class:`Trace`, what a run did (the post's printed lines, every epoch's mean cost, when XOR
    was solved by :mod:`mlp_course.criteria`), :func:`post_printout`, :func:`round_floats`.
``question``
    :func:`train_question`: the question's ``mlp_train``, line for line, instrumented only.
    ``verbose=True`` prints the post's lines.
``answer``
    :func:`train_answer`: the accepted answer's ``mlp_train``, line for line (``fast=True`` runs
    a pure-Python-float transcription of the same arithmetic, several times faster);
    :func:`answer_gradients`, the gradient its step effectively descends.
``fixes``
    The fix ladder: :data:`FIXES`, :data:`REQUIRES`, :func:`check_fixes`, :func:`ladder`;
    :func:`train_fixed`, the question's trainer with each bug fix switchable by name, and
    :func:`per_neuron_gradients`, the gradient its step effectively descends (with every fix,
    exactly backpropagation's).
``gradients``
    Those gradients against the truth: :func:`mlp_gradients` (backprop, from ``mc.MLP``),
    :func:`epoch_gradients`, :func:`numerical_epoch_gradients`, :func:`check_gradients`; and
    :func:`question_backward`, :func:`answer_backward` for :func:`mlp_course.diagnose_backprop`.
``plots``
    :data:`INPUT_LABELS`, :data:`INPUT_STYLES`, :func:`input_style`, :func:`plot_trace`, :func:`plot_losses`.
"""

from .answer import answer_gradients, train_answer
from .fixes import (
    FIXES,
    REQUIRES,
    PerNeuronStep,
    check_fixes,
    ladder,
    per_neuron_gradients,
    per_neuron_step,
    train_fixed,
)
from .gradients import (
    answer_backward,
    check_gradients,
    epoch_gradients,
    mlp_gradients,
    numerical_epoch_gradients,
    question_backward,
)
from .plots import INPUT_LABELS, INPUT_MARKERS, INPUT_STYLES, input_style, plot_losses, plot_trace
from .question import train_question
from .seed import X, activation, activation_d, cost, cost_d, y
from .trace import Trace, post_printout, round_floats

__all__ = [
    "FIXES",
    "INPUT_LABELS",
    "INPUT_MARKERS",
    "INPUT_STYLES",
    "PerNeuronStep",
    "REQUIRES",
    "Trace",
    "X",
    "activation",
    "activation_d",
    "answer_backward",
    "answer_gradients",
    "check_fixes",
    "check_gradients",
    "cost",
    "cost_d",
    "epoch_gradients",
    "input_style",
    "ladder",
    "mlp_gradients",
    "numerical_epoch_gradients",
    "per_neuron_gradients",
    "per_neuron_step",
    "plot_losses",
    "plot_trace",
    "post_printout",
    "question_backward",
    "round_floats",
    "train_answer",
    "train_fixed",
    "train_question",
    "y",
]
