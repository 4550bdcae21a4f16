"""A local stand-in for Semantic Scholar's paper batch endpoint (`POST /graph/v1/paper/batch`).

Its one known record is built from the examples in Semantic Scholar's official Academic Graph API
documentation (https://api.semanticscholar.org/api-docs/graph, schema FullPaper): paperId, externalIds,
venue and publicationVenue are the documented example values, with `ArXiv` added to externalIds for the id
asked. `year` is 2020, the year of the documented DOI (10.18653/V1/2020.ACL-MAIN.447): the documented
`year` example (1997) belongs to no record. As documented for the batch endpoint, the answer is a list in
the order of the ids asked, with `null` for an id Semantic Scholar does not know; `fields` is a query
parameter, the ids are the JSON body.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlparse

from fakes.serving import QuietHandler, serve_handler

PORT = 8812
DOCUMENTED_RECORD: dict[str, Any] = {
    "paperId": "5c5751d45e298cea054f32b392c12c61027d2fe7",
    "externalIds": {
        "MAG": "3015453090",
        "DBLP": "conf/acl/LoWNKW20",
        "ACL": "2020.acl-main.447",
        "DOI": "10.18653/V1/2020.ACL-MAIN.447",
        "CorpusId": 215416146,
    },
    "venue": "Annual Meeting of the Association for Computational Linguistics",
    "publicationVenue": {
        "id": "1e33b3be-b2ab-46e9-96e8-d4eb4bad6e44",
        "name": "Annual Meeting of the Association for Computational Linguistics",
        "type": "conference",
        "alternate_names": [
            "Annu Meet Assoc Comput Linguistics",
            "Meeting of the Association for Computational Linguistics",
            "ACL",
            "Meet Assoc Comput Linguistics",
        ],
        "url": "https://www.aclweb.org/anthology/venues/acl/",
    },
    "year": 2020,
}


class SemanticScholarStandin:
    def __init__(self, known: dict[str, dict[str, Any]]) -> None:
        self.known = known  # arXiv id -> record
        self.failures: list[int] = []  # statuses to answer first (429: the shared pool is busy)
        self.requests: list[tuple[dict[str, list[str]], Any, str | None]] = []  # query, body, x-api-key

    def handle(self, path: str, query: dict[str, list[str]], body: Any, api_key: str | None) -> tuple[int, Any]:
        self.requests.append((query, body, api_key))
        if self.failures:
            status = self.failures.pop(0)
            return status, {"message": "Too Many Requests. Please wait and try again or apply for a key"}
        if path != "/graph/v1/paper/batch":
            return 404, {"error": "Requested object not found"}
        answer = []
        for paper_id in body["ids"]:
            arxiv_id = paper_id.removeprefix("ARXIV:")
            record = self.known.get(arxiv_id)
            if record is None:
                answer.append(None)
                continue
            fields = query["fields"][0].split(",")
            full = {**record, "externalIds": {**record["externalIds"], "ArXiv": arxiv_id}}
            answer.append({"paperId": full["paperId"], **{f: full[f] for f in fields if f in full}})
        return 200, answer


@contextmanager
def serve(standin: SemanticScholarStandin, port: int = PORT) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            parsed = urlparse(self.path)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
            status, answer = standin.handle(parsed.path, parse_qs(parsed.query), body, self.headers.get("x-api-key"))
            self.send_body(status, "application/json", json.dumps(answer).encode())

    with serve_handler(Handler, port) as url:
        yield url
