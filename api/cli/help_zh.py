"""A Chinese frame for `--help` (用法 / 参数 / 选项 / 命令 / [默认：…] / 显示此帮助并退出).

Panel titles and markers are typer's own settings (`typer.rich_utils`). The usage
prefix and the help option's text are written by the click that typer carries
(`typer._click` since typer 0.2x; click itself before): the usage prefix through
the context's `formatter_class` (click's hook for a custom help formatter), the help
option's text by wrapping the one factory that makes that option. Each step is
skipped when the library no longer has the hook, so an upgrade can only bring back
English words, never break `--help`; tests/test_cli_help.py notices either way."""
from __future__ import annotations

import importlib

USAGE = "用法："
HELP_TEXT = "显示此帮助并退出。"
METAVARS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
RICH_SETTINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
    "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}


def _click():
    for name in ("typer._click", "click"):
        try:
            return importlib.import_module(f"{name}.core"), importlib.import_module(f"{name}.decorators")
        except ImportError:
            continue
    return None, None


def install() -> None:
    import typer.rich_utils as rich_utils

    for name, value in RICH_SETTINGS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, value)
    # the usage line is coloured by a regex on its prefix
    highlighter = getattr(rich_utils, "OptionHighlighter", None)
    if highlighter is not None:
        highlighter.highlights = [h.replace("Usage: ", USAGE) for h in highlighter.highlights]

    core, decorators = _click()
    if core is None or getattr(decorators.help_option, "_chinese", False):
        return
    base = core.Context.formatter_class

    class ChineseHelpFormatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, chinese in METAVARS.items():
                args = args.replace(english, chinese)
            super().write_usage(prog, args, USAGE if prefix is None else prefix)

    core.Context.formatter_class = ChineseHelpFormatter
    make_help_option = decorators.help_option

    def help_option(*args, **kwargs):
        decorate = make_help_option(*args, **kwargs)

        def apply(command):
            command = decorate(command)
            params = getattr(command, "params", None) or getattr(command, "__click_params__", None) or []
            if params:
                params[-1].help = HELP_TEXT
            return command

        return apply

    help_option._chinese = True  # type: ignore[attr-defined]
    decorators.help_option = help_option
