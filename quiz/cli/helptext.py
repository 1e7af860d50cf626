"""Help that reads as written for people: an argument shows as `ID` or `ID...` (not Typer's `{ID}`), with no
`<list[str]>` type label, and an option's value by its name (`--era ERA`, not `--era <str>`). The one module
that touches those Typer names; it changes nothing where Typer's parameters are not what it expects."""

from __future__ import annotations

from typing import Any


def plain_help(command: Any) -> Any:
    """`command` (and a group's subcommands) with its arguments shown by their metavar alone."""
    for param in getattr(command, "params", ()):
        if getattr(param, "param_type_name", "") == "option" and not getattr(param, "is_flag", True) \
                and getattr(param, "metavar", "") is None and param.name:
            param.metavar = param.name.upper()  # `--title-en TITLE_EN`, not `--title-en <str>`
            continue
        if getattr(param, "param_type_name", "") != "argument" or not hasattr(param, "_usage_display_name"):
            continue
        name = str(param.metavar or param.name or "").upper()
        if not param.metavar and param.nargs != 1:
            name += "..."
        usage = name if param.required else f"[{name}]" if not name.startswith("[") else name
        param._usage_display_name = lambda usage=usage: usage
        param._rich_display_name = lambda name=name: name.strip("[]")
        param.display_type_rich = lambda ctx: None
        param.make_metavar = lambda ctx=None, usage=usage: usage
    for sub in getattr(command, "commands", {}).values():
        plain_help(sub)
    return command
