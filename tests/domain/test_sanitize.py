from curatorbot.domain.awesome_list import AwesomeList, HouseStyle
from curatorbot.domain.models import Paper
from curatorbot.domain.render import render_entry
from curatorbot.domain.sanitize import entry_title, redact


def test_entry_titles_hide_nothing_and_open_nothing() -> None:
    assert (
        entry_title("A *bold* _claim_ with `code` and ~strike~") == r"A \*bold\* \_claim\_ with \`code\` and \~strike\~"
    )
    assert entry_title("See www.evil.example and https://evil.example/x now") == (
        "See (link removed) and (link removed) now"
    )
    assert entry_title("\u202eevil\u200b title\ufeff") == "evil title"  # bidi override, zero-width, BOM
    assert entry_title("# Heading [link](http://a) <b>tag</b>.") == "Heading link tag"
    assert entry_title("Search & Recommendation with C++") == "Search & Recommendation with C++"


def test_a_10000_character_title_makes_a_readable_line() -> None:
    paper = Paper(arxiv_id="2501.00001", title="LLM recommendation " * 530, abstract="a")
    entry = render_entry(paper, HouseStyle())
    assert len(entry) < 420 and "…" in entry and "\n" not in entry
    assert AwesomeList.parse(f"## S\n{entry}\n").entries[0].arxiv_id == "2501.00001"


def test_redact_replaces_every_secret_but_not_short_words() -> None:
    assert redact("key sk-abcdef123 and token ghx-987654321", ["sk-abcdef123", "ghx-987654321"]) == (
        "key [redacted] and token [redacted]"
    )
    assert redact("a to b", ["to"]) == "a to b"


def test_a_title_shows_its_markup_as_typed_and_opens_no_block() -> None:
    assert entry_title("**Bold** Rec") == r"\*\*Bold\*\* Rec"  # never half-stripped to "Bold\*\*"
    assert entry_title("- [x] # Heading") == "(x) # Heading"
    assert entry_title("<b></b>") == "" and entry_title("**") == ""  # nothing but markup: no title


def test_a_bare_www_address_is_no_link_in_the_pull_request_body() -> None:
    from curatorbot.domain.sanitize import plain_text

    assert plain_text("code at www.evil.example/x soon") == "code at (link removed) soon"
