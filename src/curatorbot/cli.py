"""The command line: parse, load config, build adapters, call one core function, print, exit.

Exit codes (README, "Exit codes"): 0 success, 1 findings or a failed stage (nothing written),
2 bad config, usage or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from curatorbot.awesome_list import AwesomeList
from curatorbot.config import Settings, load_settings
from curatorbot.errors import CuratorbotError, ExitCode, InputFileError, UsageError
from curatorbot.lint import lint


def read_list_file(path: Path) -> AwesomeList:
    try:
        # newline="" keeps CRLF and lone CR as they are: the model is lossless only if the reading is.
        with path.open(encoding="utf-8", newline="") as handle:
            return AwesomeList.parse(handle.read())
    except FileNotFoundError as error:
        raise InputFileError(f"{path}: no such file; pass the path of the list's Markdown file") from error
    except IsADirectoryError as error:
        raise InputFileError(f"{path}: is a folder; pass the list's Markdown file inside it") from error
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text; convert the file to UTF-8") from error
    except OSError as error:
        raise InputFileError(f"{path}: cannot read it ({error.strerror}); check its permissions") from error


def local_list_path(argument: str | None, settings: Settings) -> Path:
    if argument:
        return Path(argument)
    if settings.list.local_path is not None:
        return settings.list.local_path
    raise UsageError("no list file given; pass PATH (or --list PATH) or set list.local_path in config.yaml")


def cmd_lint(args: argparse.Namespace, settings: Settings) -> int:
    path = local_list_path(args.path, settings)
    report = lint(read_list_file(path))
    if args.json:
        print(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(f"{path}:{problem.line}: {problem.kind}: {problem.message}")
        print(
            f"{path}: {report.entries} entries, {report.arxiv_ids} distinct arXiv ids, "
            f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}",
            file=sys.stderr,
        )
    return ExitCode.OK if report.clean else ExitCode.FINDINGS_OR_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curatorbot",
        description="Keep a curated list of research papers up to date from arXiv.",
        epilog="Exit codes: 0 success, 1 findings or a failed stage (nothing written), 2 bad config/usage.",
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (default: ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint_parser = commands.add_parser(
        "lint", help="report the list's health: duplicates and malformed entries"
    )
    lint_parser.add_argument("path", nargs="?", help="the list's Markdown file (default: list.local_path)")
    lint_parser.add_argument("--json", action="store_true", help="print a JSON report")
    lint_parser.set_defaults(handler=cmd_lint)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        return int(args.handler(args, settings))
    except CuratorbotError as error:
        print(f"curatorbot: error: {error}", file=sys.stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print("curatorbot: interrupted; nothing was written", file=sys.stderr)
        return int(ExitCode.FINDINGS_OR_FAILED)


if __name__ == "__main__":
    sys.exit(main())
