import pytest

from curatorbot.domain.enrich import find_code_url, find_venue, venue_label

# Real arXiv comments, verbatim from shared/data/eval/papers.dev.jsonl, with the venue a maintainer
# would write for each (None: no peer-reviewed venue yet, so the list writes "arxiv YYYY").
REAL_COMMENTS = [
    ("Accepted by WWW2025", "WWW 2025"),
    ("Accepted to W-NUT 2025 @ NAACL", "NAACL 2025 Workshop"),
    ("Accepted to ACL 2025 Oral", "ACL 2025"),
    ("10 pages, 5 figures, The ACM Conference on Recommender Systems (RecSys) 2025", "RecSys 2025"),
    ("Accepted at KDD 2025 (full research paper)", "KDD 2025"),
    ("Accepted at MisD @ AAAI ICWSM 2025", "ICWSM 2025 Workshop"),
    (
        "Accepted to ACL 2025 Main Conference. Code available at: https://github.com/pkargupta/claimspect",
        "ACL 2025",
    ),
    ("AAAI 2023", "AAAI 2023"),
    ("IJCAI 2025. Code: https://github.com/NEC-N-SOGI/msdpp", "IJCAI 2025"),
    (
        "Accepted at the Information Retrieval's Role in RAG Systems (IR-RAG 2025) in conjunction with SIGIR 2025",
        "SIGIR 2025 Workshop",
    ),
    ("Accepted at ACL 2025 (Findings)", "ACL 2025 Findings"),
    ("Published at NAACL 2025 Main Conference", "NAACL 2025"),
    ("accepted at Text2Story Workshop at ECIR 2025", "ECIR 2025 Workshop"),
    ("CVPR 2025; Benchmark and code at: https://github.com/eceo-epfl/MammAlps", "CVPR 2025"),
    ("Accepted in SIGIR-2025", "SIGIR 2025"),
    (
        "Accepted at the 63rd Annual Meeting of the Association for Computational Linguistics (ACL 2025 Main)",
        "ACL 2025",
    ),
    (
        "33rd ACM International Conference on Multimedia (MM'25) Grand Challenge on Multimedia Verification",
        "ACM MM 2025",
    ),
    ("ACL 2025 Findings", "ACL 2025 Findings"),
    (
        "Findings of ACL2025, codes are available at this url: https://github.com/YuyaoZhangQAQ/Query_Compiler",
        "ACL 2025 Findings",
    ),
    ("Accepted by EMNLP Findings 2025", "EMNLP 2025 Findings"),
    ("Accepted by ACL 2025", "ACL 2025"),
    ("Accepted by SIGIR 2025", "SIGIR 2025"),
    ("Published at ECIR 2025", "ECIR 2025"),
    ("CIKM'25", "CIKM 2025"),
    ("Accepted by ACMMM2025", "ACM MM 2025"),
    ("10 pages, 6 figures, accepted by ACMMM 2025", "ACM MM 2025"),
    ("The 29th Pacific-Asia Conference on Knowledge Discovery and Data Mining (PAKDD2025)", "PAKDD 2025"),
    ("To appear at Interspeech '25", "Interspeech 2025"),
    ("ACM SIGIR 2025 Full Paper", "SIGIR 2025"),
    ("Accepted at CIKM 2025 (demonstration paper)", "CIKM 2025 Demo"),
    ("Conference paper accepted to INTERSPEECH 2025", "Interspeech 2025"),
    ("Accepted at ISMIR 2025", "ISMIR 2025"),
    ("6 pages - 2 figures - conference: accepted at SIGIR 2025", "SIGIR 2025"),
    ("SIGIR 2025", "SIGIR 2025"),
    (
        "Accepted at the 47th European Conference on Information Retrieval (ECIR 2025) Appendix A is provided only in the arXiv version",
        "ECIR 2025",
    ),
    ("Accepted at LDD@ECAI 2025", "ECAI 2025 Workshop"),
    (
        "This paper has been accepted for oral presentation in the reproducibility track at RecSys 2025",
        "RecSys 2025",
    ),
    ("EMNLP 2025 Main", "EMNLP 2025"),
    ("Accepted at ACM UMAP 2025 Industry Track", "UMAP 2025"),
    (
        "Accepted in the 17th ACM SIGCHI Symposium on Engineering Interactive Computing Systems (EICS 2025)",
        "EICS 2025",
    ),
    ("accepted at Future Technologies Conference (FTC 2025)", "FTC 2025"),
    # Not (yet) at a venue:
    (
        "Extension of our SIGMOD 2026 paper. Please refer to source code available at: https://github.com/weAIDB/ST-Raptor",
        None,
    ),
    ("Under Review", None),
    ("11 pages, 9 figures", None),
    ("preprint", None),
    ("11 pages submitted to NeurIPS 2025", None),
    ("Submitted to ACM Computing Surveys (CSUR). Currently under review", None),
    ("KDD Cup 2025 Meta CRAG-MM Challenge", None),
    ("Project page: https://yuhui-zh15.github.io/MixedModalitySearch/", None),
    ("Work in progress", None),
    # Submitted, under review or in submission: no venue yet; accepted, to appear, published: the venue.
    ("Submitted to AMIA 2025 Annual Symposium", None),
    ("under review @NeurIPS2025", None),
    ("Short paper submitted to EMNLP'25", None),
    ("Submitted to International Conference on Big Data 2025", None),
    ("In submission. Project website: https://double-bench.github.io/", None),
    ("Submitted in IEEE International Conference on Big Data 2025", None),
    ("Camera-ready for IJCAI 2025, AI and Social Good", "IJCAI 2025"),
    ("Accepted by SIGIR'2025", "SIGIR 2025"),
    ("Accepted by KDD Workshop on Prompt Optimization 2025", "KDD 2025 Workshop"),
    ("6 pages, accepted at GENNEXT@SIGIR25", "SIGIR 2025 Workshop"),
    ("11 pages, 6 figures, 15 Tables, accepted and to be published in TMLR", None),  # no year: never guessed
    ("Accepted to CVPR 2025 PixFoundation Workshop", "CVPR 2025 Workshop"),
    ("To appear in SIGIR 2025. Significant updates and revisions to arXiv:2411.09607", "SIGIR 2025"),
    ("Accepted by NAACL 2025, Industry Track", "NAACL 2025"),
    ("Preprint", None),
]


@pytest.mark.parametrize(("comment", "expected"), REAL_COMMENTS, ids=[c[:40] for c, _ in REAL_COMMENTS])
def test_venue_from_real_comments(comment: str, expected: str | None) -> None:
    venue = find_venue(comment, None)
    assert (str(venue) if venue else None) == expected


# A workshop, student research workshop, demo, findings or tutorial track is not the main conference.
@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Accepted to NAACL 2025 SRW", "NAACL 2025 Workshop"),
        ("Accepted at the ACL 2025 Student Research Workshop", "ACL 2025 Workshop"),
        ("presented to LLM4EVAL at WSDM '25", "WSDM 2025 Workshop"),
        ("Accepted as a tutorial at SIGIR 2025", "SIGIR 2025 Tutorial"),
        ("Accepted at KDD 2025", "KDD 2025"),
    ],
)
def test_a_track_that_is_not_the_main_conference_keeps_its_name(comment: str, expected: str) -> None:
    assert str(find_venue(comment, None)) == expected


@pytest.mark.parametrize("comment", ["accepted and to be published in TMLR", "Accepted by SIGIR", "To appear in KDD"])
def test_a_venue_without_a_year_is_no_venue(comment: str) -> None:
    assert find_venue(comment, None) is None


@pytest.mark.parametrize("comment", ["ECIR 2025", "KDD 2025", "CIKM'25", "ACM SIGIR 2025 Full Paper"])
def test_a_bare_venue_needs_an_acceptance_cue_when_one_is_required(comment: str) -> None:
    assert find_venue(comment, None) is not None
    assert find_venue(comment, None, require_cue=True) is None
    assert find_venue(f"Accepted at {comment}", None, require_cue=True) is not None


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Accepted by SIGIR 2024", "SIGIR 2024"),
        ("RecSys '23 LBR", "RecSys 2023 LBR"),
        ("To appear in WWW'25", "WWW 2025"),
        ("Accepted by SIGIR", "arxiv 2024"),  # no year given: never guessed
    ],
)
def test_venue_examples_from_the_issue(comment: str, expected: str) -> None:
    assert venue_label(comment, None, 2024) == expected


def test_journal_ref_names_the_venue() -> None:
    ref = "Proceedings of the 47th International ACM SIGIR Conference on Research and Development in Information Retrieval (SIGIR '24)"
    assert venue_label(None, ref, 2024) == "SIGIR 2024"


def test_no_venue_falls_back_to_the_lists_arxiv_spelling() -> None:
    assert venue_label("12 pages", None, 2025) == "arxiv 2025"
    assert venue_label(None, None, 2023, arxiv_word="arXiv") == "arXiv 2023"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Code: https://github.com/NEC-N-SOGI/msdpp.",), "https://github.com/NEC-N-SOGI/msdpp"),
        (("see (https://github.com/o/r).",), "https://github.com/o/r"),
        (("https://github.com/o/r.git",), "https://github.com/o/r"),
        (
            ("Data at https://huggingface.co/datasets/lmarena-ai/search-arena;",),
            "https://huggingface.co/datasets/lmarena-ai/search-arena",
        ),
        (("https://gitlab.com/group/project/-/tree/main",), "https://gitlab.com/group/project/-/tree/main"),
        (("Our lab: https://github.com/someone only",), None),
        (
            (None, "Abstract ... code is at https://github.com/RUCAIBox/LLMRank]"),
            "https://github.com/RUCAIBox/LLMRank",
        ),
        (("Project page: https://universalrag.github.io",), None),
        # A survey's reading list is not code: by the repository's name, or by what the sentence says of it.
        (("A curated list is at https://github.com/someone/Awesome-LLM4Rec-Papers.",), None),
        (("We maintain a paper list at https://github.com/lab/llm-rec-survey",), None),
        (("A continuously updated collection of papers: https://github.com/lab/LLM4Rec",), None),
        (
            ("Survey. Code: https://github.com/lab/RecLLM. More papers are listed elsewhere.",),
            "https://github.com/lab/RecLLM",
        ),
    ],
)
def test_code_links(texts: tuple[str | None, ...], expected: str | None) -> None:
    assert find_code_url(*texts) == expected
