"""Moved to `quiz.bank.lint`; this alias stays only until `quiz/cli/bank_cmds.py` imports it from there."""

from quiz.bank.lint import lint, near_duplicates, near_equal

__all__ = ["lint", "near_duplicates", "near_equal"]
