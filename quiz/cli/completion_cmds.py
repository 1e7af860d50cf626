"""Shell completion for bash, zsh and fish: `quiz completion SHELL` prints the script to source; the shell then
runs `quiz` with `_QUIZ_COMPLETE` set, and Typer's completion (set up only then, in `QuizGroup.main`) completes
commands, options, era ids and question ids. Nothing of this is imported when not completing."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from quiz.cli.app import command
from quiz.errors import UsageError

COMPLETE_VAR = "_QUIZ_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


@command("completion")
def completion_cmd(
    shell: Annotated[str, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
) -> None:
    """Print the shell completion script: `eval "$(quiz completion bash)"` in ~/.bashrc (zsh: ~/.zshrc;
    fish: `quiz completion fish | source` in config.fish)."""
    import sys

    if shell not in SHELLS:
        raise UsageError(f"SHELL: '{shell}' is not a shell quiz completes; use bash, zsh or fish")
    from typer._completion_classes import completion_init
    from typer._completion_shared import get_completion_script

    completion_init()
    sys.stdout.write(get_completion_script(prog_name="quiz", complete_var=COMPLETE_VAR, shell=shell) + "\n")


def _bank(ctx: Any) -> Any:
    from quiz.cli.options import load

    params = getattr(ctx, "params", {}) or {}
    return load(params.get("bank"), bool(params.get("no_builtin"))).bank


def question_ids(ctx: Any, incomplete: str) -> list[str]:
    """The bank's question ids that start with what is typed (the bank as --bank / QUIZ_BANKS give it)."""
    try:
        return [q.id for q in _bank(ctx).questions if q.id.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion never shows an error in the middle of the learner's typing
        return []


def era_ids(ctx: Any, incomplete: str) -> list[str]:
    try:
        return [era.id for era in _bank(ctx).eras if era.id.startswith(incomplete)]
    except Exception:  # noqa: BLE001
        return []
