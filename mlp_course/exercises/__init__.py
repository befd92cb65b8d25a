"""Self-checking exercises: one ``check_<name>`` per exercise of notebooks 02–07.

Each check takes the learner's answer (usually a function) and returns a :class:`CheckResult`:
"✓ passed" with what was verified, or "✗ not yet" with a specific hint that never gives the answer.
A check never raises because of the answer: an untouched cell (still ``...``) is simply "not yet".

>>> import mlp_course as mc
>>> print(mc.exercises.check_sigmoid_derivative(...))  # doctest: +ELLIPSIS
✗ not yet (sigmoid_derivative): replace the `...` in the cell marked `# YOUR CODE` with
    your answer, run that cell, then this one

For graders that fail a test only on an exception (nbgrader, Otter-Grader), ``require(check_…(…))``
returns the passed result and raises ``AssertionError`` with the hint otherwise.

The reference solutions live in :mod:`mlp_course.teacher.solutions` (one module per notebook); the
tests (``tests/test_exercises_nb*.py``) prove that each check accepts them and rejects typical wrong
answers. A notebook's checks are the module ``nbNN`` or, when they are many, the modules of the package
``nbNN/`` (one idea each).
"""

from ._check import CheckResult, require
from .nb02 import *  # noqa: F403
from .nb02 import __all__ as _nb02
from .nb03 import *  # noqa: F403
from .nb03 import __all__ as _nb03
from .nb04 import *  # noqa: F403
from .nb04 import __all__ as _nb04
from .nb05 import *  # noqa: F403
from .nb05 import __all__ as _nb05
from .nb06 import *  # noqa: F403
from .nb06 import __all__ as _nb06
from .nb07 import *  # noqa: F403
from .nb07 import __all__ as _nb07

__all__ = ["CheckResult", "require", *_nb02, *_nb03, *_nb04, *_nb05, *_nb06, *_nb07]
