"""The one marker codec: each job reads only its own kind, and markers written before the kinds existed
(open pull requests at an upgrade) are read with their memory."""

from curatorbot.domain.marker import decode_marker, encode_marker
from curatorbot.domain.pull_request import parse_marker
from curatorbot.jobs.maintain import parse_marker as parse_maintenance_marker

# As curatorbot wrote them before the codec had kinds (from the golden files of that version).
OLD_PROPOSALS = (
    'Body text.\n\n<!-- curatorbot:{"version":2,"base_sha":"' + "a" * 40 + '","head_sha":null,'
    '"sections":["Paper List"],"proposed":[["2503.01711","A title",0,0.9,"arxiv 2025",null]],'
    '"flagged":[],"rejected":["2401.00001","2401.00002"],"last_comment":7,'
    '"reviewed":[["2401.00001","rejected",null,"maintainer"]]} -->\n'
)
OLD_MAINTENANCE = (
    'Body.\n\n<!-- curatorbot-maintenance:{"version": 1, "base_sha": "' + "0" * 40 + '", "changes": '
    '[["venues", "venues:2306.05817:CVPR 2025", 17, "2306.05817", "A title", "arxiv 2023", "CVPR 2025", '
    '"arXiv comments: Accepted by CVPR\'25"]], "rejected": ["lint:2301.00001:period"]} -->\n'
)


def test_an_old_proposals_marker_keeps_its_memory() -> None:
    marker = parse_marker(OLD_PROPOSALS)
    assert marker is not None and marker.proposed_ids == ["2503.01711"]
    assert marker.rejected == ("2401.00001", "2401.00002") and marker.last_comment_id == 7
    assert marker.reviewed[0].by == "maintainer"


def test_an_old_maintenance_marker_keeps_its_memory() -> None:
    marker = parse_maintenance_marker(OLD_MAINTENANCE)
    assert marker is not None and [c.key for c in marker.changes] == ["venues:2306.05817:CVPR 2025"]
    assert marker.rejected == ("lint:2301.00001:period",)


def test_each_job_reads_only_its_own_kind() -> None:
    assert parse_marker(OLD_MAINTENANCE) is None and parse_maintenance_marker(OLD_PROPOSALS) is None
    both = encode_marker("maintenance", {"x": 1}) + "\n" + encode_marker("proposals", {"y": 2})
    assert decode_marker(both, "proposals") == {"kind": "proposals", "y": 2}
    assert decode_marker(both, "maintenance") == {"kind": "maintenance", "x": 1}


def test_marker_text_cannot_end_the_comment_or_open_a_tag() -> None:
    text = encode_marker("proposals", {"title": "a --> b <script>"})
    inner = text.removeprefix("<!--").removesuffix("-->")
    assert "-->" not in inner and "<" not in inner and ">" not in inner
    assert decode_marker(text, "proposals") == {"kind": "proposals", "title": "a --> b <script>"}


def test_a_marker_edited_beyond_reading_is_no_memory() -> None:
    assert decode_marker('<!-- curatorbot:{"kind": "proposals", oops} -->', "proposals") is None
    assert parse_marker('<!-- curatorbot:{"kind":"proposals","version":2} -->') is None
