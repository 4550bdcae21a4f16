import pytest

from curatorbot.domain.arxiv_id import ArxivId, find_arxiv_id, parse_user_arxiv_id
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
