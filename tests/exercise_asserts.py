"""Assertions shared by the exercise tests (tests/test_exercises_nb*.py)."""

import re

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


def hint_text(result):
    """``result``'s message without the learner's own code it quotes (``line 3 of cell.py: `...```), which
    may contain anything they wrote: what is left is the check's own words, which never give the answer."""
    return re.sub(r": `[^`]*`\)", ")", result.message)


def require_raises_with_hint(result):
    """``mc.exercises.require(result)`` raises an AssertionError carrying the full "✗ not yet" line."""
    try:
        mc.exercises.require(result)
    except AssertionError as error:
        assert str(error) == str(result) and str(error).startswith("✗ not yet"), error
    else:
        raise AssertionError(f"require() did not raise for {result}")
