"""What a list entry needs beyond arXiv's own fields, as pure functions: venue, code link, year.

The venue parser reads arXiv comments and journal refs the way a maintainer would: "Accepted by SIGIR
2024" is `SIGIR 2024`, "RecSys '23 LBR" is `RecSys 2023 LBR`, "To appear in WWW'25" is `WWW 2025`;
"Under review at KDD 2025" or "Extension of our SIGMOD 2026 paper" is no venue at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class ExternalVenue:
    """What a second source (Semantic Scholar) says about where a paper was published."""

    arxiv_id: str
    venue: str  # as the source spells it: "Annual International ACM SIGIR Conference on ..."
    alternate_names: tuple[str, ...] = ()
    year: int | None = None
    source: str = "Semantic Scholar"


# Canonical spelling (as lists write it) -> regex of the ways comments spell it.
_KNOWN_VENUES: dict[str, str] = {
    "SIGIR-AP": r"SIGIR[- ]AP",
    "SIGIR": r"(?:ACM[- ])?SIGIR(?![- ]AP)|Research and Development in Information Retrieval",
    "KDD": r"(?:ACM[- ])?(?:SIG)?KDD(?![- ]?Cup)|Knowledge Discovery and Data Mining(?! \(PAKDD)",
    "WWW": r"WWW|The ?Web ?Conf(?:erence)?|TheWebConf|World Wide Web Conference",
    "WSDM": r"WSDM|Web Search and Data Mining",
    "CIKM": r"CIKM|Information and Knowledge Management",
    "RecSys": r"(?:ACM[- ])?RecSys|Conference on Recommender Systems",
    "ICDE": r"ICDE",
    "ICDM": r"ICDM",
    "SDM": r"SDM",
    "AAAI": r"AAAI(?![- ]?ICWSM)",
    "IJCAI": r"IJCAI",
    "ICML": r"ICML",
    "ICLR": r"ICLR",
    "NeurIPS": r"NeurIPS|NIPS",
    "ACL": r"ACL|Association for Computational Linguistics",
    "EMNLP": r"EMNLP",
    "NAACL": r"NAACL",
    "EACL": r"EACL",
    "COLING": r"COLING",
    "COLM": r"COLM",
    "ECIR": r"ECIR",
    "ACM MM": r"ACM ?MM|ACM Multimedia|MM(?=['’ ]?\d{2}\b)|International Conference on Multimedia",
    "TOIS": r"(?:ACM )?TOIS|Transactions on Information Systems",
    "TORS": r"(?:ACM )?TORS|Transactions on Recommender Systems",
    "TKDE": r"(?:IEEE )?TKDE|Transactions on Knowledge and Data Engineering",
    "TIST": r"TIST",
    "UMAP": r"UMAP",
    "CHI": r"CHI",
    "CSCW": r"CSCW",
    "ICWSM": r"ICWSM",
    "CVPR": r"CVPR",
    "ICCV": r"ICCV",
    "ECCV": r"ECCV",
    "ICASSP": r"ICASSP",
    "Interspeech": r"Interspeech|INTERSPEECH",
    "PAKDD": r"PAKDD",
    "DASFAA": r"DASFAA",
    "VLDB": r"VLDB|PVLDB",
    "SIGMOD": r"SIGMOD",
    "LREC": r"LREC(?:-COLING)?",
    "ICTIR": r"ICTIR",
    "ECML-PKDD": r"ECML[- ]?PKDD",
    "AISTATS": r"AISTATS",
    "UAI": r"UAI",
    "TMLR": r"TMLR",
}
_VENUE_RES = [(name, re.compile(rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])")) for name, pattern in _KNOWN_VENUES.items()]
# An acronym the known table lacks ("IJCNN 2025", "PAKDD2025"): accepted only with an acceptance cue.
_GENERIC_ACRONYM_RE = re.compile(r"(?<![A-Za-z])(?P<name>[A-Z][A-Z0-9&]{2,}(?:-[A-Z0-9]+)?)(?![A-Za-z])")
_NOT_VENUES = frozenset(
    {
        "ACM",
        "IEEE",
        "LLM",
        "LLMS",
        "RAG",
        "USA",
        "URL",
        "PDF",
        "GPU",
        "CEUR",
        "AI",
        "NLP",
        "IR",
        "CCF",
        "SIAM",
    }
)
# A year after a venue: "2025", "'25", " 25", or two digits joined to the acronym ("SIGIR25").
_YEAR_AFTER_RE = re.compile(r"[\s\-–'’()\[\]:,]*(?P<year>(?:19|20)\d{2}|['’]\d{2}|(?<=[\sA-Z])\d{2})(?!\d)")
_ANY_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ACCEPTANCE_RE = re.compile(
    r"accepted|to appear|appear(?:s|ed)? (?:in|at)|published|publication|proceedings|camera[- ]ready|"
    r"presented (?:at|to|in)|in press",
    re.IGNORECASE,
)
# A clause that names a venue without the paper being there.
_NEGATIVE_RE = re.compile(
    r"under review|submitted|submission|extension of|extended version|extends our|in submission|"
    r"preprint of|rejected|withdrawn|workshop proposal",
    re.IGNORECASE,
)
_WORKSHOP_RE = re.compile(
    r"(?i:workshop|in conjunction with|co-located|\bSRW\b|student research)|[A-Za-z0-9]\s?@\s?[A-Z]"
)
# "presented to LLM4EVAL at WSDM '25": an event of its own name held at the venue is a workshop.
_HOSTED_AT_RE = re.compile(
    r"(?<![A-Za-z])(?=\S*[A-Z]\S*[A-Z0-9])(?!ACM\b|IEEE\b)[A-Za-z][\w\-]+\s+(?:at|@)\s+(?:the\s+)?$"
)
_QUALIFIERS = (
    (re.compile(r"findings", re.IGNORECASE), "Findings"),
    (re.compile(r"\bLBR\b|late[- ]breaking", re.IGNORECASE), "LBR"),
    (re.compile(r"short paper|short track|\(short\)", re.IGNORECASE), "Short Paper"),
    (re.compile(r"\bdemo(?:nstration)?\b", re.IGNORECASE), "Demo"),
    (re.compile(r"\btutorial\b", re.IGNORECASE), "Tutorial"),
)
# Tracks that are not the main conference: written only as the list writes them, never as the main venue.
NOT_MAIN_TRACK = frozenset({"Workshop", "Findings", "Demo", "Tutorial"})
_CODE_URL_RE = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co)/[^\s<>\"'{}|\\^`\])]+", re.IGNORECASE
)
_TRAILING_URL_PUNCTUATION = ".,;:!?)]}'\"*"


class Venue(NamedTuple):
    name: str
    year: int
    qualifier: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.year}" + (f" {self.qualifier}" if self.qualifier else "")


def find_venue(comments: str | None, journal_ref: str | None = None, *, require_cue: bool = False) -> Venue | None:
    """The peer-reviewed venue a paper is accepted at, from its comments or journal ref, or None.

    A year is never guessed: a venue named without one is no venue. With `require_cue` a comment must say
    accepted, published or to appear ("KDD 2025" alone may be a submission): an edit of a listed entry asks it.
    """
    for text, needs_cue in ((journal_ref, False), (comments, True)):
        if not text:
            continue
        found = _venue_in(" ".join(text.split()), needs_cue=needs_cue, strict=require_cue)
        if found:
            return found
    return None


def venue_label(
    comments: str | None,
    journal_ref: str | None,
    year: int,
    arxiv_word: str = "arxiv",
) -> str:
    """The venue as the list writes it: `SIGIR 2024`, or `arxiv 2024` when there is none."""
    venue = find_venue(comments, journal_ref)
    return str(venue) if venue else f"{arxiv_word} {year}"


def _clauses(text: str) -> list[str]:
    # Clauses split on sentence ends and semicolons, and on commas that start a new thought.
    return [c for c in re.split(r"(?<=[.;])\s+|;\s*|,\s+(?=[A-Z])", text) if c.strip()]


def _venue_in(text: str, *, needs_cue: bool, strict: bool) -> Venue | None:
    candidates: list[tuple[int, Venue]] = []
    for clause in _clauses(text):
        if _NEGATIVE_RE.search(clause):
            continue
        accepted = _ACCEPTANCE_RE.search(clause) is not None
        if needs_cue and strict and not accepted:
            continue
        for name, regex in _VENUE_RES:
            for match in regex.finditer(clause):
                qualifier = _qualifier(clause, clause[: match.start()])
                year = _year_after(clause, match.end())
                if year is not None:
                    candidates.append((0, Venue(name, year, qualifier)))
                elif any_year := _ANY_YEAR_RE.search(clause):
                    candidates.append((1, Venue(name, int(any_year.group()), qualifier)))
        if accepted:
            for match in _GENERIC_ACRONYM_RE.finditer(clause):
                acronym = match.group("name")
                year = _year_after(clause, match.end())
                if acronym.upper() in _NOT_VENUES or year is None or _is_known(acronym):
                    continue
                candidates.append((2, Venue(acronym, year, _qualifier(clause, clause[: match.start()]))))
    if not candidates:
        return None
    rank, venue = min(candidates, key=lambda c: c[0])
    if needs_cue and rank == 1 and not _ACCEPTANCE_RE.search(text) and not text.lstrip().startswith(venue.name):
        return None
    return venue


def _is_known(acronym: str) -> bool:
    return any(regex.fullmatch(acronym) for _, regex in _VENUE_RES)


def _qualifier(clause: str, before_venue: str) -> str | None:
    """The track when it is not the main conference (a workshop, demo, findings or tutorial), or the kind
    of paper ("Short Paper", "LBR"); None for the main track."""
    if _WORKSHOP_RE.search(clause) or _HOSTED_AT_RE.search(before_venue):
        return "Workshop"
    for regex, label in _QUALIFIERS:
        if regex.search(clause):
            return label
    return None


def _year_after(clause: str, at: int) -> int | None:
    match = _YEAR_AFTER_RE.match(clause, at)  # matched in place: the year may be joined to the acronym
    if not match:
        return None
    digits = match.group("year").lstrip("'’")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


# What a code link may be where it is shown (a PR body) or written (the list): a repository on a code host.
SAFE_CODE_URL_RE = re.compile(r"^https://(?:github\.com|gitlab\.com|huggingface\.co)/[\w.\-]+/[\w.\-/]+$")

# A survey's companion repository is a reading list, not code: by its name, or by what the text says of it.
_READING_LIST_NAME_RE = re.compile(r"awesome|paper[-_]?lists?|reading[-_]?lists?|(?:^|[-_])papers?$|survey", re.I)
_READING_LIST_CONTEXT_RE = re.compile(
    r"(?:paper|reading)\s+lists?|lists?\s+of\s+(?:related\s+)?(?:papers|works|resources)|"
    r"collection\s+of\s+(?:papers|works|resources)|awesome|continuously\s+updated",
    re.I,
)


def find_code_url(*texts: str | None) -> str | None:
    """The first GitHub, GitLab or Hugging Face link in the given texts that points at a repository of
    code (not a user page, not a survey's reading list), trailing punctuation stripped."""
    for text in texts:
        if not text:
            continue
        for match in _CODE_URL_RE.finditer(text):
            url = match.group().rstrip(_TRAILING_URL_PUNCTUATION)
            path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
            if "/" not in path.strip("/"):
                continue  # a user or organisation page, not a repository
            sentence = re.split(r"[.!?]\s", text[max(0, match.start() - 160) : match.start()])[-1]
            if _READING_LIST_NAME_RE.search(path.strip("/").split("/")[1]) or _READING_LIST_CONTEXT_RE.search(sentence):
                continue  # a reading list
            if "github.com" in url.lower():
                url = re.sub(r"\.git$", "", url)
            return url
    return None
