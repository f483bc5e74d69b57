"""The entry point: the lazy command table, --help, --version and what a start-up loads."""

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sreladder import __version__
from sreladder.cli.app import COMMANDS, app, load_module_commands

MODULES = sorted({module for module, _ in COMMANDS.values()})


@pytest.mark.parametrize("module", MODULES)
def test_the_table_names_exactly_the_commands_each_module_registers(module):
    listed = {name for name, (owner, _) in COMMANDS.items() if owner == module}
    assert set(load_module_commands(module)) == listed


def test_help_lists_every_command_with_its_summary_within_80_columns():
    result = CliRunner().invoke(app, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    for name, (_, summary) in COMMANDS.items():
        assert f"  {name}" in result.output and summary in result.output
    assert max(map(len, result.output.splitlines())) <= 80


def test_no_arguments_shows_the_help_and_usage_exit_code():
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert "Start here:" in result.output


def test_a_mistyped_command_suggests_the_right_one():
    result = CliRunner().invoke(app, ["valdate"])
    assert result.exit_code == 2
    assert "Did you mean 'validate'?" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_runs_its_own_help(name):
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: sreladder {name} ")


def _modules_loaded_by(*args: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['sreladder', *{list(args)!r}]\n"
        "from sreladder.cli.app import app\n"
        "try:\n    app()\n"
        "except SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(run.stderr.split())


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_start_up_loads_no_command_and_no_heavy_library(args):
    loaded = _modules_loaded_by(*args)
    heavy = {"rich", "pydantic", "yaml"} | {f"sreladder.cli.{m}" for m in MODULES}
    assert loaded & heavy == set()


def test_a_command_loads_only_its_own_module():
    loaded = _modules_loaded_by("schema", "--help")
    commands = {m for m in loaded if m.startswith("sreladder.cli.")}
    assert commands == {"sreladder.cli.app", "sreladder.cli.schema", "sreladder.cli.common"}


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"sreladder {__version__}\n"


def test_commands_options_and_choices_ignore_case():
    result = CliRunner().invoke(app, ["ROLES", "--FORMAT", "JSON"])
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("{")


def test_error_messages_never_carry_raw_control_characters(capsys):
    from sreladder.cli.common import fail

    exit_ = fail("unknown role 'x\x1b[2J\x1b]8;;http://a\x07'\n  second \u202eline")
    assert exit_.exit_code == 1
    err = capsys.readouterr().err
    expected = "unknown role 'x\\x1b[2J\\x1b]8;;http://a\\x07'\n  second \\u202eline"
    assert err == f"sreladder: {expected}\n"


@pytest.mark.parametrize("args", [["score", "a\x00b"], ["show", "sre", "--level", "\x00"]])
def test_a_nul_byte_in_an_argument_is_a_usage_error(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "NUL byte" in result.output
