"""The entry point: the command table, help, metavars, what a start-up loads, the exit
code of every way a run ends (through real runs) and shell completion."""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sreladder import __version__
from sreladder.cli.app import COMMANDS, app, build_command, command_function, summary
from sreladder.cli.common import rerun_hint

DATA = Path(__file__).resolve().parents[1] / "data"
ASSESSMENT = Path(__file__).parent / "fixtures" / "packet" / "dana-manager.yaml"


def cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """A real run of ``python -m sreladder`` (as the console script runs it)."""
    return subprocess.run(
        [sys.executable, "-m", "sreladder", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def with_stub(name: str, body: str, *args: str, env: dict[str, str] | None = None):
    """A real run in which command ``name`` does ``body``: the way to make a command
    fail in a way no input can (an internal error, a Ctrl-C at a known moment)."""
    module, function = COMMANDS[name].split(":")
    code = (
        "import importlib, sys, time\n"
        f"module = importlib.import_module('sreladder.cli.{module}')\n"
        "def stub():\n"
        "    '''A stub.'''\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + f"module.{function} = stub\n"
        "from sreladder.cli.app import app\n"
        "app(prog_name='sreladder')\n"
    )
    argv = [sys.executable, "-c", code, name, *args]
    return argv, {**os.environ, **(env or {})}


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- the table and the help ----------------------------------------------------------


@pytest.mark.parametrize("name", COMMANDS)
def test_every_table_entry_is_a_documented_function_built_under_its_name(name):
    function = command_function(name)
    assert function.__module__ == f"sreladder.cli.{COMMANDS[name].split(':')[0]}"
    doc = (function.__doc__ or "").strip()
    first, _, rest = doc.partition("\n\n")
    assert first and "\n" not in first, "the summary is one line, then a blank line"
    assert rest.strip(), "the help says more than the summary"
    assert build_command(name).name == name


def test_help_lists_every_command_with_its_summary_within_80_columns():
    result = CliRunner().invoke(app, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"  {name:<10}{summary(command_function(name))}\n" in result.output
    assert max(map(len, result.output.splitlines())) <= 80


@pytest.mark.parametrize("name", COMMANDS)
def test_a_commands_help_starts_with_the_line_the_list_shows(name):
    listed = CliRunner().invoke(app, ["--help"], terminal_width=200).output
    line = re.search(rf"^  {name} +(.+)$", listed, re.MULTILINE)
    assert line, listed
    own = CliRunner().invoke(app, [name, "--help"], terminal_width=200)
    assert own.exit_code == 0, own.output
    paragraphs = own.output.split("\n\n")
    assert paragraphs[0].startswith(f"Usage: sreladder {name}")
    assert paragraphs[1].strip() == line[1] == summary(command_function(name))
    assert len(paragraphs[2].strip()) > 20  # the rest of the docstring


def test_no_arguments_shows_the_help_and_usage_exit_code():
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 2
    assert "Start here:" in result.output


def test_a_mistyped_command_suggests_the_right_one():
    result = CliRunner().invoke(app, ["valdate"])
    assert result.exit_code == 2
    assert "Did you mean 'validate'?" in result.output


# --- metavars and messages without type names ------------------------------------------

TYPE_LABEL = re.compile(r"<(str|int|path|list|float|bool|[a-z]+\|)[^>]*>|\{[A-Z]+\}")


@pytest.mark.parametrize("name", COMMANDS)
def test_help_names_values_as_people_do_not_by_type(name):
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert not TYPE_LABEL.search(result.output), result.output
    usage = result.output.splitlines()[0]
    assert "{" not in usage and "<" not in usage


# Typer before it vendored Click (0.19, the floor) drops an argument's help without Rich
ARGUMENT_HELP = build_command("score").params[0].help is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("score", "Usage: sreladder score [OPTIONS] FILE\n"),
        ("score", "  -t, --target LEVEL "),
        ("score", "  FILE  An assessment file."),
        ("packet", "  -f, --format md|html|json "),
        ("packet", "  -c, --compare FILE "),
        ("assess", "  --evidence FILE "),
        ("assess", "  --data DIR "),
        ("evidence", "Usage: sreladder evidence [OPTIONS] SOURCE...\n"),
        ("evidence", "  SOURCE...  Brag"),
        ("validate", "Usage: sreladder validate [OPTIONS] [PATH]...\n"),
        ("compare", "Usage: sreladder compare [OPTIONS] A B\n"),
        ("team", "  -j, --jobs N "),
        ("diff", "Usage: sreladder diff [OPTIONS] ROLE FROM TO\n"),
        ("schema", "  KIND  Print only this schema: ladder, role or assessment."),
    ],
)
def test_help_shows_these_names(name, expected):
    if expected.startswith(("  FILE  ", "  SOURCE...  ", "  KIND  ")) and not ARGUMENT_HELP:
        pytest.skip("this Typer keeps an argument's help for Rich only (as before)")
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=100)
    assert expected in result.output, result.output


@pytest.mark.parametrize(
    "args",
    [["packet", str(ASSESSMENT), "--format", "pdf"], ["schema", "pdf"], ["roles", "-f", "pdf"]],
)
def test_a_bad_choice_is_a_usage_error_without_pydantics_prefix(args):
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert "'pdf' is not one of" in result.stderr
    assert "Value error" not in result.stderr


def test_a_config_error_from_pydantic_reaches_the_user_without_its_prefix(tmp_path):
    shutil.copytree(DATA, tmp_path / "d")
    (tmp_path / "d" / ".sreladder.yaml").write_text("lint:\n  min-words: 9\n  max-words: 3\n")
    result = cli("lint", str(tmp_path / "d"))
    assert result.returncode == 1, result.stderr
    assert one_line(result.stderr).endswith("lint: min-words (9) is above max-words (3)")


def test_a_broken_rubric_names_the_validate_command_with_the_data_given(tmp_path):
    data = tmp_path / "my data"
    shutil.copytree(DATA, data)
    role = data / "roles" / "sre.yaml"
    role.write_text("colour: blue\n" + role.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("roles", "--data", str(data), env={"SRELADDER_NO_CACHE": "1"})
    assert result.returncode == 1, result.stderr
    assert f"run `sreladder validate '{data}'` for all" in result.stderr
    assert "`sreladder validate`" not in result.stderr
    # and the command it names does what it says
    assert "colour" in cli("validate", str(data), env={"SRELADDER_NO_CACHE": "1"}).stdout


@pytest.mark.parametrize("option", ["--after", "--data"])
def test_a_broken_ladder_folder_names_the_validate_command_for_it(tmp_path, option):
    data = tmp_path / "new"
    shutil.copytree(DATA, data)
    role = data / "roles" / "sre.yaml"
    role.write_text("a: 1\nb: 2\n" + role.read_text(encoding="utf-8"), encoding="utf-8")
    if option == "--after":
        result = cli("impact", str(ASSESSMENT), "--before", str(DATA), "--after", str(data))
    else:
        result = cli("site", "--out", str(tmp_path / "site"), "--data", str(data))
    assert result.returncode == 1, result.stderr
    assert f"(and 1 more: `sreladder validate {data}` lists them) ({option})" in result.stderr


def test_a_broken_assessment_names_the_validate_command_for_it(tmp_path):
    data = tmp_path / "d"
    shutil.copytree(DATA, data)
    broken = tmp_path / "team" / "bad.yaml"
    broken.parent.mkdir()
    unknown = "".join(f"extra{n}: 1\n" for n in range(7))
    broken.write_text(unknown + ASSESSMENT.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["score", str(broken)], ["team", str(broken.parent)]):
        result = cli(*args, "--data", str(data))
        assert result.returncode == 1, result.stderr
        assert f"`sreladder validate --data {data} {broken}` lists" in result.stderr
        assert "`sreladder validate`" not in result.stderr
    rerun = cli("validate", "--data", str(data), str(broken))
    assert rerun.returncode == 1 and rerun.stdout.count("E102") == 7


def test_rerun_hint_adds_the_data_folder_to_each_validate_command():
    said = "run `sreladder validate` for all; `sreladder validate a.yaml` lists them"
    assert rerun_hint(said, None) == said
    assert rerun_hint(said, Path("d")) == (
        "run `sreladder validate d` for all; `sreladder validate --data d a.yaml` lists them"
    )
    assert rerun_hint("`sreladder validate`", Path("a b")) == "`sreladder validate 'a b'`"


# --- what a start-up loads -------------------------------------------------------------


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


HEAVY = {"rich", "pydantic", "yaml", "jinja2", "openpyxl", "shellingham.posix"}  # posix: detection
LAYERS = ("sreladder.core", "sreladder.io", "sreladder.present", "sreladder.tty")


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_start_up_loads_no_heavy_library_and_no_other_layer(args):
    loaded = _modules_loaded_by(*args)
    assert loaded & HEAVY == set()
    assert not [m for m in loaded if m.startswith(LAYERS)]


def test_version_loads_no_command_module():
    loaded = _modules_loaded_by("--version")
    assert {m for m in loaded if m.startswith("sreladder.cli.")} == {"sreladder.cli.app"}


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


# --- exit codes, each through a real run -----------------------------------------------


def test_exit_0_when_done():
    result = cli("roles", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("{") and result.stderr == ""


def test_exit_1_and_one_line_for_bad_input():
    result = cli("show", "no-such-role")
    assert result.returncode == 1
    assert one_line(result.stderr).startswith("sreladder: ")
    assert result.stdout == ""


def test_exit_1_and_one_line_when_the_machine_refuses(tmp_path):
    result = cli("export", "sre", "--out", str(tmp_path / "missing" / "sre.csv"))
    assert result.returncode == 1, result.stderr
    assert one_line(result.stderr).startswith("sreladder: ")


@pytest.mark.parametrize(
    "args",
    [
        ["score"],  # Click's: a missing argument
        ["roles", "--no-such-option"],
        ["evidence", str(ASSESSMENT)],  # the project's UsageError: which role?
        ["team", "no-such-folder"],
    ],
)
def test_exit_2_for_a_usage_error(args):
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_exit_3_and_one_line_for_an_internal_error():
    argv, env = with_stub("roles", "raise ValueError('a bug\\nover two lines')")
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert result.returncode == 3
    line = one_line(result.stderr)
    assert line.startswith("sreladder: internal error: ValueError: a bug over two lines")
    assert "SRELADDER_DEBUG=1" in line


def test_sreladder_debug_shows_the_traceback_and_still_exits_3():
    argv, env = with_stub("roles", "raise ValueError('a bug')", env={"SRELADDER_DEBUG": "1"})
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "in stub" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("sreladder: internal error:")


def test_exit_130_on_ctrl_c():
    argv, env = with_stub(
        "roles", "sys.stderr.write('ready\\n')\nsys.stderr.flush()\ntime.sleep(60)"
    )
    child = subprocess.Popen(
        argv, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stderr is not None
        assert child.stderr.readline() == "ready\n"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 130
    assert one_line(err) == "sreladder: interrupted"


@pytest.mark.parametrize(
    "args", [["roles"], ["show", "sre", "--format", "md"], ["--help"], ["--version"]]
)
def test_exit_0_and_silence_when_the_reader_goes_away(args):
    child = subprocess.Popen(
        [sys.executable, "-m", "sreladder", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # the reader is gone before anything is written (`| head -0`)
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 0, err
    assert err == ""


def test_a_bad_value_is_a_usage_error_in_a_real_run():
    result = cli("evidence", str(ASSESSMENT), "--top", "50")
    assert result.returncode == 2
    assert "Invalid value for '--top' / '-k'" in result.stderr


# --- shell completion ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "expected"),
    [
        ("bash", "complete -o default -F _sreladder_completion sreladder"),
        ("zsh", "#compdef sreladder"),
        ("fish", "complete --command sreladder"),
    ],
)
def test_show_completion_prints_the_script_for_the_shell_named(shell, expected):
    result = CliRunner().invoke(app, ["--show-completion", shell])
    assert result.exit_code == 0, result.output
    assert expected in result.output
    assert "_SRELADDER_COMPLETE=complete_" + shell in result.output


def test_show_completion_refuses_a_shell_it_does_not_know():
    result = CliRunner().invoke(app, ["--show-completion", "tcsh"])
    assert result.exit_code == 2
    assert "'tcsh' is not one of 'bash', 'zsh'" in result.output


def test_install_completion_writes_the_script_for_the_shell_named(tmp_path):
    result = cli("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "bash completion installed in" in result.stdout
    script = tmp_path / ".bash_completions" / "sreladder.sh"
    assert "_sreladder_completion" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("sreladder val", 1, ["validate"]),
        ("sreladder packet --format ", 3, ["md", "html", "json"]),
        ("sreladder s", 1, ["score", "show", "schema", "site"]),
    ],
)
def test_the_script_calls_back_and_gets_completions(words, cword, expected):
    env = {"_SRELADDER_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = cli(env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected


def test_showing_the_script_builds_no_command():
    loaded = _modules_loaded_by("--show-completion", "bash")
    assert {m for m in loaded if m.startswith("sreladder.cli.")} == {"sreladder.cli.app"}
    assert not [m for m in loaded if m.startswith(LAYERS)]


@pytest.mark.parametrize("shell", ["zsh", None])
def test_without_a_shell_named_the_current_one_is_used(monkeypatch, shell):
    cli_app = sys.modules["sreladder.cli.app"]  # the package's `app` is the Typer app
    monkeypatch.setattr(cli_app, "_current_shell", lambda: shell)
    result = CliRunner().invoke(app, ["--show-completion"])
    if shell is None:  # not named and not found: a usage error asks for it
        assert result.exit_code == 2
        assert "Invalid value for '--show-completion': name the shell (bash, zsh" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert "#compdef sreladder" in result.output


def test_evidence_top_default_is_the_cores():
    from sreladder.core.evidence import TOP_MATCHES

    top = next(p for p in build_command("evidence").params if p.name == "top")
    assert top.default == TOP_MATCHES
