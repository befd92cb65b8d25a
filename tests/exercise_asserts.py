"""Assertions shared by the exercise tests (tests/test_exercises_nb*.py)."""

import mlp_course as mc


def assert_not_yet(result, *words):
    """``result`` is a "✗ not yet" whose hint contains every one of ``words``."""
    assert isinstance(result, mc.exercises.CheckResult) and not result.passed and not result
    assert str(result).startswith("✗ not yet")
    for word in words:
        assert word in result.message, (word, result.message)


def assert_passed(result):
    """``result`` is a "✓ passed"."""
    assert result.passed and str(result).startswith("✓ passed"), result
