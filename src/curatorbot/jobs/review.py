"""Review from the pull request itself: the checkboxes of the bot's PR body and `/curatorbot` commands in
its comments, carried out on the bot branch by the next run (`curatorbot review`, or the nightly run).

Everything a maintainer writes is untrusted text: it is parsed line by line with strict patterns, only
arXiv ids the marker knows and sections config names are acted on, and nothing of it reaches a shell or
a template unescaped (replies go through sanitize.plain_text). Only users with write permission on the
list's repository may command; the bot's own comments are never read as commands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.classify.classifier import Classifier
from curatorbot.config import Settings
from curatorbot.domain.arxiv_id import find_arxiv_id
from curatorbot.domain.awesome_list import (
    SECTION_SEPARATOR,
    AwesomeList,
    HouseStyle,
    NewEntry,
    list_diff,
    normalize_title,
)
from curatorbot.domain.errors import PlacementError, UnknownSectionError
from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import (
    CHECKBOX_RE,
    Marker,
    ProposalRecord,
    Reviewed,
    RunFacts,
    parse_marker,
    pr_title,
    proposal_record,
    render_body,
)
from curatorbot.domain.render import cells_to_fill, render_line
from curatorbot.domain.sanitize import entry_title, plain_text
from curatorbot.domain.wording import count_of
from curatorbot.jobs.engine import Commit, Start, Target, read_branch, retrying_conflicts, write
from curatorbot.jobs.publish import read_catch_up_progress
from curatorbot.services.interface import CommentInfo, Repo

REPLY_MARKER = "<!-- curatorbot:reply -->"
WRITERS = ("admin", "maintain", "write")  # the collaborator permission levels that may command
MAX_COMMENT_CHARS = 65_536  # GitHub's own limit for a comment body; anything longer is not ours to read
MAX_COMMANDS_PER_COMMENT = 20
# What comments can cost in writes per run: a flood of them (anyone can comment) must not reach GitHub's
# secondary rate limit. Past the caps, the rest are answered together in one reply.
MAX_REPLIES_PER_RUN = 10
MAX_STRANGER_REACTIONS_PER_RUN = 5
# Up to three spaces (a non-breaking one too: some editors put one there) and the word in any case.
_COMMAND_RE = re.compile(r"^[ \u00a0]{0,3}/curatorbot(?:[ \t\u00a0]+(?P<verb>\S+))?(?P<rest>[^\n]*)$", re.IGNORECASE)
_HTML_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Command:
    verb: Literal["move", "reject", "accept", "refresh"]
    arxiv_id: str | None
    argument: str  # the section (move, accept) or the reason (reject)
    line: str  # as written, for the reply


@dataclass
class ReviewPlan:
    changes: list[Reviewed] = field(default_factory=list)
    replies: dict[int, list[str]] = field(default_factory=dict)  # comment id -> one line per command
    reactions: dict[int, str] = field(default_factory=dict)  # comment id -> reaction content
    last_comment_id: int = 0
    refresh_by: str | None = None  # who asked for `/curatorbot refresh`, if anyone
    notes: list[str] = field(default_factory=list)  # what a checkbox asked that could not be done
    # Where each "done" answer about a paper stands (comment id, line, the command as written): an accept
    # or move the list refuses when it is written is answered as not done there instead.
    answers: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    ticked: set[str] = field(default_factory=set)  # flagged papers accepted by their checkbox

    def refuse(self, arxiv_id: str, why: str) -> None:
        """An accept or move of this paper could not be written: it is taken back and said so."""
        self.changes = [c for c in self.changes if c.arxiv_id != arxiv_id]
        for comment_id, position, line in self.answers.pop(arxiv_id, []):
            self.replies[comment_id][position] = f"`{line}`: {arxiv_id} is {why}"
            self.reactions[comment_id] = "confused"
        if arxiv_id in self.ticked:
            self.notes.append(f"{arxiv_id} was ticked but is {why}")


@dataclass(frozen=True)
class Reclassify:
    """`/curatorbot refresh`'s classifier: the given papers classified again, as fresh records (ids it
    cannot find are left out), and the backend that does it (a refresh must ask the night's own)."""

    backend: str
    classify: Callable[[Sequence[str]], list[ProposalRecord]]


def refresh_classifier(
    repo: Repo,
    target: Target,
    lookup: Callable[[Sequence[str]], Sequence[Paper]],
    classifier_for: Callable[[AwesomeList], Classifier],
    backend: str,
) -> Reclassify:
    """`/curatorbot refresh`: the pull request's papers read again (`lookup`, arXiv) and classified as a
    nightly run would, against the list's current base branch."""

    def reclassify(ids: Sequence[str]) -> list[ProposalRecord]:
        awesome = AwesomeList.parse(repo.read_file(target.path, target.base).text)
        papers = list(lookup(ids))
        run = classifier_for(awesome).decide(papers)
        by_id = {p.arxiv_id: p for p in papers}
        word = awesome.house_style().arxiv_venue_word  # a table's own word is applied when it is written
        return [proposal_record(by_id[d.arxiv_id], d, word) for d in run.decisions if d.arxiv_id in by_id]

    return Reclassify(backend, reclassify)


def parse_checkboxes(body: str, marker: Marker) -> tuple[list[str], list[str]]:
    """Proposed papers a maintainer unchecked, and flagged papers a maintainer checked. Only lines of the
    form the bot writes count, and only for ids its marker holds; code blocks are skipped."""
    proposed, flagged = set(marker.proposed_ids), {r.arxiv_id for r in marker.flagged}
    unchecked: list[str] = []
    checked: list[str] = []
    for line in _prose_lines(body):
        match = CHECKBOX_RE.match(line)
        if not match:
            continue
        arxiv_id, ticked = match.group("id"), match.group("mark") != " "
        if arxiv_id in proposed and not ticked and arxiv_id not in unchecked:
            unchecked.append(arxiv_id)
        elif arxiv_id in flagged and ticked and arxiv_id not in checked:
            checked.append(arxiv_id)
    return unchecked, checked


def _prose_lines(text: str) -> list[str]:
    """Lines outside fenced code blocks and block quotes: a command quoted or shown as code is not given."""
    lines: list[str] = []
    fenced = False
    # Only what the thread shows is given: an HTML comment (closed or running to the end) is invisible.
    visible = _HTML_COMMENT_RE.sub("", text[:MAX_COMMENT_CHARS])
    for line in visible.splitlines():
        if _FENCE_RE.match(line):
            fenced = not fenced
            continue
        if fenced or line.lstrip().startswith(">"):
            continue
        lines.append(line)
    return lines


def parse_commands(body: str) -> list[Command | str]:
    """The commands of a comment, one per line; a line that starts like a command but is not one becomes
    the reply explaining why (a string)."""
    found: list[Command | str] = []
    for line in _prose_lines(body):
        match = _COMMAND_RE.match(line)
        if not match:
            continue
        if len(found) == MAX_COMMANDS_PER_COMMENT:
            found.append(f"only the first {MAX_COMMANDS_PER_COMMENT} commands of a comment are read")
            break
        shown = plain_text(line.strip(), 120)
        verb, words = (match.group("verb") or "").lower(), match.group("rest").split()
        # The one id grammar: 2510.11639v2, arXiv:2510.11639 and an abs URL name the same paper.
        paper = find_arxiv_id(words[0]) if words else None
        if verb == "refresh" and not words:
            found.append(Command("refresh", None, "", shown))
        elif verb in ("move", "reject", "accept") and paper is not None:
            argument = " ".join(words[1:])
            if verb == "move" and not argument:
                found.append(f"`{shown}`: say where to, e.g. `/curatorbot move {paper.id} Generative Retrieval`")
            else:
                found.append(Command(verb, paper.id, argument, shown))  # type: ignore[arg-type]
        else:
            found.append(
                f"`{shown}`: not a command; use move ID SECTION, reject ID [reason], accept ID [SECTION] or refresh"
            )
    return found


def resolve_section(text: str, sections: Sequence[str]) -> tuple[str | None, list[str]]:
    """A section by its heading path, its last heading, or a unique part of either, case-insensitively:
    (the path, []) when one matches, (None, the candidates) when several do, (None, []) when none does."""
    wanted = SECTION_SEPARATOR.join(part.strip() for part in " ".join(text.split()).lower().split(">"))
    if not wanted:
        return None, []
    for same in (
        lambda s: s.lower() == wanted,
        lambda s: s.split(">")[-1].strip().lower() == wanted,
        lambda s: wanted in s.lower(),
    ):
        found = [s for s in sections if same(s)]
        if len(found) == 1:
            return found[0], []
        if found:
            return None, found
    return None, []


def plan_review(
    marker: Marker,
    body: str,
    comments: Sequence[CommentInfo],
    may_command: dict[str, bool],
    settings: Settings,
    refresh_backend: str | None = None,
    edited_comment: int | None = None,
) -> ReviewPlan:
    """What the checkboxes and the new command comments ask, in order; pure."""
    plan = ReviewPlan(last_comment_id=marker.last_comment_id)
    proposed = {r.arxiv_id: r for r in marker.proposed}
    flagged = {r.arxiv_id: r for r in marker.flagged}
    sections = list(settings.section_paths)

    unchecked, checked = parse_checkboxes(body, marker)
    for arxiv_id in unchecked:
        plan.changes.append(
            Reviewed(arxiv_id=arxiv_id, action="rejected", section=proposed[arxiv_id].section, by="checkbox")
        )
        proposed.pop(arxiv_id)
    for arxiv_id in checked:
        section = flagged[arxiv_id].section
        if section in sections:
            plan.changes.append(Reviewed(arxiv_id=arxiv_id, action="accepted", section=section, by="checkbox"))
            plan.ticked.add(arxiv_id)
            proposed[arxiv_id] = flagged.pop(arxiv_id)
        else:
            plan.notes.append(
                f"{arxiv_id} was ticked but has no suggested section, so it was not added; comment "
                f"`/curatorbot accept {arxiv_id} SECTION` to add it"
            )

    strangers: list[str] = []
    for comment in sorted(comments, key=lambda c: c.id):
        plan.last_comment_id = max(plan.last_comment_id, comment.id)
        if comment.is_bot or REPLY_MARKER in comment.body:
            continue  # the bot's own words
        commands = parse_commands(comment.body)
        if comment.id <= marker.last_comment_id:  # read before: an edit is answered, never carried out
            if comment.id == edited_comment and commands and may_command.get(comment.author, False):
                plan.replies[comment.id] = [
                    "this comment was edited after curatorbot read it; an edited command is not carried out "
                    "(each comment is read once, when posted): post the command as a new comment"
                ]
                plan.reactions[comment.id] = "confused"
            continue
        if not commands:
            continue
        if not may_command.get(comment.author, False):
            # No reply each: one reaction while few, and one reply for all of them this run.
            strangers.append(comment.author)
            if len(strangers) <= MAX_STRANGER_REACTIONS_PER_RUN:
                plan.reactions[comment.id] = "eyes"
            continue
        lines: list[str] = []
        failed = False
        for command in commands:
            if isinstance(command, str):
                lines.append(command)
                failed = True
                continue
            refresh = _refresh_refusal(marker, refresh_backend)
            line = _apply_command(command, comment.author, proposed, flagged, sections, plan, refresh)
            failed |= not line.startswith("done")
            if line.startswith("done") and command.arxiv_id and command.verb in ("accept", "move"):
                plan.answers.setdefault(command.arxiv_id, []).append((comment.id, len(lines), command.line))
            lines.append(line)
        plan.replies[comment.id] = lines
        plan.reactions[comment.id] = "confused" if failed else "+1"
    if strangers:
        logins = list(dict.fromkeys(strangers))
        # Named, never @mentioned: a flood of strangers must not become a flood of notifications.
        who = ", ".join(plain_text(login, 40) for login in logins[:10])
        who += f" and {len(logins) - 10} more" if len(logins) > 10 else ""
        plan.notes.append(
            f"Thank you, {who}: only people with write access to this repository can command curatorbot, so "
            f"{count_of(len(strangers), 'command comment')} changed nothing. A maintainer can repeat a command."
        )
    return plan


def _refresh_refusal(marker: Marker, backend: str | None) -> str | None:
    """Why this run cannot refresh, or None: a refresh asks the classifier that decided the pull request,
    never a weaker one (the local model moved most of what an LLM had placed)."""
    if backend is None:
        return "refresh needs a classifier, which this run lacks"
    if marker.backend is not None and marker.backend != backend:
        return (
            f"this pull request was classified by the {marker.backend} backend and this run has only the "
            f"{backend} one; give the review workflow the same LLM settings and key (OPENAI_API_KEY) as the nightly"
        )
    return None


def _apply_command(
    command: Command,
    author: str,
    proposed: dict[str, ProposalRecord],
    flagged: dict[str, ProposalRecord],
    sections: list[str],
    plan: ReviewPlan,
    refresh_refused: str | None,
) -> str:
    said = f"`{command.line}`"
    if command.verb == "refresh":
        if refresh_refused is not None:
            return f"{said}: {refresh_refused}; nothing changed"
        plan.refresh_by = author
        return (
            f"done, {said}: the papers of this pull request are classified again; a proposed paper whose "
            "section changed moves there, and every confidence, rationale and suggested section is updated"
        )
    arxiv_id = command.arxiv_id or ""
    if command.verb == "reject":
        record = proposed.pop(arxiv_id, None) or flagged.pop(arxiv_id, None)
        if record is None:
            return f"{said}: {arxiv_id} is not in this pull request; nothing changed"
        plan.changes.append(Reviewed(arxiv_id=arxiv_id, action="rejected", section=record.section, by=author))
        return f"done, {said}: {arxiv_id} is rejected and will not be proposed again"
    target: str | None = None
    if command.argument or command.verb == "move":
        target, candidates = resolve_section(command.argument, sections)
        if target is None:
            if candidates:
                return f"{said}: '{plain_text(command.argument, 80)}' could be {', '.join(candidates)}; give the path"
            return f"{said}: no section '{plain_text(command.argument, 80)}'; the sections are {', '.join(sections)}"
    if command.verb == "accept":
        record = flagged.get(arxiv_id)
        if record is None:
            where = "already proposed" if arxiv_id in proposed else "not in this pull request"
            return f"{said}: {arxiv_id} is {where}; nothing changed"
        section = target or record.section
        if section not in sections:
            example = f"/curatorbot accept {arxiv_id} Paper List"
            return f"{said}: {arxiv_id} has no suggested section; give one, e.g. `{example}`"
        proposed[arxiv_id] = flagged.pop(arxiv_id).model_copy(update={"section": section})
        plan.changes.append(Reviewed(arxiv_id=arxiv_id, action="accepted", section=section, by=author))
        return f"done, {said}: {arxiv_id} is added under {section}"
    record = proposed.get(arxiv_id)  # move
    if record is None:
        return f"{said}: {arxiv_id} is not proposed in this pull request; nothing changed"
    if record.section == target:
        return f"done, {said}: {arxiv_id} is already under {target}"
    proposed[arxiv_id] = record.model_copy(update={"section": target})
    plan.changes.append(Reviewed(arxiv_id=arxiv_id, action="moved", section=target, by=author))
    return f"done, {said}: {arxiv_id} moved from {record.section} to {target}"


def apply_calls(
    awesome: AwesomeList, marker: Marker, changes: Sequence[Reviewed]
) -> tuple[AwesomeList, Marker, dict[str, str]]:
    """The branch's list and the marker after the changes, and the papers an accept or move could not be
    written for (id -> why). The list is the branch's current file, so a maintainer's own edits are kept;
    a call that cannot be written changes nothing, neither the list nor the marker."""
    refused: dict[str, str] = {}
    while True:
        kept = [c for c in changes if c.arxiv_id not in refused]
        updated, new_marker, unwritten = _apply_once(awesome, marker, kept)
        if not unwritten:
            return updated, new_marker, refused
        refused |= unwritten  # applied again without them: each round leaves out one more paper at least


def _apply_once(
    awesome: AwesomeList, marker: Marker, changes: Sequence[Reviewed]
) -> tuple[AwesomeList, Marker, dict[str, str]]:
    proposed = {r.arxiv_id: r for r in marker.proposed}
    flagged = {r.arxiv_id: r for r in marker.flagged}
    rejected = set(marker.rejected)
    listed_before = {e.arxiv_id: e for e in awesome.entries if e.arxiv_id}
    removals: dict[str, tuple[str, ...] | None] = {}  # id -> the section of the entry to take out (None: all)
    unplaced: dict[str, str] = {}  # id -> why its entry cannot be written where a maintainer asked
    additions: dict[str, NewEntry] = {}
    for change in changes:
        record = proposed.get(change.arxiv_id) or flagged.get(change.arxiv_id)
        if record is None:
            continue
        if change.action == "rejected":
            proposed.pop(change.arxiv_id, None)
            flagged.pop(change.arxiv_id, None)
            rejected.add(change.arxiv_id)
            removals[change.arxiv_id] = None
            additions.pop(change.arxiv_id, None)
            continue
        assert change.section is not None
        try:
            form = awesome.entry_form(change.section)
        except (PlacementError, UnknownSectionError) as error:
            unplaced[change.arxiv_id] = str(error)  # and the entry stays where it is
            continue
        if change.arxiv_id in proposed and record.section:  # a move: only the bot's own entry goes
            removals[change.arxiv_id] = tuple(part.strip() for part in record.section.split(">"))
        record = record.model_copy(update={"section": change.section, "to_fill": cells_to_fill(form)})
        flagged.pop(change.arxiv_id, None)
        proposed[change.arxiv_id] = record
        # A list item moved to another list keeps the line a maintainer may have edited; into a table it is
        # written again as a row of that table.
        before = listed_before.get(change.arxiv_id)
        kept = before.raw if before is not None and before.kind == "list" and isinstance(form, HouseStyle) else None
        line = kept or render_line(record.arxiv_id, record.title, record.venue, record.code_url, form)
        additions[change.arxiv_id] = NewEntry(
            section=change.section, text=line.strip("\r\n"), arxiv_id=change.arxiv_id, title=record.title
        )
    updated = awesome.remove(removals)
    # Entries, not links: a "see also" link to the paper elsewhere does not make it listed.
    listed = {e.arxiv_id: e for e in updated.entries if e.arxiv_id}
    titled = {e.norm_title: e for e in updated.entries if e.norm_title}
    unwritten: dict[str, str] = {i: f"{why}; nothing changed" for i, why in unplaced.items()}
    fresh = []
    for arxiv_id, addition in additions.items():
        same = listed.get(arxiv_id) or titled.get(normalize_title(addition.title))
        if not entry_title(addition.title):
            unwritten[arxiv_id] = "titled only in markup, so no entry can be written for it; add it by hand"
        elif same is None:
            fresh.append(addition)
        elif same.section_path != addition.section or same.arxiv_id != arxiv_id:
            where = same.section_path or "the list's top"
            unwritten[arxiv_id] = f"already listed under {where} (line {same.line}); nothing changed"
    updated = updated.insert(fresh, known="entries") if fresh else updated
    for arxiv_id, addition in additions.items():  # the insert is checked, never assumed
        written = any(e.arxiv_id == arxiv_id and e.section_path == addition.section for e in updated.entries)
        if addition in fresh and not written:
            unwritten[arxiv_id] = "not written: the list did not take its entry; nothing changed"
    return (
        updated,
        marker.model_copy(
            update={
                "proposed": tuple(proposed.values()),
                "flagged": tuple(flagged.values()),
                "rejected": tuple(sorted(rejected)),
                "reviewed": (*marker.reviewed, *changes),
            }
        ),
        unwritten,
    )


@dataclass
class ReviewResult:
    pr_number: int | None
    changes: list[Reviewed] = field(default_factory=list)
    replies: int = 0
    diff: str = ""
    message: str = ""


def refreshed(
    marker: Marker, fresh: Sequence[ProposalRecord], sections: Sequence[str], by: str
) -> tuple[Marker, list[Reviewed]]:
    """The marker with the fresh classification's confidence, rationale and suggested section, and a move
    for each proposed paper whose section changed. Whether a paper is in the list stays the maintainers'."""
    by_id = {r.arxiv_id: r for r in fresh}
    moves = [
        Reviewed(arxiv_id=r.arxiv_id, action="moved", section=by_id[r.arxiv_id].section, by=by)
        for r in marker.proposed
        if r.arxiv_id in by_id and by_id[r.arxiv_id].section in sections and by_id[r.arxiv_id].section != r.section
    ]

    def update(record: ProposalRecord, keep_section: bool) -> ProposalRecord:
        new = by_id.get(record.arxiv_id)
        if new is None:
            return record
        section = record.section if keep_section or new.section not in sections else new.section
        return record.model_copy(update={"confidence": new.confidence, "rationale": new.rationale, "section": section})

    return marker.model_copy(
        update={
            "proposed": tuple(update(r, keep_section=True) for r in marker.proposed),  # moves set these
            "flagged": tuple(update(r, keep_section=False) for r in marker.flagged),
        }
    ), moves


def run_review(
    repo: Repo,
    settings: Settings,
    facts: RunFacts,
    dry_run: bool,
    pr_number: int | None = None,
    reclassify: Reclassify | None = None,
    edited_comment: int | None = None,
) -> ReviewResult:
    """Carry out what every open bot pull request's checkboxes and new command comments ask: the nightly one
    and each catch-up one, told apart by their branch and marker (`pr_number`: only that one).
    `reclassify` serves `/curatorbot refresh` (without it, refresh is answered as unavailable in this run).
    A branch that moved meanwhile (another review, the nightly run) is read again and planned again."""
    targets = bot_pull_targets(repo, settings)
    if pr_number is not None:
        targets = [(number, target) for number, target in targets if number == pr_number]
    if not targets:
        which = f"pull request #{pr_number} is no open curatorbot pull request" if pr_number else "no open curatorbot"
        return ReviewResult(None, message=f"{which}{' pull request' if not pr_number else ''} to review")

    def review_one(target: Target) -> ReviewResult:
        return retrying_conflicts(
            lambda: _review_once(repo, target, settings, facts, dry_run, reclassify, edited_comment)
        )

    results = [review_one(target) for _, target in targets]
    if len(results) == 1:
        return results[0]
    return ReviewResult(
        None,
        changes=[c for r in results for c in r.changes],
        replies=sum(r.replies for r in results),
        diff="".join(r.diff for r in results),
        message="; ".join(r.message for r in results),
    )


def bot_pull_targets(repo: Repo, settings: Settings) -> list[tuple[int, Target]]:
    """The open pull requests the bot wrote, with where each writes: the nightly branch's and every open
    catch-up window's (the adapter lists only the repository's own branches, never a fork's)."""
    found: list[tuple[int, Target]] = []
    nightly = Target.nightly(settings)
    if (pull := repo.open_pull(nightly.branch, nightly.base)) is not None:
        found.append((pull.number, nightly))
    progress = read_catch_up_progress(repo, settings.catch_up.branch_prefix, nightly.base)
    for window in progress.open_windows:
        target = Target.catch_up(settings, window)
        if progress.pulls[window].branch == target.branch:  # a marker naming another window is not trusted
            found.append((progress.pulls[window].number, target))
    return sorted(found, key=lambda found_pull: found_pull[0])


def _review_once(
    repo: Repo,
    target: Target,
    settings: Settings,
    facts: RunFacts,
    dry_run: bool,
    reclassify: Reclassify | None,
    edited_comment: int | None = None,
) -> ReviewResult:
    branch = read_branch(repo, target)
    pull = branch.open_pr
    if pull is None:
        return ReviewResult(None, message=f"no open curatorbot pull request from {target.branch} to review")
    marker = parse_marker(pull.body)
    if marker is None:  # someone else's pull request from the bot's branch: not ours to change
        return ReviewResult(pull.number, message=f"pull request #{pull.number} has no curatorbot marker; not reviewed")
    # An edited comment read before is fetched too: its command was read once, when posted, and the
    # maintainer is told so instead of hearing nothing.
    read_from = min(marker.last_comment_id, edited_comment - 1) if edited_comment else marker.last_comment_id
    comments = repo.pull_comments(pull.number, after_id=read_from)
    authors = {c.author for c in comments if not c.is_bot and REPLY_MARKER not in c.body and parse_commands(c.body)}
    may_command = {author: repo.permission(author) in WRITERS for author in sorted(authors)}
    plan = plan_review(
        marker,
        pull.body,
        comments,
        may_command,
        settings,
        refresh_backend=reclassify.backend if reclassify else None,
        edited_comment=edited_comment,
    )
    if plan.refresh_by is not None and reclassify is not None:
        # Papers this review rejects are not asked about; a paper a command already moved keeps that move.
        rejected_now = {c.arxiv_id for c in plan.changes if c.action == "rejected"}
        ids = [r.arxiv_id for r in (*marker.proposed, *marker.flagged) if r.arxiv_id not in rejected_now]
        marker, moves = refreshed(marker, reclassify.classify(ids), settings.section_paths, plan.refresh_by)
        decided = {c.arxiv_id for c in plan.changes}
        plan.changes += [m for m in moves if m.arxiv_id not in decided]
    result = ReviewResult(pull.number, changes=plan.changes)
    if not plan.changes and not plan.replies and not plan.notes and plan.last_comment_id == marker.last_comment_id:
        result.message = f"pull request #{pull.number}: nothing to carry out"
        return result
    start = Start.on_open_branch(branch)
    before = AwesomeList.parse(start.text)
    after, new_marker, refused = apply_calls(before, marker, plan.changes)
    for arxiv_id, why in refused.items():
        plan.refuse(arxiv_id, why)
    result.changes = plan.changes
    new_marker = new_marker.model_copy(update={"last_comment_id": plan.last_comment_id})
    result.diff = list_diff(start.text, after.to_markdown(), target.path)
    said = ", ".join(f"{c.action} {c.arxiv_id}" for c in plan.changes) or "no list change"
    if dry_run:
        result.message = f"dry run: pull request #{pull.number} would get {said}; nothing written"
        return result
    commits = (
        [
            Commit(
                after.to_markdown(),
                f"curatorbot: apply review ({said})\n\nFrom the pull request's checkboxes and commands.",
            )
        ]
        if after.to_markdown() != start.text
        else []
    )

    def body(head_sha: str | None) -> str:
        return render_body(new_marker.model_copy(update={"head_sha": head_sha}) if head_sha else new_marker, facts)

    write(repo, target, branch, start, commits, pr_title(target.title, new_marker.proposed), body)
    answered = list(plan.replies.items())
    for _, lines in answered[:MAX_REPLIES_PER_RUN]:
        repo.reply(pull.number, "\n".join(f"- {line}" for line in lines) + f"\n\n{REPLY_MARKER}")
    if rest := answered[MAX_REPLIES_PER_RUN:]:  # a flood of commands: the rest in one reply
        together = "\n".join(f"- {line} (comment {comment_id})" for comment_id, said in rest for line in said)
        repo.reply(pull.number, together[: MAX_COMMENT_CHARS - 100] + f"\n\n{REPLY_MARKER}")
    for comment_id, reaction in list(plan.reactions.items())[: MAX_REPLIES_PER_RUN + MAX_STRANGER_REACTIONS_PER_RUN]:
        repo.react(pull.number, comment_id, reaction)
    if plan.notes:  # the re-rendered body unticks the box: said once, not every run
        repo.reply(pull.number, "\n".join(f"- {note}" for note in plan.notes) + f"\n\n{REPLY_MARKER}")
    result.replies = len(plan.replies)
    result.message = f"pull request #{pull.number}: {said}; {count_of(len(plan.replies), 'command comment')} answered"
    return result


def maintainer_decisions(repo: Repo, settings: Settings) -> list[dict[str, object]]:
    """Every call maintainers made from the bot's pull requests (nightly and catch-up), oldest pull request
    first, as labelled examples: accepted and moved papers with their section, rejected ones."""
    branch, base = settings.pr.branch, settings.list.base_branch
    open_pr = repo.open_pull(branch, base)
    pulls = [
        *repo.closed_pulls(branch, base),
        *([open_pr] if open_pr else []),
        *repo.pulls_from_branches(settings.catch_up.branch_prefix, base),
    ]
    rows: list[dict[str, object]] = []
    for pull in sorted(pulls, key=lambda p: p.number):
        marker = parse_marker(pull.body)
        if marker is None:
            continue
        titles = {r.arxiv_id: r.title for r in (*marker.proposed, *marker.flagged)}
        for call in marker.reviewed:
            rows.append(
                {
                    "arxiv_id": call.arxiv_id,
                    "title": titles.get(call.arxiv_id, ""),
                    "action": call.action,
                    "relevant": call.action != "rejected",
                    "section": call.section,
                    "by": call.by,
                    "pull_request": pull.number,
                }
            )
    return rows
