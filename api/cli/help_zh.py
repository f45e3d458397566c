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


class _WhenImported:
    """A finder at the front of `sys.meta_path` that runs `then(module)` right after
    `name` is imported, wherever the import comes from. typer imports rich_utils only to
    draw a help screen; importing it ourselves cost every command a tenth of a CPU-second."""

    def __init__(self, name: str, then):
        self.name, self.then = name, then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        import importlib.util
        import sys

        sys.meta_path.remove(self)  # one import to watch; the real finders find it
        spec = importlib.util.find_spec(fullname)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run, then = loader.exec_module, self.then

        class Loader(type(loader)):  # the module's own loader, then the settings
            def exec_module(self, module):
                run(module)
                then(module)

        loader.__class__ = Loader
        return spec


def install() -> None:
    import sys

    if "typer.rich_utils" in sys.modules:
        _rich_settings(sys.modules["typer.rich_utils"])
    elif not any(isinstance(f, _WhenImported) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenImported("typer.rich_utils", _rich_settings))
    _click_frame()


def _rich_settings(rich_utils) -> None:
    for name, value in RICH_SETTINGS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, value)
    # the usage line is coloured by a regex on its prefix
    highlighter = getattr(rich_utils, "OptionHighlighter", None)
    if highlighter is not None:
        highlighter.highlights = [h.replace("Usage: ", USAGE) for h in highlighter.highlights]


def _click_frame() -> None:
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
