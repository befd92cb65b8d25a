"""mlp_course: the companion package of the backprop course.

Layers, bottom to top (no module imports one above it; ``tests/test_project.py`` checks it)::

    _validate, datasets, activations, losses, criteria
                                       input checks, data, element-wise maths; "solved" and "diverged"
    network                            MLP: forward pass, backward pass (loss_and_gradients)
    training, gradreport, gradcheck, ensemble
                                       gradient descent; numerical gradient checks for any function;
                                       many seeds at once
    diagnose/                          which of a learner's gradients is wrong, and which mistake it matches
    stackoverflow/                     the question's and the answer's per-neuron code, faithful and
                                       instrumented; the fix ladder
    plotting, progress, backprop_view/ decision boundaries, loss curves, hidden-unit maps; a progress bar;
                                       the backprop diagram (show_backprop)
    experiments                        train and compare networks on a held-out split (notebook 07)
    playground/                        the interactive playground: config, run, live view, widget
    exercises/                         self-checking exercises of notebooks 02–07
    teacher/                           nbgrader/Otter exports, solutions, JupyterLite (not in the wheel)

>>> import mlp_course as mc
>>> X, y = mc.datasets.xor()
>>> net = mc.MLP([2, 4, 1], activation="tanh", seed=0)
>>> net.forward(X).shape
(4, 1)
"""

from . import activations, criteria, datasets, exercises, experiments, losses, stackoverflow
from .backprop_view import BackpropView, show_backprop
from .diagnose import BackpropDiagnosis, diagnose_backprop
from .ensemble import EnsembleResult, train_ensemble
from .gradcheck import GradCheckReport, check_gradient, gradcheck, numerical_gradient
from .network import MLP, Gradients, LossAndOutputs
from .playground import Playground, playground
from .plotting import plot_decision_boundary, plot_hidden_units, plot_loss
from .training import XOR_DEFAULTS, History, accuracy, solved, train

__version__ = "0.1.0"

__all__ = [
    "MLP",
    "Gradients",
    "LossAndOutputs",
    "criteria",
    "Playground",
    "GradCheckReport",
    "History",
    "XOR_DEFAULTS",
    "accuracy",
    "BackpropDiagnosis",
    "BackpropView",
    "show_backprop",
    "diagnose_backprop",
    "activations",
    "datasets",
    "exercises",
    "experiments",
    "gradcheck",
    "numerical_gradient",
    "check_gradient",
    "losses",
    "playground",
    "plot_decision_boundary",
    "plot_hidden_units",
    "plot_loss",
    "solved",
    "stackoverflow",
    "train",
    "EnsembleResult",
    "train_ensemble",
]
