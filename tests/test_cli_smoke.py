from typer.testing import CliRunner

from api.cli import app


def test_help_lists_the_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "公文" in result.output
