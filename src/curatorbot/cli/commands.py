"""The command line: parse, load config, build adapters, call one core function, print, exit.

Exit codes (README, "Exit codes"): 0 success, 1 lint findings, 2 bad config, usage or input,
3 a service failed after retries (nothing half-written), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from curatorbot.domain.arxiv_id import ArxivId, parse_user_arxiv_id
from curatorbot.domain.awesome_list import AwesomeList, HouseStyle
from curatorbot.domain.errors import CuratorbotError, ExitCode, InputFileError, UsageError
from curatorbot.domain.lint import lint
from curatorbot.domain.wording import count_of

if TYPE_CHECKING:  # config and models bring pydantic: only commands that need them import them
    from curatorbot.classify.classifier import Classifier
    from curatorbot.config import Secrets, Settings
    from curatorbot.domain.models import Decision, Paper
    from curatorbot.domain.pull_request import RunFacts
    from curatorbot.jobs.nightly import NightlyServices
    from curatorbot.jobs.publish import PublishResult
    from curatorbot.jobs.review import Reclassify
    from curatorbot.services.github import GitHubRepo
    from curatorbot.services.interface import ArxivSource


def read_list_file(path: Path) -> AwesomeList:
    try:
        # newline="" keeps CRLF and lone CR as they are: the model is lossless only if the reading is.
        with path.open(encoding="utf-8", newline="") as handle:
            awesome = AwesomeList.parse(handle.read())
    except FileNotFoundError as error:
        raise InputFileError(f"{path}: no such file; pass the path of the list's Markdown file") from error
    except IsADirectoryError as error:
        raise InputFileError(f"{path}: is a folder; pass the list's Markdown file inside it") from error
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text; convert the file to UTF-8") from error
    except OSError as error:
        raise InputFileError(f"{path}: cannot read it ({error.strerror}); check its permissions") from error
    awesome.require_papers(str(path))
    return awesome


def user_ids(texts: Sequence[str]) -> list[ArxivId]:
    """The ids a person typed, checked before any request, each paper once (2510.11639 and 2510.11639v1
    name the same paper: the first spelling wins)."""
    ids: dict[str, ArxivId] = {}
    for text in texts:
        parsed = parse_user_arxiv_id(text)
        ids.setdefault(parsed.id, parsed)
    return list(ids.values())


def require_writable(folder: Path, key: str) -> None:
    """A folder the run will write to must take a file now, not after the work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".curatorbot-write-check"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        raise UsageError(
            f"{folder}: cannot write there ({error.strerror}); fix its permissions or set {key} in config"
        ) from None


def load_list(argument: str | None, settings: Settings) -> tuple[AwesomeList, str]:
    """The list and where it came from: PATH or --list, else list.local_path, else list.repo on GitHub."""
    if argument or settings.list.local_path is not None:
        path = Path(argument) if argument else settings.list.local_path
        assert path is not None
        return read_list_file(path), str(path)
    if settings.list.repo:
        from curatorbot.config import Secrets
        from curatorbot.services.github import GitHubRepo

        secrets = Secrets.from_env()
        repo = GitHubRepo(
            settings.list.repo, secrets.github_token, base_url=settings.github.base_url, redact_also=secrets.values()
        )
        try:
            file = repo.read_file(settings.list.path, settings.list.base_branch)
        finally:
            repo.close()
        where = f"{settings.list.repo}/{settings.list.path}"
        awesome = AwesomeList.parse(file.text)
        awesome.require_papers(where)
        return awesome, where
    raise UsageError("no list given; pass PATH (or --list PATH), or set list.local_path or list.repo in config.yaml")


def cmd_lint(args: argparse.Namespace, settings: Settings | None) -> int:
    """`lint PATH` reads nothing but the file: it runs without a config (see cli.main)."""
    if args.path:
        awesome, path = read_list_file(Path(args.path)), args.path
    else:
        assert settings is not None
        awesome, path = load_list(None, settings)
    report = lint(awesome, settings.list.link_form if settings else "auto")
    if args.json:
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(f"{path}:{problem.line}: {problem.kind}: {problem.message}")
        for note in report.cross_listings:
            print(f"{path}:{note.line}: note: {note.message}")
        print(
            f"{path}: {report.entries} entries, {report.arxiv_ids} distinct arXiv ids, "
            f"{count_of(len(report.problems), 'problem')}"
            + (f", {count_of(len(report.cross_listings), 'cross-listing')}" if report.cross_listings else ""),
            file=sys.stderr,
        )
    return ExitCode.OK if report.clean else ExitCode.FINDINGS


def paper_view(paper: Paper, style: HouseStyle, awesome: AwesomeList | None) -> dict[str, object]:
    """What curatorbot sees for a paper: arXiv's fields, the derived ones and the entry it would add."""
    from curatorbot.domain.render import entry_facts, render_entry

    listed = awesome.find(arxiv_id=paper.arxiv_id, title=paper.title) if awesome else None
    facts = entry_facts(paper, style.arxiv_venue_word)
    return {
        **paper.model_dump(mode="json"),
        "venue": facts.venue,
        "code_url": facts.code_url,
        "entry": render_entry(paper, style),
        "in_list": {"line": listed.line, "section": listed.section_path} if listed else None,
    }


def print_paper(view: dict[str, object]) -> None:
    authors = view["authors"]
    assert isinstance(authors, list)
    print(f"arXiv {view['arxiv_id']}{'v' + str(view['version']) if view['version'] else ''}: {view['title']}")
    print(f"  authors:    {', '.join(authors[:6])}{' et al.' if len(authors) > 6 else ''}")
    print(f"  categories: {', '.join(view['categories'])}  (primary {view['primary_category']})")  # type: ignore[arg-type]
    for key in ("comments", "journal_ref", "doi", "published", "venue", "code_url"):
        if view.get(key):
            print(f"  {key + ':':<11} {view[key]}")
    if view["withdrawn"]:
        print("  WITHDRAWN by its authors")
    listed = view["in_list"]
    if isinstance(listed, dict):
        print(f"  already in the list: line {listed['line']} under '{listed['section']}'")
    print(f"  entry:      {view['entry']}")


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.services.arxiv import ArxivClient

    ids = user_ids(args.ids)
    # The list only sharpens the output (house style, "already listed"): read it when one is named.
    awesome = load_list(args.list, settings)[0] if args.list or settings.list.local_path else None
    style = awesome.house_style() if awesome else HouseStyle()
    with ArxivClient(settings.arxiv) as client:
        lookup = client.lookup(ids)
    views = [paper_view(paper, style, awesome) for paper in lookup.papers]
    if args.json:
        print(json.dumps(views, indent=2, ensure_ascii=False))
    else:
        for view in views:
            print_paper(view)
    lookup.raise_for_missing()  # after printing what was found
    return ExitCode.OK


def cmd_scan(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.domain.announcements import not_in_list
    from curatorbot.jobs.nightly import gather
    from curatorbot.services.arxiv import ArxivClient
    from curatorbot.services.state import FeedState

    awesome = load_list(args.list, settings)[0]
    now = dt.datetime.combine(args.today, dt.time(12), dt.UTC) if args.today else dt.datetime.now(dt.UTC)
    last_seen = FeedState(settings.arxiv.state_file).last_seen(settings.arxiv.categories)
    with ArxivClient(settings.arxiv) as client:
        announcement = gather(client, settings, now, last_seen)
    candidates, known = not_in_list(announcement.papers, awesome)
    for warning in announcement.warnings:
        print(f"curatorbot: warning: {warning}", file=sys.stderr)
    print(
        f"{announcement.state} day: {announcement.state_reason}; {len(known)} already in the list, "
        f"{len(candidates)} candidates, {len(announcement.replacements)} replacements set aside",
        file=sys.stderr,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "announced": announcement.announced.isoformat() if announcement.announced else None,
                    "state": announcement.state,
                    "candidates": [
                        {"arxiv_id": p.arxiv_id, "title": p.title, "announce_type": p.announce_type} for p in candidates
                    ],
                    "already_listed": [p.arxiv_id for p in known],
                    "replacements": [p.arxiv_id for p in announcement.replacements],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for paper in candidates:
            print(f"{paper.arxiv_id}\t{paper.announce_type}\t{paper.title}")
    return ExitCode.OK


def decision_view(paper: Paper, decision: Decision, style: HouseStyle) -> dict[str, object]:
    from curatorbot.domain.render import render_entry

    return {
        "arxiv_id": paper.arxiv_id,
        "title": paper.title,
        **decision.model_dump(mode="json", exclude={"arxiv_id"}),
        "entry": render_entry(paper, style) if decision.relevant else None,
        "in_list": None,
    }


def print_decision(view: dict[str, object]) -> None:
    if view["in_list"]:
        listed = view["in_list"]
        assert isinstance(listed, dict)
        print(f"arXiv {view['arxiv_id']}: already in the list (line {listed['line']}, '{listed['section']}')")
        print(f"  {view['title']}")
        return
    # Unsure is its own verdict: a paper below the confident threshold is not called relevant.
    verdict = (
        "UNSURE (needs a human look)" if view["needs_human"] else "RELEVANT" if view["relevant"] else "not relevant"
    )
    print(f"arXiv {view['arxiv_id']}: {verdict}, confidence {view['confidence']:.2f}")
    print(f"  {view['title']}")
    if view["section"]:
        print(f"  section:   {view['section']}")
    print(f"  rationale: {view['rationale']}")
    if view["entry"]:
        print(f"  entry:     {view['entry']}")
    provenance = f"{view['backend']} {view['model']}, prompt {view['prompt_version']} ({view['prompt_sha']})"
    print(f"  decided by {provenance}")


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.cli.wiring import build_classifier, resolve_backend
    from curatorbot.services.arxiv import ArxivClient

    ids = user_ids(args.ids)
    from curatorbot.config import Secrets

    secrets = Secrets.from_env()
    backend = resolve_backend(args.backend, settings, secrets)
    awesome = load_list(args.list, settings)[0]
    awesome.require_sections(settings.section_paths)
    style = awesome.house_style()
    classifier = build_classifier(backend, settings, secrets, awesome)  # config errors before any request
    with ArxivClient(settings.arxiv) as client:
        lookup = client.lookup(ids)
    listed = {p.arxiv_id: awesome.find(arxiv_id=p.arxiv_id, title=p.title) for p in lookup.papers}
    fresh = [p for p in lookup.papers if listed[p.arxiv_id] is None]
    run = classifier.decide(fresh) if fresh else None
    decisions = {d.arxiv_id: d for d in run.decisions} if run else {}
    views: list[dict[str, object]] = []
    for paper in lookup.papers:
        entry = listed[paper.arxiv_id]
        if entry is not None:
            views.append(
                {
                    "arxiv_id": paper.arxiv_id,
                    "title": paper.title,
                    "in_list": {"line": entry.line, "section": entry.section_path},
                }
            )
        elif paper.arxiv_id in decisions:
            views.append(decision_view(paper, decisions[paper.arxiv_id], style))
    if args.json:
        print(json.dumps(views, indent=2, ensure_ascii=False))
    else:
        for view in views:
            print_decision(view)
    if run and run.usage.requests:
        print(
            f"{run.usage.requests} LLM requests, {run.usage.prompt_tokens} prompt and "
            f"{run.usage.completion_tokens} completion tokens",
            file=sys.stderr,
        )
    if backend == "local":
        print("classified by the local backend (no LLM endpoint configured or chosen)", file=sys.stderr)
    lookup.raise_for_missing()  # after printing what was found
    return ExitCode.OK


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.classify.classifier import CountingOnly, LLMClassifier
    from curatorbot.classify.local_backend import LocalClassifier
    from curatorbot.classify.prompts import PromptSet
    from curatorbot.cli.progress import Progress
    from curatorbot.cli.wiring import build_classifier, resolve_backend
    from curatorbot.jobs.evaluation import evaluate, load_days, load_judged, load_rows

    if args.replay or args.plot:
        return cmd_replay(args, settings)
    rows = load_rows(Path(args.papers))
    days = load_days(Path(args.days)) if args.days else []
    if args.judged:
        rows, judged_days = load_judged(Path(args.judged), rows)
        days = days or judged_days
    from curatorbot.config import Secrets

    secrets = Secrets.from_env()
    backend = resolve_backend(args.backend, settings, secrets)
    awesome = load_list(args.list, settings)[0]
    local = LocalClassifier(awesome, settings)
    classifier = build_classifier(backend, settings, secrets, awesome, local=local)
    counting = LLMClassifier(
        CountingOnly(settings.llm.model), PromptSet.load(settings.llm.prompts_dir), settings, awesome
    )
    report = evaluate(
        rows,
        days,
        local=local,
        classify=classifier.decide,
        llm_for_cost=counting,
        progress=Progress(f"classifying ({backend})"),
    )
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return ExitCode.OK
    print(eval_text(report, backend, len(rows), len(days), settings))
    if args.misses:
        for miss in report["misses"]:
            print(
                f"{miss['kind']}: {miss['arxiv_id']} {miss['title'][:90]}"
                + (f" ({miss['why']})" if miss["why"] else "")
            )
    return ExitCode.OK


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.cli.progress import Progress
    from curatorbot.jobs.evaluation import load_judged, load_rows
    from curatorbot.jobs.replay import blocks, replay, replay_inputs

    if not args.replay or not args.judged:
        raise UsageError(
            "--replay needs --judged JUDGED.jsonl (the labels that accept and reject); --plot needs --replay"
        )
    if args.plot:
        try:
            import matplotlib  # noqa: F401  # checked before the long replay, not after it
        except ImportError as error:
            raise UsageError("--plot draws with matplotlib: pip install 'curatorbot[plot]'") from error
    from curatorbot.classify.list_learning import learn_model

    rows = load_rows(Path(args.papers))
    judged, judged_days = load_judged(Path(args.judged), rows)
    awesome = load_list(args.list, settings)[0]
    days, listed, unlabelled = replay_inputs(rows, judged, {d.date: d.ids for d in judged_days}, awesome)
    if not days:
        raise UsageError(f"{args.judged}: no judged days to replay; pass a judged_days.dev.jsonl-format file")
    unlabelled = sorted(unlabelled, key=lambda p: p.arxiv_id)[-settings.learn.unlabelled_papers :]
    outcomes = replay(days, awesome, settings, listed, unlabelled, learn_model, progress=Progress("replaying days"))
    table = blocks(outcomes)
    if args.json:
        print(json.dumps({"blocks": table, "days": [o.__dict__ for o in outcomes]}, indent=2))
    else:
        print(f"replay of {len(outcomes)} judged days, the local model retrained weekly from the simulated calls")
        print("| " + " | ".join(k.replace("_", " ") for k in table[0]) + " |")
        print("|" + " --- |" * len(table[0]))
        for b in table:
            print(" | ".join(["", *(str(b[k]) for k in b), ""]).strip())
    if args.plot:
        plot_replay(table, Path(args.plot))
        print(f"curatorbot: drew {args.plot}", file=sys.stderr)
    return ExitCode.OK


def plot_replay(table: Sequence[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    blocks_shown = range(1, len(table) + 1)
    for key in ("precision", "recall", "recall_with_flagged", "section_accuracy"):
        axis.plot(blocks_shown, [b[key] for b in table], marker="o", label=key.replace("_", " "))
    axis.set_xlabel("block of days, in time order")
    axis.set_ylim(0, 1.05)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path)


def eval_text(report: dict[str, Any], backend: str, n_rows: int, n_days: int, settings: Settings) -> str:
    """The human-readable evaluation report."""
    relevance, prefilter, section, cost = (report[k] for k in ("relevance", "prefilter", "section", "cost"))
    lines = [f"backend {backend}; {n_rows} papers ({relevance['n_positive']} relevant), {n_days} listing days"]
    if "precision" in relevance:  # judged labels
        lines += [
            f"proposed:   precision {relevance['precision']:.3f}, recall {relevance['recall']:.3f}, "
            f"F1 {relevance['f1']:.3f} ({relevance['n_proposed']} proposed, {relevance['n_flagged']} flagged)",
            f"proposed or flagged: recall {relevance['recall_with_flagged']:.3f}; "
            f"borderline calls {relevance['borderline_share']:.3f} of judged papers",
        ]
    else:
        lines.append(
            f"relevance:  recall {relevance['recall']:.3f}, judged relevant {relevance['judged_relevant_share']:.3f}"
        )
    lines += [
        f"pre-filter: recall {prefilter['recall']:.3f}, pass rate {prefilter['pass_rate']:.3f}",
        f"section:    accuracy {section['accuracy']:.3f} on {section['n']} labelled papers (leave-one-out)",
    ]
    for truth, counts in sorted(section["confusion"].items()):
        predicted = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        lines.append(f"  {truth:<45} {predicted}")
    lines += [
        f"cost ({settings.llm.model}, batch {settings.llm.batch_size}):",
        f"  prompt tokens per paper sent {cost['prompt_tokens_per_paper']:.0f}, per announced paper "
        f"{cost['prompt_tokens_per_announced_paper']:.0f}",
        f"  requests per paper {cost['requests_per_paper']:.3f}, papers per request {cost['papers_per_request']:.1f}",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class JobSetup:
    """What `run` and `catch-up` share: the backend, the list, and the adapters' settings."""

    secrets: Secrets
    backend: Literal["local", "openai"]
    model: str
    prompt_version: str
    local_list: AwesomeList | None
    dry_run: bool
    repo: GitHubRepo | None
    now: dt.datetime
    local_path: Path | None = None  # the local copy of the list, if the run works on one


def job_setup(args: argparse.Namespace, settings: Settings) -> JobSetup:
    from curatorbot.classify.local_backend import LOCAL_PROMPT_VERSION
    from curatorbot.classify.prompts import PromptSet
    from curatorbot.classify.relevance import RelevanceModel
    from curatorbot.cli.wiring import learned_model, resolve_backend
    from curatorbot.config import Secrets

    secrets = Secrets.from_env()
    backend = resolve_backend(args.backend, settings, secrets)
    local_path = Path(args.list) if args.list else settings.list.local_path
    local_list = read_list_file(local_path) if local_path is not None else None
    dry_run = args.dry_run or local_list is not None
    if not dry_run:  # before any token is spent or anything is written on GitHub
        require_writable(settings.arxiv.state_file.parent, "arxiv.state_file")
        require_writable(settings.llm.cache_dir, "llm.cache_dir")
    repo: GitHubRepo | None = None
    if local_list is None:
        if not settings.list.repo:
            raise UsageError("no list to maintain: set list.repo in config.yaml, or pass --list PATH")
        if secrets.github_token is None and not dry_run:
            raise UsageError("opening a pull request needs GITHUB_TOKEN (or GH_TOKEN); or preview with --dry-run")
        repo = list_repo(settings, secrets, "the run")
    if backend == "local":
        learned, _ = learned_model(settings, local_path)
        relevance = learned.relevance if learned is not None else RelevanceModel.load()
        model, prompt_version = f"relevance-{relevance.sha}", LOCAL_PROMPT_VERSION
    else:
        model, prompt_version = settings.llm.model, PromptSet.load(settings.llm.prompts_dir).version
    now = dt.datetime.combine(args.today, dt.time(12), dt.UTC) if args.today else dt.datetime.now(dt.UTC)
    return JobSetup(secrets, backend, model, prompt_version, local_list, dry_run, repo, now, local_path)


def job_services(setup: JobSetup, settings: Settings, arxiv: ArxivSource) -> NightlyServices:
    from curatorbot.cli.progress import Progress
    from curatorbot.cli.wiring import build_classifier, local_classifier
    from curatorbot.jobs.nightly import NightlyServices
    from curatorbot.services.state import FeedState

    return NightlyServices(
        arxiv=arxiv,
        repo=setup.repo,
        local_list=setup.local_list,
        local=lambda awesome: local_classifier(awesome, settings, setup.local_path),
        classifier=lambda awesome, local: build_classifier(
            setup.backend,
            settings,
            setup.secrets,
            awesome,
            local=local,
            progress=Progress("LLM batches"),
            dry_run=setup.dry_run,
            decisions=maintainer_calls(setup.repo, settings) if setup.repo is not None else None,
        ),
        feed_state=FeedState(settings.arxiv.state_file),
        stage=lambda message: print(f"curatorbot: {message}", file=sys.stderr),
    )


def maintainer_calls(repo: GitHubRepo, settings: Settings) -> Callable[[], list[dict[str, object]]]:
    """The maintainers' calls on the bot's pull requests, read when an LLM classifier is built."""

    def calls() -> list[dict[str, object]]:
        from curatorbot.jobs.review import maintainer_decisions

        return maintainer_decisions(repo, settings)

    return calls


def write_step_summary(markdown: str, secrets: Secrets) -> None:
    from curatorbot.domain.sanitize import redact

    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:  # best effort: the pull request is written already, a summary must not fail the run
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(redact(markdown, secrets.values()))
        except OSError as error:
            print(f"curatorbot: warning: could not write GITHUB_STEP_SUMMARY ({error.strerror})", file=sys.stderr)


def write_step_output(name: str, value: int) -> None:
    """A figure for later steps of the workflow ($GITHUB_OUTPUT), e.g. the tokens the catch-up may still use."""
    output_path = os.environ.get("GITHUB_OUTPUT")
    if output_path:
        try:
            with open(output_path, "a", encoding="utf-8") as handle:
                handle.write(f"{name}={value}\n")
        except OSError as error:
            print(f"curatorbot: warning: could not write GITHUB_OUTPUT ({error.strerror})", file=sys.stderr)


def print_result(result: PublishResult | None) -> None:
    if result is not None and result.action == "dry-run":
        print(result.diff, end="" if result.diff.endswith("\n") or not result.diff else "\n")
        print(f"\n--- pull request title ---\n{result.title}\n--- pull request body ---\n{result.body}")


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.jobs.nightly import NightlyRequest, run_night, step_summary
    from curatorbot.services.arxiv import ArxivClient

    if args.dashboard_edit is not None and not args.edited_by:
        raise UsageError("--dashboard-edit needs --edited-by LOGIN: only a maintainer's edit is acted on")
    setup = job_setup(args, settings)
    now, repo = setup.now, setup.repo
    if args.dashboard_edit is not None:
        from curatorbot.jobs.dashboard import edit_to_skip

        skip = edit_to_skip(repo, settings, args.dashboard_edit, args.edited_by) if repo is not None else None
        if repo is None or skip is not None:
            print(f"curatorbot: {skip or 'a dashboard edit needs the list on GitHub'}", file=sys.stderr)
            if repo is not None:
                repo.close()
            return ExitCode.OK
    if args.since is not None and args.since > now.date():
        raise UsageError(f"--since {args.since} is after today ({now.date()}); give a day in the past")
    if args.date is not None and args.date > now.date():
        raise UsageError(f"--date {args.date} is in the future (today is {now.date()}); give a past announcement day")
    review = None
    if repo is not None:  # a maintainer's pending checkboxes and commands go first
        from curatorbot.jobs.review import run_review

        def review() -> str:
            assert repo is not None
            reclassify = reclassifier(setup.backend, settings, setup.secrets, repo)
            return run_review(repo, settings, review_facts(settings, now), setup.dry_run, reclassify=reclassify).message

    request = NightlyRequest(
        now=now,
        backend=setup.backend,
        model=setup.model,
        prompt_version=setup.prompt_version,
        date=args.date,
        since=args.since,
        max_papers=args.max_papers,
        dry_run=setup.dry_run,
        include_rejected=args.include_rejected,
    )
    arxiv = ArxivClient(settings.arxiv)
    try:
        services = job_services(setup, settings, arxiv)
        if repo is not None and settings.dashboard.enabled:
            from curatorbot.jobs.dashboard import night_with_dashboard

            def deferred_by_id(ids: Sequence[str]) -> list[Paper]:  # the run's own client: arXiv's pace holds
                found = arxiv.lookup([ArxivId(i) for i in ids]).papers
                return [p.model_copy(update={"announce_type": "new"}) for p in found]

            night = night_with_dashboard(
                settings, request, services, review, repo, deferred_by_id, run_url=actions_run_url()
            )
            report = night.report
            for message in night.messages:
                print(f"curatorbot: dashboard: {message}", file=sys.stderr)
            if night.body:
                print(f"\n--- dashboard issue (dry run: not written) ---\n{night.body}")
            if night.maintain:
                write_step_output("maintain", 1)  # asked on the dashboard: the workflow maintains today
        else:
            report = run_night(settings, request, services, review)
    finally:
        arxiv.close()
        if repo is not None:
            repo.close()
    result = report.result
    if report.review:
        print(f"curatorbot: review: {report.review}", file=sys.stderr)
    for warning in report.warnings:
        print(f"curatorbot: warning: {warning}", file=sys.stderr)
    print_result(result)
    print(report.summary_line)
    for note in report.notes:
        print(f"note: {note}")
    if result is not None:
        print(result.message)
    write_step_summary(step_summary(report), setup.secrets)
    write_step_output("tokens", report.prompt_tokens + report.completion_tokens)
    return ExitCode.OK


def review_facts(settings: Settings, now: dt.datetime) -> RunFacts:
    from curatorbot.domain.pull_request import RunFacts

    return RunFacts(
        date=str(now.date()),
        categories=tuple(settings.arxiv.categories),
        backend="review",
        model="none (a maintainer's review)",
        prompt_version="-",
        list_path=settings.list.path,
    )


def list_repo(settings: Settings, secrets: Secrets, what: str) -> GitHubRepo:
    from curatorbot.services.github import GitHubRepo

    if not settings.list.repo:
        raise UsageError(f"{what} works on the list's pull requests: set list.repo in config.yaml")
    return GitHubRepo(
        settings.list.repo,
        secrets.github_token,
        base_url=settings.github.base_url,
        seconds_between_writes=settings.github.seconds_between_writes,
        seconds_between_requests=settings.github.seconds_between_requests,
        redact_also=secrets.values(),
    )


def reclassifier(
    backend: Literal["local", "openai"], settings: Settings, secrets: Secrets, repo: GitHubRepo
) -> Reclassify:
    """Wires `/curatorbot refresh` (jobs.review.refresh_classifier) to arXiv and the run's classifier."""
    from curatorbot.cli.wiring import build_classifier, local_classifier
    from curatorbot.jobs.engine import Target
    from curatorbot.jobs.review import refresh_classifier
    from curatorbot.services.arxiv import ArxivClient

    def lookup(ids: Sequence[str]) -> list[Paper]:
        with ArxivClient(settings.arxiv) as arxiv:
            return list(arxiv.lookup([ArxivId(i) for i in ids]).papers)

    def classifier_for(awesome: AwesomeList) -> Classifier:
        return build_classifier(backend, settings, secrets, awesome, local=local_classifier(awesome, settings))

    return refresh_classifier(repo, Target.nightly(settings), lookup, classifier_for, backend)


def cmd_decisions(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.config import Secrets
    from curatorbot.jobs.review import maintainer_decisions

    repo = list_repo(settings, Secrets.from_env(), "decisions")
    try:
        rows = maintainer_decisions(repo, settings)
    finally:
        repo.close()
    for row in rows:
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            section = f" ({row['section']})" if row["section"] else ""
            print(f"#{row['pull_request']} {row['action']} {row['arxiv_id']}{section} by {row['by']}: {row['title']}")
    return ExitCode.OK


def cmd_init(args: argparse.Namespace, settings: None) -> int:
    """`init` reads no config (it writes one): defaults, and CURATORBOT_* overrides from the environment."""
    from curatorbot.config import Secrets, Settings
    from curatorbot.domain.errors import ArxivError
    from curatorbot.jobs.init import init_config
    from curatorbot.services.arxiv import ArxivClient

    if bool(args.repo) == bool(args.list):
        raise UsageError("name the list once: OWNER/REPO on GitHub, or --list PATH for a local copy")
    if args.write is not None and args.write.exists():
        raise UsageError(f"{args.write} exists; pass --write another path, or move it away first")
    defaults = Settings()
    if args.list:
        awesome, where = read_list_file(Path(args.list)), args.list
    else:
        from curatorbot.services.github import GitHubRepo

        if args.repo.count("/") != 1:
            raise UsageError(f"'{args.repo}' is not of the form owner/name")
        secrets = Secrets.from_env()
        repo = GitHubRepo(
            args.repo, secrets.github_token, base_url=defaults.github.base_url, redact_also=secrets.values()
        )
        try:
            text = repo.read_file(args.path, args.branch).text
        finally:
            repo.close()
        awesome, where = AwesomeList.parse(text), f"{args.repo}/{args.path}"
    arxiv_settings = defaults.arxiv

    def records(ids: Sequence[str]) -> dict[str, Paper]:
        requests = -(-len(ids) // arxiv_settings.batch_size)
        print(
            f"curatorbot: reading {len(ids)} listed papers from arXiv ({count_of(requests, 'request')})",
            file=sys.stderr,
        )
        try:
            return {p.arxiv_id: p for p in ArxivClient(arxiv_settings).lookup(user_ids(ids)).papers}
        except ArxivError as error:
            print(f"curatorbot: warning: {error}; categories not read (cs.IR assumed)", file=sys.stderr)
            return {}

    profile, text = init_config(awesome, records, where=where, repo=args.repo, path=args.path, branch=args.branch)
    if args.write is not None:
        from curatorbot.services.files import write_atomic

        write_atomic(args.write, text)
        print(f"curatorbot: wrote {args.write}", file=sys.stderr)
    else:
        print(text, end="")
    print(f"curatorbot: {profile.summary}", file=sys.stderr)
    print(
        "curatorbot: next: read the config through, then `curatorbot learn` fits the list's own local model "
        "(without it the shipped model, made for another list's scope, decides)",
        file=sys.stderr,
    )
    return ExitCode.OK


def cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.cli.wiring import SHIPPED_MODEL_LIST, model_identity
    from curatorbot.config import Secrets
    from curatorbot.jobs.learn import LearnRequest, LearnServices, run_learn
    from curatorbot.services.arxiv import ArxivClient
    from curatorbot.services.model_store import ModelFolder
    from curatorbot.services.paper_store import PaperStore

    local_path = Path(args.list) if args.list else settings.list.local_path
    awesome, where = load_list(args.list, settings)
    secrets = Secrets.from_env()
    repo = list_repo(settings, secrets, "learn") if settings.list.repo else None
    arxiv = ArxivClient(settings.arxiv)

    def lookup(ids: Sequence[str]) -> list[Paper]:
        print(f"curatorbot: reading {len(ids)} papers' records from arXiv", file=sys.stderr)
        return list(arxiv.lookup(user_ids(ids)).papers)

    def search(query: str, first: dt.date, last: dt.date) -> list[Paper]:
        print(f"curatorbot: reading {first:%Y-%m} of {query} from arXiv", file=sys.stderr)
        return arxiv.search(query, first, last, page_size=LEARN_PAGE_SIZE)

    def decisions() -> list[dict[str, object]]:
        from curatorbot.jobs.review import maintainer_decisions

        assert repo is not None
        return maintainer_decisions(repo, settings)

    identity = model_identity(settings, local_path)
    if args.if_changed and identity == SHIPPED_MODEL_LIST and settings.learn.judged is None:
        # Its shipped model learned from hand-judged days; a nightly retrain without them would replace it
        # with one whose thresholds know less. Learning it here asks for learn.judged (or an explicit run).
        print(
            "curatorbot: the shipped model was trained for this list on hand-judged days; set learn.judged and "
            "learn.judged_papers to retrain it with them, or run `curatorbot learn` yourself",
            file=sys.stderr,
        )
        arxiv.close()
        if repo is not None:
            repo.close()
        return ExitCode.OK
    folder = ModelFolder(settings.learn.model_dir)
    use_dashboard = repo is not None and settings.dashboard.enabled
    asked = False
    if use_dashboard:
        from curatorbot.jobs.dashboard import read_dashboard

        assert repo is not None
        asked = read_dashboard(repo, settings).retrain_asked
    request = LearnRequest(
        today=args.today or dt.date.today(),
        list_name=identity,
        since=args.since,
        dry_run=args.dry_run,
        if_changed=args.if_changed,
        asked=asked,
    )
    services = LearnServices(
        lookup=lookup,
        search=search,
        records=PaperStore(settings.learn.cache_dir),
        decisions=decisions if repo is not None else None,
        read_model=folder.read,
        write_model=folder.write,
    )
    try:
        try:
            result = run_learn(awesome, settings, request, services)
        except CuratorbotError as error:
            message = f"{error}; nothing learned, the old model stays in use"
            if use_dashboard and repo is not None:
                record_on_dashboard(repo, settings, "learn", "", args.dry_run, error=message, today=args.today)
            raise type(error)(message) from error
        model = result.model
        if model is None:
            print(f"curatorbot: {result.skipped}", file=sys.stderr)
            return ExitCode.OK
        for line in model.card.lines():
            print(line)
        print(f"curatorbot: {arxiv.http.requests_sent} arXiv requests; list {where}", file=sys.stderr)
        if result.written:
            replaced = f" (replaces {result.previous})" if result.previous and result.previous != model.card.sha else ""
            print(f"curatorbot: wrote the model to {settings.learn.model_dir}{replaced}", file=sys.stderr)
        else:
            print("curatorbot: dry run: the model was not written", file=sys.stderr)
        if use_dashboard and repo is not None:
            in_use = f"model {model.card.sha}, learned {model.card.learned}"
            figures = model.card.figures
            summary = (
                f"learned model {model.card.sha}: pre-filter recall {figures.get('prefilter_recall', 0):.2f} at pass "
                f"rate {figures.get('prefilter_pass_rate', 0):.2f} forward in time"
            )

            def learned(state: Any) -> Any:
                return state.model_copy(update={"retrain_requested": False, "model": in_use})

            record_on_dashboard(repo, settings, "learn", summary, args.dry_run, change=learned, today=args.today)
    finally:
        arxiv.close()
        if repo is not None:
            repo.close()
    return ExitCode.OK


LEARN_PAGE_SIZE = 1000  # arXiv's API serves up to 2000 results a request: a month of cs.IR in one or two


def cmd_export(args: argparse.Namespace, settings: None) -> int:
    """Each entry with an arXiv id as a row `eval` reads: its section is the label a classifier should find."""
    from curatorbot.jobs.evaluation import export_rows

    awesome = read_list_file(Path(args.list))
    rows, skipped = export_rows(awesome, args.papers)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    print(
        f"curatorbot: {count_of(len(rows), 'entry', 'entries')} exported"
        + (f"; {count_of(skipped, 'entry', 'entries')} without an arXiv id left out" if skipped else ""),
        file=sys.stderr,
    )
    return ExitCode.OK


def actions_run_url() -> str:
    """The Actions run this command runs in, for the dashboard's "Last runs" (empty outside Actions)."""
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repository, run_id = (os.environ.get(name, "") for name in names)
    return f"{server}/{repository}/actions/runs/{run_id}" if server and repository and run_id else ""


def record_on_dashboard(
    repo: GitHubRepo,
    settings: Settings,
    command: str,
    summary: str,
    dry_run: bool,
    tokens: int = 0,
    change: Any = None,
    error: str = "",
    today: dt.date | None = None,
) -> None:
    """A command's run on the dashboard issue (when it is on), its messages printed; a failed run with
    its error (the dashboard itself is best effort: its own failure is a warning)."""
    if not settings.dashboard.enabled:
        return
    from curatorbot.jobs.dashboard import record_run, run_record

    # --today stands for the clock, as in the command itself.
    now = dt.datetime.combine(today, dt.time(12), dt.UTC) if today else dt.datetime.now(dt.UTC)
    done = run_record(now, command, summary, tokens, error=error, url=actions_run_url())
    try:
        messages = record_run(repo, settings, done, now.date(), dry_run, change)
    except CuratorbotError as failure:  # never hides the command's own outcome or error
        messages = [f"not updated ({failure}); the next run repairs it"]
    for message in messages:
        print(f"curatorbot: dashboard: {message}", file=sys.stderr)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """The dashboard's content in the terminal: its state and what GitHub shows now; nothing is written."""
    from curatorbot.config import Secrets
    from curatorbot.domain.dashboard import render_dashboard
    from curatorbot.jobs.dashboard import dashboard_view, read_dashboard
    from curatorbot.jobs.review import maintainer_decisions

    repo = list_repo(settings, Secrets.from_env(), "status")
    try:
        dashboard = read_dashboard(repo, settings)
        decisions = maintainer_decisions(repo, settings)
        view = dashboard_view(repo, settings, args.today or dt.date.today(), decisions)
    finally:
        repo.close()
    where = f"#{dashboard.issue.number} ({dashboard.issue.html_url})" if dashboard.issue else "not opened yet"
    if args.json:
        print(
            json.dumps(
                {
                    "dashboard": where,
                    "paused": dashboard.paused,
                    "notes": dashboard.notes,
                    "state": dashboard.state.model_dump(mode="json"),
                    "view": view.model_dump(mode="json"),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return ExitCode.OK
    print(f"dashboard issue: {where}" + (f"; {dashboard.paused}" if dashboard.paused else ""))
    for note in dashboard.notes:
        print(f"note: {note}")
    print(render_dashboard(dashboard.state, view).split("<!-- curatorbot:")[0].rstrip())
    return ExitCode.OK


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.cli.wiring import resolve_backend
    from curatorbot.config import Secrets
    from curatorbot.jobs.review import run_review

    secrets = Secrets.from_env()
    backend = resolve_backend(args.backend, settings, secrets)
    if secrets.github_token is None and not args.dry_run:
        raise UsageError("applying a review needs GITHUB_TOKEN (or GH_TOKEN); or preview with --dry-run")
    now = dt.datetime.combine(args.today, dt.time(12), dt.UTC) if args.today else dt.datetime.now(dt.UTC)
    repo = list_repo(settings, secrets, "review")
    try:
        result = run_review(
            repo,
            settings,
            review_facts(settings, now),
            dry_run=args.dry_run,
            pr_number=args.pr,
            reclassify=reclassifier(backend, settings, secrets, repo),
            edited_comment=args.edited_comment,
        )
        if result.changes or result.replies:  # a review that did nothing leaves the dashboard as it is
            record_on_dashboard(repo, settings, "review", result.message, args.dry_run, today=args.today)
    finally:
        repo.close()
    if args.dry_run and result.diff:
        print(result.diff, end="")
    for change in result.changes:
        print(
            f"{change.action} {change.arxiv_id}"
            + (f" ({change.section})" if change.section else "")
            + f" by {change.by}"
        )
    print(result.message)
    return ExitCode.OK


def cmd_catch_up(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from curatorbot.domain.arxiv_query import parse_month_or_day
    from curatorbot.jobs import catch_up
    from curatorbot.services.arxiv import ArxivClient

    since_text = args.since or settings.catch_up.since
    if since_text is None:
        if args.if_configured:
            print("catch-up: not configured (no --since, no catch_up.since); nothing to do")
            return ExitCode.OK
        raise UsageError("catch-up needs a start: pass --since YYYY-MM, or set catch_up.since in config")
    since = parse_month_or_day(since_text)
    until = parse_month_or_day(args.until, end=True) if args.until else None
    setup = job_setup(args, settings)
    if since > setup.now.date():
        raise UsageError(f"--since {args.since} is after today ({setup.now.date()}); give a month in the past")
    arxiv = ArxivClient(settings.arxiv)
    try:
        try:
            report = catch_up.run_catch_up(
                settings,
                catch_up.CatchUpRequest(
                    now=setup.now,
                    since=since,
                    until=until,
                    backend=setup.backend,
                    model=setup.model,
                    prompt_version=setup.prompt_version,
                    dry_run=setup.dry_run,
                    max_papers=args.max_papers,
                    max_windows=args.max_windows,
                    tokens_spent=args.tokens_spent,
                ),
                job_services(setup, settings, arxiv),
                clock=time.monotonic,
            )
        except CuratorbotError as error:
            if setup.repo is not None:  # the failure shows where maintainers look
                record_on_dashboard(
                    setup.repo, settings, "catch-up", "", setup.dry_run, error=str(error), today=setup.now.date()
                )
            raise
        if setup.repo is not None and report.windows:
            tokens = sum(o.report.prompt_tokens + o.report.completion_tokens for o in report.windows)
            record_on_dashboard(
                setup.repo, settings, "catch-up", report.summary_line, setup.dry_run, tokens, today=setup.now.date()
            )
    finally:
        arxiv.close()
        if setup.repo is not None:
            setup.repo.close()
    for outcome in report.windows:
        print_result(outcome.report.result)
        print(f"{outcome.window.key}: {outcome.report.summary_line}")
        for note in outcome.report.notes:
            print(f"  note: {note}")
        if outcome.report.result is not None:
            print(f"  {outcome.report.result.message}")
    print(report.summary_line)
    print(f"stopped: {report.stopped}")
    write_step_summary(catch_up.step_summary(report), setup.secrets)
    return ExitCode.OK


def cmd_maintain(args: argparse.Namespace, settings: Settings) -> int:
    from curatorbot.config import Secrets
    from curatorbot.jobs.maintain import MaintenanceRequest, MaintenanceServices, run_maintenance
    from curatorbot.services.arxiv import ArxivClient
    from curatorbot.services.semantic_scholar import SemanticScholarClient
    from curatorbot.services.state import FeedState

    secrets = Secrets.from_env()
    local_path = Path(args.list) if args.list else settings.list.local_path
    local_list = read_list_file(local_path) if local_path is not None else None
    dry_run = args.dry_run or local_list is not None
    repo: GitHubRepo | None = None
    if local_list is None:
        if secrets.github_token is None and not dry_run:
            raise UsageError("opening a pull request needs GITHUB_TOKEN (or GH_TOKEN); or preview with --dry-run")
        repo = list_repo(settings, secrets, "maintain")
    feed_state = FeedState(settings.arxiv.state_file)
    noted = feed_state.noted_new_versions()
    use_dashboard = repo is not None and settings.dashboard.enabled
    if use_dashboard:  # the nightly runs note new versions on the dashboard
        from curatorbot.jobs.dashboard import read_dashboard

        assert repo is not None
        noted = sorted({*noted, *read_dashboard(repo, settings).state.new_versions})
    arxiv = ArxivClient(settings.arxiv)
    scholar = (
        SemanticScholarClient(
            settings.maintenance,
            settings.arxiv,
            secrets.semantic_scholar_api_key.get_secret_value() if secrets.semantic_scholar_api_key else None,
        )
        if settings.maintenance.semantic_scholar
        else None
    )

    def papers(ids: Sequence[str]) -> dict[str, Paper]:
        print(f"curatorbot: reading {len(ids)} listed papers from arXiv", file=sys.stderr)
        return {p.arxiv_id: p for p in arxiv.lookup([parse_user_arxiv_id(i) for i in ids]).papers}

    try:
        try:
            result = run_maintenance(
                MaintenanceRequest(
                    kinds=args.only or settings.maintenance.kinds,
                    dry_run=dry_run,
                    today=args.today or dt.date.today(),
                    noted=tuple(noted),
                ),
                MaintenanceServices(
                    papers=papers, venues=scholar.venues if scholar else None, repo=repo, local_list=local_list
                ),
                settings,
            )
        except CuratorbotError as error:
            if use_dashboard and repo is not None:  # the failure shows where maintainers look
                record_on_dashboard(repo, settings, "maintain", "", dry_run, error=str(error), today=args.today)
            raise
        if use_dashboard:
            assert repo is not None
            checked = set(noted)

            def maintained(state: Any) -> Any:  # the request is done, the noted versions are checked
                versions = {k: v for k, v in state.new_versions.items() if k not in checked}
                return state.model_copy(update={"maintenance_requested": False, "new_versions": versions})

            record_on_dashboard(
                repo, settings, "maintain", result.message, dry_run, change=maintained, today=args.today
            )
    finally:
        arxiv.close()
        if scholar is not None:
            scholar.close()
        if repo is not None:
            repo.close()
    if result.action == "dry-run":
        print(result.diff, end="" if result.diff.endswith("\n") or not result.diff else "\n")
        print(f"\n--- pull request title ---\n{result.title}\n--- pull request body ---\n{result.body}")
    print(result.message)
    print(result.summary)
    if not dry_run and noted:
        feed_state.clear_noted(noted)  # checked: the next nightly run notes only newer versions
    write_step_summary(f"### curatorbot maintain\n\n{result.summary}\n\n{result.message}\n", secrets)
    return ExitCode.OK
