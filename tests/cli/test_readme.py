"""The README's command table says what each command's --help says: every option, and no other."""

import argparse
import re
from pathlib import Path

from curatorbot.cli.main import build_parser

README = Path(__file__).parents[2] / "README.md"
SHARED = {"--help", "--config"}  # every command takes these; the README says so once, under the table


def subcommands() -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def table_rows() -> dict[str, str]:
    rows = {}
    commands = README.read_text(encoding="utf-8").split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    for line in commands.splitlines():
        if match := re.match(r"^\| `curatorbot ([\w-]+)(?P<usage>[^`]*)` \|", line):
            rows[match.group(1)] = match.group("usage")
    return rows


def test_every_command_has_a_row_and_every_row_a_command() -> None:
    assert set(table_rows()) == set(subcommands())


def test_each_row_names_exactly_the_options_of_its_commands_help() -> None:
    rows = table_rows()
    for name, parser in subcommands().items():
        options = {o for a in parser._actions for o in a.option_strings if o.startswith("--")} - SHARED
        in_readme = set(re.findall(r"--[a-z][a-z-]*", rows[name]))
        assert in_readme == options, f"{name}: README lacks {options - in_readme}, has extra {in_readme - options}"


def test_the_readme_shows_the_rendered_dashboard_golden_file() -> None:
    golden = (Path(__file__).parents[1] / "golden" / "dashboard_body.md").read_text(encoding="utf-8")
    shown = golden.split("\n<!-- curatorbot:")[0].rstrip("\n")
    assert f"<details><summary>The dashboard issue's body</summary>\n\n{shown}\n\n</details>" in README.read_text(
        encoding="utf-8"
    )
