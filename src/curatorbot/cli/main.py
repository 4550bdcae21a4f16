"""The command line's entry point: the parser and the dispatch. Light on purpose: a command imports
what it needs when it runs (curatorbot.cli.commands), so `curatorbot --help` starts at once.

Exit codes (README, "Exit codes"): 0 success, 1 lint findings, 2 bad config, usage or input,
3 a service failed after retries (nothing half-written), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from curatorbot.domain.errors import CuratorbotError, ExitCode


def _date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from error


def _month_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month; write YYYY-MM") from error


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number; give 1 or more")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number; give 0 or more")
    return value


def _maintenance_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [k for k in kinds if k not in ("venues", "code", "lint")]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of venues, code, lint (for example venues,lint)")
    return kinds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curatorbot",
        description="Keep a curated list of research papers up to date from arXiv.",
        epilog="Exit codes: 0 success; 1 lint findings; 2 bad config, arguments or input; "
        "3 arXiv, the LLM endpoint or GitHub failed (nothing half-written); 130 interrupted.",
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (default: ./config.yaml)")
    # Every command takes --config too, after its name; SUPPRESS keeps a top-level one from being reset.
    config_option = argparse.ArgumentParser(add_help=False)
    config_option.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="config file")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint_parser = commands.add_parser(
        "lint", parents=[config_option], help="report the list's health: duplicates and malformed entries"
    )
    lint_parser.add_argument("path", nargs="?", help="the list's Markdown file (default: list.local_path, else GitHub)")
    lint_parser.add_argument("--json", action="store_true", help="print a JSON report")

    show_parser = commands.add_parser(
        "show", parents=[config_option], help="what curatorbot sees for arXiv papers, and their entries"
    )
    show_parser.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids or URLs")
    show_parser.add_argument("--list", help="the list's Markdown file, for its house style")
    show_parser.add_argument("--json", action="store_true", help="print a JSON array")

    scan_parser = commands.add_parser(
        "scan", parents=[config_option], help="the latest announcement's candidates not yet in the list"
    )
    scan_parser.add_argument(
        "--list", help="the list's Markdown file (default: list.local_path, else the list on GitHub)"
    )
    scan_parser.add_argument("--json", action="store_true", help="print JSON")
    scan_parser.add_argument(
        "--today", type=_date_argument, help="judge the feed's freshness as of this date (default: today)"
    )

    classify_parser = commands.add_parser(
        "classify", parents=[config_option], help="does a paper belong in the list, and where?"
    )
    classify_parser.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids or URLs")
    classify_parser.add_argument(
        "--list", help="the list's Markdown file (default: list.local_path, else the list on GitHub)"
    )
    classify_parser.add_argument(
        "--backend",
        choices=["auto", "openai", "local"],
        default="auto",
        help="openai: the configured OpenAI-compatible endpoint; local: the embedded classifier "
        "(default: openai when OPENAI_API_KEY or llm.base_url is set, else local)",
    )
    classify_parser.add_argument("--json", action="store_true", help="print a JSON array")

    eval_parser = commands.add_parser(
        "eval", parents=[config_option], help="measure relevance, pre-filter, section accuracy and cost"
    )
    eval_parser.add_argument("papers", metavar="PAPERS.jsonl", help="labelled papers (papers.dev.jsonl format)")
    eval_parser.add_argument("--days", metavar="DAYS.jsonl", help="listing days (listing_days.dev.jsonl format)")
    eval_parser.add_argument(
        "--list", help="the list's Markdown file (default: list.local_path, else the list on GitHub)"
    )
    eval_parser.add_argument(
        "--judged",
        metavar="JUDGED.jsonl",
        help="judged labels (judged_days.dev.jsonl format), joined to PAPERS by id; their days unless --days",
    )
    eval_parser.add_argument(
        "--misses", action="store_true", help="list relevant papers the pre-filter dropped and rejected proposals"
    )
    eval_parser.add_argument("--backend", choices=["auto", "openai", "local"], default="auto")
    eval_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    eval_parser.add_argument(
        "--replay",
        action="store_true",
        help="simulate a maintainer over the judged days in time order, the model retrained weekly from the calls",
    )
    eval_parser.add_argument("--plot", metavar="FILE", help="with --replay: draw the curves (the plot extra)")

    run_parser = commands.add_parser(
        "run", parents=[config_option], help="the nightly job: new arXiv papers into one pull request"
    )
    run_parser.add_argument("--dry-run", action="store_true", help="print the list diff and PR body; write nothing")
    when = run_parser.add_mutually_exclusive_group()
    when.add_argument("--date", type=_date_argument, help="backfill the announcement of this day (YYYY-MM-DD)")
    when.add_argument("--since", type=_date_argument, help="backfill every submission since this day")
    run_parser.add_argument("--list", help="a local copy of the list (implies --dry-run: no pull request)")
    run_parser.add_argument(
        "--max-papers", type=_positive_int, help="at most this many papers (default llm.max_papers_per_run)"
    )
    run_parser.add_argument("--backend", choices=["auto", "openai", "local"], default="auto")
    run_parser.add_argument("--include-rejected", action="store_true", help="propose papers maintainers rejected")
    run_parser.add_argument("--today", type=_date_argument, help="judge the feed's freshness as of this date")
    run_parser.add_argument(
        "--dashboard-edit",
        type=_positive_int,
        metavar="ISSUE",
        help="run because this issue was edited: only when it is the dashboard and --edited-by may write",
    )
    run_parser.add_argument("--edited-by", metavar="LOGIN", help="who edited the issue (with --dashboard-edit)")

    catch_up_parser = commands.add_parser(
        "catch-up",
        parents=[config_option],
        help="past months from arXiv's search API, one pull request per window",
        description="Search arXiv for each window (catch_up.window) from --since to --until with the catch-up "
        "query, and propose each window's papers in its own pull request. Progress is read back from GitHub: "
        "rerun to continue.",
    )
    catch_up_parser.add_argument("--since", help="first month or day, YYYY-MM or YYYY-MM-DD (default catch_up.since)")
    catch_up_parser.add_argument(
        "--if-configured", action="store_true", help="with no --since and no catch_up.since, say so and exit 0"
    )
    catch_up_parser.add_argument("--until", help="last month or day (default: today)")
    catch_up_parser.add_argument("--dry-run", action="store_true", help="print each diff and PR body; write nothing")
    catch_up_parser.add_argument("--list", help="a local copy of the list (implies --dry-run: no pull request)")
    catch_up_parser.add_argument("--max-papers", type=_positive_int, help="at most this many papers classified")
    catch_up_parser.add_argument(
        "--max-windows", type=_positive_int, help="windows that may open a pull request (catch_up.windows_per_run)"
    )
    catch_up_parser.add_argument(
        "--tokens-spent",
        type=_non_negative_int,
        default=0,
        help="tokens the nightly run spent before this one (llm.max_tokens_per_run is shared)",
    )
    catch_up_parser.add_argument("--backend", choices=["auto", "openai", "local"], default="auto")
    catch_up_parser.add_argument("--today", type=_date_argument, help="take this day as today")
    catch_up_parser.set_defaults(include_rejected=False)

    review_parser = commands.add_parser(
        "review",
        parents=[config_option],
        help="carry out the bot PR's checkboxes and /curatorbot commands",
        description="Read the open curatorbot pull request's checkboxes and new /curatorbot comments (from users "
        "with write access), apply them to the bot branch, and answer each command comment.",
    )
    review_parser.add_argument("--pr", type=_positive_int, help="only this open bot pull request")
    review_parser.add_argument(
        "--edited-comment",
        type=lambda text: _positive_int(text) if text else None,
        help="a comment that was edited (the review workflow passes it): an edited command is answered, not run",
    )
    review_parser.add_argument("--dry-run", action="store_true", help="print the diff; write, reply and react nothing")
    review_parser.add_argument("--today", type=_date_argument, help="take this day as today")
    review_parser.add_argument(
        "--backend", choices=["auto", "openai", "local"], default="auto", help="the classifier /curatorbot refresh uses"
    )

    maintain_parser = commands.add_parser(
        "maintain",
        parents=[config_option],
        help="one pull request that keeps the listed entries true: venues, code links, format fixes",
        description="Read every listed paper from arXiv's API and propose, in one pull request with one commit "
        "per kind, the venue upgrades, code links and meaning-preserving format fixes a maintainer would sign.",
    )
    maintain_parser.add_argument("--dry-run", action="store_true", help="print the diff and PR body; write nothing")
    maintain_parser.add_argument("--list", help="a local copy of the list (implies --dry-run: no pull request)")
    maintain_parser.add_argument(
        "--only",
        type=_maintenance_kinds,
        help="a comma-separated subset of venues,code,lint (default maintenance.kinds)",
    )
    maintain_parser.add_argument("--today", type=_date_argument, help="take this day as today")

    decisions_parser = commands.add_parser(
        "decisions",
        parents=[config_option],
        help="maintainers' accepts, rejects and moves from the bot PRs, as labelled examples",
    )
    decisions_parser.add_argument("--json", action="store_true", help="one JSON object per line")

    learn_parser = commands.add_parser(
        "learn",
        parents=[config_option],
        help="learn the list's own local model from its entries and its maintainers' decisions",
    )
    learn_parser.add_argument("--list", help="a local copy of the list (default: list.local_path, else GitHub)")
    learn_parser.add_argument(
        "--since", type=_month_argument, help="unlabelled papers from this month on (YYYY-MM; default: as needed)"
    )
    learn_parser.add_argument("--dry-run", action="store_true", help="learn and print the model card; write nothing")
    learn_parser.add_argument(
        "--if-changed",
        action="store_true",
        help="only when the list or the decisions changed (weekly at most), the model is missing, or the "
        "dashboard asks",
    )
    learn_parser.add_argument("--today", type=_date_argument, help="take this day as today")

    init_parser = commands.add_parser(
        "init",
        help="read a list and write a commented config for it (sections, house style, categories, terms)",
    )
    init_parser.add_argument("repo", nargs="?", metavar="OWNER/REPO", help="the list's repository on GitHub")
    init_parser.add_argument("--list", metavar="PATH", help="a local copy of the list's Markdown file instead")
    init_parser.add_argument(
        "--path", default="README.md", help="the list's file in the repository (default README.md)"
    )
    init_parser.add_argument("--branch", default="main", help="the branch pull requests target (default main)")
    init_parser.add_argument("--write", type=Path, metavar="FILE", help="write the config here (never over a file)")

    export_parser = commands.add_parser(
        "export",
        help="the list's entries as JSONL (id, title, section, venue, line), the format eval reads",
    )
    export_parser.add_argument("--list", metavar="PATH", required=True, help="the list's Markdown file")
    export_parser.add_argument(
        "--jsonl", action="store_true", required=True, help="one JSON object per entry (the only format)"
    )
    export_parser.add_argument(
        "--papers",
        type=Path,
        metavar="PAPERS.jsonl",
        help="arXiv records (papers.dev.jsonl format) to add abstracts from",
    )

    status_parser = commands.add_parser(
        "status",
        parents=[config_option],
        help="what the bot holds and waits on, as the dashboard issue shows it (reads GitHub, writes nothing)",
    )
    status_parser.add_argument("--json", action="store_true", help="the dashboard's state and view as JSON")
    status_parser.add_argument("--today", type=_date_argument, help="take this day as today")
    return parser


class _Redacting(io.TextIOBase):
    """stdout or stderr with every configured secret replaced, whatever printed it."""

    def __init__(self, stream: TextIO, secrets: tuple[str, ...]) -> None:
        self.stream, self.secrets = stream, secrets

    def write(self, text: str) -> int:
        from curatorbot.domain.sanitize import redact

        self.stream.write(redact(text, self.secrets))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    stdout, stderr = sys.stdout, sys.stderr
    try:
        # Imported only now: `--help` and argument errors never pay for pydantic or any adapter.
        from curatorbot.cli import commands
        from curatorbot.domain.sanitize import secrets_in

        secrets = secrets_in(os.environ)
        if secrets:
            sys.stdout, sys.stderr = _Redacting(stdout, secrets), _Redacting(stderr, secrets)
        # `lint PATH` needs no config: loading and validating it is most of its start-up time.
        needs_config = args.command not in ("init", "export") and not (
            args.command == "lint" and args.path and args.config is None
        )
        if needs_config:
            from curatorbot.config import load_settings
        settings = load_settings(args.config) if needs_config else None
        handlers: dict[str, Callable[[argparse.Namespace, Any], int]] = {
            "lint": commands.cmd_lint,
            "show": commands.cmd_show,
            "scan": commands.cmd_scan,
            "classify": commands.cmd_classify,
            "eval": commands.cmd_eval,
            "run": commands.cmd_run,
            "catch-up": commands.cmd_catch_up,
            "review": commands.cmd_review,
            "maintain": commands.cmd_maintain,
            "decisions": commands.cmd_decisions,
            "status": commands.cmd_status,
            "init": commands.cmd_init,
            "learn": commands.cmd_learn,
            "export": commands.cmd_export,
        }
        return int(handlers[args.command](args, settings))
    except CuratorbotError as error:
        print(f"curatorbot: error: {error}", file=sys.stderr)
        return int(error.exit_code)
    except KeyboardInterrupt:
        print("curatorbot: interrupted; nothing was written", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # `curatorbot scan | head`: the reader left. Point stdout at nothing so the exit flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return int(ExitCode.OK)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


if __name__ == "__main__":
    sys.exit(main())
