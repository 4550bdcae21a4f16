import pytest

from curatorbot.domain.arxiv_id import ArxivId, find_arxiv_id, pack_ids, parse_user_arxiv_id, unpack_ids
from curatorbot.domain.errors import InvalidArxivIdError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://arxiv.org/abs/2402.18590", ArxivId("2402.18590")),
        ("https://arxiv.org/pdf/2402.18590", ArxivId("2402.18590")),
        ("https://arxiv.org/html/2402.18590v3", ArxivId("2402.18590", 3)),
        ("http://arxiv.org/pdf/2308.16505.pdf", ArxivId("2308.16505")),
        ("https://arxiv.org/pdf/2308.16505v2.pdf", ArxivId("2308.16505", 2)),
        ("https://www.arxiv.org/abs/1808.05163", ArxivId("1808.05163")),
        ("http://export.arxiv.org/abs/2104.12255v1", ArxivId("2104.12255", 1)),
        ("(http://arxiv.org/pdf/2403.13574)", ArxivId("2403.13574")),
        ("https://arxiv.org/abs/cs/0112017", ArxivId("cs/0112017")),
        ("https://arxiv.org/abs/math.GT/0309136v2", ArxivId("math.GT/0309136", 2)),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("arXiv:2402.18590", ArxivId("2402.18590")),
        ("2402.18590v2", ArxivId("2402.18590", 2)),
        ("0704.0001", ArxivId("0704.0001")),
    ],
)
def test_accepts_every_form_people_paste(text: str, expected: ArxivId) -> None:
    assert find_arxiv_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://github.com/SAI990323/TALLRec",
        "https://openreview.net/forum?id=hFx3fY7-m9b",
        "XRec: Large Language Models for Explainable Recommendation",
        "https://arxiv.org/abs/24021.8590",
        "2402.185",
    ],
)
def test_non_arxiv_text_has_no_id(text: str) -> None:
    assert find_arxiv_id(text) is None


def test_user_input_error_lists_the_accepted_forms() -> None:
    with pytest.raises(InvalidArxivIdError, match=r"'LLMRec' is not an arXiv id; accepted forms: 2402\.18590"):
        parse_user_arxiv_id("LLMRec")


def test_version_prints_back() -> None:
    assert str(ArxivId("2402.18590", 2)) == "2402.18590v2"
    assert str(ArxivId("2402.18590")) == "2402.18590"


def test_is_arxiv_id_takes_bare_ids_only() -> None:
    from curatorbot.domain.arxiv_id import is_arxiv_id

    assert is_arxiv_id("2402.18590") and is_arxiv_id("cs/0112017") and is_arxiv_id("2402.1859")
    assert not any(map(is_arxiv_id, ["2402.18590v2", "arXiv:2402.18590", "<script>", "", None, "2402.18590 x"]))


def test_packed_ids_read_back_exactly_in_about_three_characters_each() -> None:
    ids = {f"25{m:02d}.{(i * 104729) % 30000:05d}" for m in range(1, 13) for i in range(400)} | {"1412.1234"}
    packed, others = pack_ids([*ids, "hep-th/9901001", "1501.0001"])
    assert others == ("1501.0001", "hep-th/9901001")  # kept as they are: not the month's own width
    assert set(unpack_ids(packed)) == ids and len(packed) < 3.5 * len(ids)
    with pytest.raises(ValueError, match="not a packed id group"):
        unpack_ids("<script>")


def test_announcement_order_and_month_of_new_and_old_ids() -> None:
    from curatorbot.domain.arxiv_id import announcement_order, month_of

    ids = ["2402.00001", "2401.10000", "hep-th/9901001", "2401.00002"]
    assert sorted(ids, key=announcement_order) == ["hep-th/9901001", "2401.00002", "2401.10000", "2402.00001"]
    assert (month_of("2503.01711"), month_of("hep-th/9901001")) == ("2025-03", "0000-00")
