"""Every real arXiv payload in shared/data/raw (copied to tests/data/raw) parses."""

import datetime as dt
from pathlib import Path

import pytest

from curatorbot.domain.errors import ArxivError
from curatorbot.services.arxiv_atom import parse_api, parse_feed

RAW = Path(__file__).parents[1] / "data" / "raw"


def raw(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


def test_truncated_real_feed_keeps_complete_entries_and_warns() -> None:
    snapshot = parse_feed(raw("arxiv_rss_atom_cs.AI_2025-08-20_truncated.xml"), "cs.AI")
    assert len(snapshot.papers) == 86  # 41 new + 45 cross; the 87th entry is cut off upstream
    assert sum(p.announce_type == "new" for p in snapshot.papers) == 41
    assert sum(p.announce_type == "cross" for p in snapshot.papers) == 45
    assert snapshot.announced == dt.date(2025, 8, 20)
    assert len(snapshot.warnings) == 1 and "kept its 86 complete entries" in snapshot.warnings[0]


def test_feed_entry_fields() -> None:
    first = parse_feed(raw("arxiv_rss_atom_cs.AI_2025-08-20_truncated.xml"), "cs.AI").papers[0]
    assert (first.arxiv_id, first.version) == ("2508.13167", 1)
    assert first.title.startswith("Chain-of-Agents: End-to-End Agent Foundation Models")
    assert first.abstract.startswith(
        "Recent advances in large language models"
    )  # the "arXiv:… Announce" prefix is gone
    assert first.authors[:2] == ("Weizhen Li", "Jianbo Lin") and len(first.authors) == 30
    assert (first.primary_category, first.categories) == ("cs.AI", ("cs.AI", "cs.CL"))
    assert first.announced == dt.date(2025, 8, 20)


def test_legacy_rss_is_refused_with_a_hint() -> None:
    # The pre-2024 RSS 1.0 format is well-formed XML but no Atom feed: read as empty it would look like a
    # quiet day forever, so it is an error that names where it came from.
    with pytest.raises(ArxivError, match=r"the hep-ex feed at https://example\.org/rss/hep-ex is not an Atom feed"):
        parse_feed(
            raw("arxiv_rss_legacy_rdf_hep-ex_2021-07-08_EDITED_3items.xml"), "hep-ex", "https://example.org/rss/hep-ex"
        )


def test_a_well_formed_html_page_is_not_a_quiet_day() -> None:
    with pytest.raises(
        ArxivError, match=r"cs\.IR feed at http://x/atom/cs\.IR is not an Atom feed; check arxiv\.feed_url"
    ):
        parse_feed("<html><body><p>Maintenance</p></body></html>", "cs.IR", "http://x/atom/cs.IR")


def test_not_a_feed_at_all() -> None:
    with pytest.raises(ArxivError, match=r"is not an Atom feed; check arxiv\.feed_url"):
        parse_feed("<html><body>Service unavailable", "cs.IR")


def test_api_2016_format_with_journal_ref_and_doi() -> None:
    page = parse_api(raw("arxiv_api_atom_2016_id_list_1111.2011v2.xml"))
    paper = page.papers[0]
    assert (paper.arxiv_id, paper.version, page.total_results) == ("1111.2011", 2, 1)
    assert paper.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert paper.doi == "10.1103/PhysRevB.85.115117"
    assert paper.journal_ref is not None and paper.journal_ref.startswith("Phys. Rev. B 85")
    assert paper.comments == "8 pages, 3 figures. Published version"
    assert (paper.published, paper.updated) == (dt.date(2011, 11, 8), dt.date(2012, 4, 2))
    assert paper.authors == ("James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic")


def test_api_2016_search_pages_and_old_style_ids() -> None:
    page = parse_api(raw("arxiv_api_atom_2016_search_au_del_maestro.xml"))
    assert (page.total_results, len(page.papers)) == (31, 10)
    assert "cond-mat/0412498" in {p.arxiv_id for p in page.papers}


def test_api_current_format() -> None:
    page = parse_api(raw("arxiv_api_atom_2026_q_testing_s0_m10_bc5a6c384fe9.xml"))
    assert len(page.papers) == 10 and page.total_results == 214881
    assert all(p.primary_category for p in page.papers)
    single = parse_api(raw("arxiv_api_atom_2026_id_2104.12255v1_s0_m100_6ae69987ffe1.xml")).papers[0]
    assert (single.arxiv_id, single.version, single.title, single.primary_category) == (
        "2104.12255",
        1,
        "0",
        "cs.CR",
    )


def test_api_not_found_is_an_empty_page() -> None:
    page = parse_api(raw("arxiv_api_atom_2026_id_0000.0000_s0_m100_8b51d9633a68.xml"))
    assert (page.total_results, page.papers) == (0, ())


def test_api_returns_only_the_ids_it_knows() -> None:
    page = parse_api(raw("arxiv_api_atom_2026_id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml"))
    assert [p.arxiv_id for p in page.papers] == ["1707.08567"]


def test_api_error_entry_becomes_our_error() -> None:
    body = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1</id>'
        "<title>Error</title><summary>incorrect id format for 1</summary></entry></feed>"
    )
    with pytest.raises(ArxivError, match="refused the query: incorrect id format for 1"):
        parse_api(body)


def test_withdrawn_papers_are_flagged() -> None:
    body = raw("arxiv_api_atom_2026_id_2104.12255v1_s0_m100_6ae69987ffe1.xml").replace(
        "<published>", "<arxiv:comment>This paper has been withdrawn by the author</arxiv:comment><published>"
    )
    assert parse_api(body).papers[0].withdrawn


def test_oai_pmh_is_not_the_api_format() -> None:
    # Not a format curatorbot reads; parsing it must yield nothing rather than garbage.
    page = parse_api(raw("arxiv_oaipmh_listrecords_arXiv_2013-04-03_astro-ph_1record.xml"))
    assert page.papers == ()


@pytest.mark.parametrize(
    "hostile",
    [
        '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>',
        '<?xml version="1.0"?><!DOCTYPE f [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>',
    ],
)
def test_hostile_xml_is_refused_in_one_line(hostile: str) -> None:
    with pytest.raises(ArxivError, match=r"the cs\.IR feed was refused: it declares XML entities or a DTD"):
        parse_feed(hostile, "cs.IR")
