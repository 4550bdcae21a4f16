"""A list's own local model, learned by `curatorbot learn` from the list and its maintainers' decisions:
relevance (the shipped model's features, the list's own weights and thresholds) and section (a linear model
over the words of title and abstract, one row of weights per section), with a card that says what it was
learned from. Read at run time without scikit-learn; numbers only, no pickles.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from curatorbot.classify.relevance import N_FEATURES, HasText, RelevanceModel, _text
from curatorbot.domain.errors import ModelFileError
from curatorbot.domain.text_features import hashed_counts, word_ngrams

RELEVANCE_FILE = "relevance.npz"
SECTIONS_FILE = "sections.npz"
CARD_FILE = "card.json"
CARD_VERSION = 1


@dataclass(frozen=True)
class SectionModel:
    """Which section a paper belongs to: sublinear tf-idf of its words, one linear score per section."""

    sections: tuple[str, ...]
    idf: np.ndarray  # (len(columns),): the idf of each hashed word column the model knows
    columns: np.ndarray  # (len(columns),) sorted hashed word columns; every other column weighs nothing
    coef: np.ndarray  # (len(sections), len(columns))
    intercepts: np.ndarray  # (len(sections),)
    unseen_idf: float  # the idf of a word no example used

    def probabilities(self, papers: Sequence[HasText]) -> np.ndarray:
        """(papers, sections), each row summing to 1 (a softmax of the scores)."""
        rows = []
        for paper in papers:
            counts = hashed_counts(word_ngrams(_text(paper)), N_FEATURES)
            scores = self.intercepts.copy()
            hashed = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            at = np.minimum(np.searchsorted(self.columns, hashed), len(self.columns) - 1)
            known = self.columns[at] == hashed
            # As the training features were: a word the examples never used has the largest idf.
            weight = tf * np.where(known, self.idf[at], self.unseen_idf)
            norm = float(np.sqrt(np.dot(weight, weight)))
            if norm:
                scores = scores + self.coef[:, at[known]] @ (weight[known] / norm)
            exp = np.exp(scores - scores.max())
            rows.append(exp / exp.sum())
        return np.array(rows).reshape(len(papers), len(self.sections))

    @property
    def sha(self) -> str:
        digest = hashlib.sha256("\n".join(self.sections).encode())
        for array in (self.idf, self.columns, self.coef, self.intercepts, np.array([self.unseen_idf])):
            digest.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        return digest.hexdigest()[:12]


@dataclass(frozen=True)
class ModelCard:
    """What the model was learned from and how well it did on papers it had not seen (forward in time)."""

    list_name: str  # the list it belongs to: owner/name/path, or a file's name
    sections: tuple[str, ...]
    learned: str  # the day, YYYY-MM-DD
    counts: dict[str, int]  # papers per source: list entries, accepted, rejected, moved, unlabelled, judged
    figures: dict[str, float]  # forward in time: pre-filter recall and pass rate, section accuracy, ...
    unlabelled_weight: float
    sha: str = ""  # relevance and section weights together
    inputs: str = ""  # a digest of what it was learned from: the list, the decisions, the sections
    version: int = CARD_VERSION
    notes: tuple[str, ...] = field(default=())

    def lines(self) -> list[str]:
        counted = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        shown = ", ".join(
            f"{name} {value:.3f}" if isinstance(value, float) else f"{name} {value}"
            for name, value in self.figures.items()
        )
        return [
            f"model {self.sha} for {self.list_name}, learned {self.learned}",
            f"learned from: {counted}",
            f"forward in time: {shown}",
            f"unlabelled papers weighted {self.unlabelled_weight}; {len(self.sections)} sections",
            *self.notes,
        ]


@dataclass(frozen=True)
class ListModel:
    relevance: RelevanceModel
    sections: SectionModel | None
    card: ModelCard

    def to_files(self) -> dict[str, bytes]:
        """The model as files (names to bytes): the relevance weights, the section weights, the card."""
        files = {RELEVANCE_FILE: self.relevance.to_bytes(), CARD_FILE: self.card_json().encode("utf-8")}
        if self.sections is not None:
            buffer = io.BytesIO()
            np.savez_compressed(
                buffer,
                sections=np.array(self.sections.sections),
                idf=self.sections.idf.astype(np.float32),
                columns=self.sections.columns.astype(np.int64),
                coef=self.sections.coef.astype(np.float32),
                intercepts=self.sections.intercepts.astype(np.float32),
                unseen_idf=np.array([self.sections.unseen_idf]),
            )
            files[SECTIONS_FILE] = buffer.getvalue()
        return files

    def card_json(self) -> str:
        return json.dumps(asdict(self.card), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_files(
        cls, files: Mapping[str, bytes], where: str, expected_list: str, sections: Sequence[str]
    ) -> ListModel:
        """The model from its files, if it is whole and this list's. Raises ModelFileError (one line) for a
        missing, corrupt or foreign model: the caller rebuilds it, never uses another list's."""
        if CARD_FILE not in files:
            raise ModelFileError(f"{where}: no learned model; run `curatorbot learn`")
        try:
            raw: dict[str, Any] = json.loads(files[CARD_FILE].decode("utf-8"))
            card = ModelCard(**{**raw, "sections": tuple(raw["sections"]), "notes": tuple(raw.get("notes", ()))})
            relevance = RelevanceModel.from_bytes(files[RELEVANCE_FILE])
            section_model = None
            if SECTIONS_FILE in files:
                with np.load(io.BytesIO(files[SECTIONS_FILE]), allow_pickle=False) as arrays:
                    section_model = SectionModel(
                        sections=tuple(str(s) for s in arrays["sections"]),
                        idf=arrays["idf"].astype(np.float64),
                        columns=arrays["columns"].astype(np.int64),
                        coef=arrays["coef"].astype(np.float64),
                        intercepts=arrays["intercepts"].astype(np.float64),
                        unseen_idf=float(arrays["unseen_idf"][0]),
                    )
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
            raise ModelFileError(
                f"{where}: the learned model is unreadable ({type(error).__name__}); `curatorbot learn` rebuilds it"
            ) from error
        if card.version != CARD_VERSION:
            raise ModelFileError(
                f"{where}: a model card of version {card.version}, not {CARD_VERSION}; run `curatorbot learn`"
            )
        if card.list_name != expected_list:
            raise ModelFileError(
                f"{where}: the learned model is {card.list_name}'s, not {expected_list}'s; run `curatorbot learn`"
            )
        if section_model is not None and tuple(section_model.sections) != tuple(sections):
            raise ModelFileError(f"{where}: the learned model's sections are not config's; run `curatorbot learn`")
        return cls(relevance, section_model, card)
