"""Reference solutions of notebook 06's exercises: each runs as is in the notebook's `# YOUR CODE` cell.

The one home of these answers: the tests (tests/test_exercises_nb06.py), the graded exports
(``make assignments``) and the teacher's solved notebooks (``make solutions``) all take them from here.
"""

import mlp_course as mc

so = mc.stackoverflow

ANSWERS = {  # each check → the top-level names below that make up its `# YOUR CODE` cell, in this file's order
    "check_small_circle": ("small_circle",),
    "check_divergence_edge": ("diverging", "stable"),
    "check_spiral_challenge": ("spiral",),
}


small_circle = {"dataset": "circle", "hidden_layers": 1, "units": 3, "loss": "bce", "lr": 1.0, "epochs": 1000}
diverging = {"dataset": "xor", "loss": "bce", "lr": 6.31}  # the slider's step after 5.012
stable = {"dataset": "xor", "loss": "bce", "lr": 5.012}
spiral = {"dataset": "spiral", "hidden_layers": 2, "units": 8, "loss": "bce", "lr": 1.0, "epochs": 2000}
