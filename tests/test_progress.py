import io

from curatorbot.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal() -> None:
    stream = Terminal()
    progress = Progress("LLM batches", stream=stream)
    progress(1, 4)
    progress(4, 4)
    assert stream.getvalue() == (
        "\rLLM batches [#######.......................] 1/4\rLLM batches [##############################] 4/4\n"
    )


def test_plain_lines_in_ci() -> None:
    stream = io.StringIO()
    progress = Progress("LLM batches", stream=stream, every_seconds=3600)
    for done in range(1, 11):
        progress(done, 10)
    assert stream.getvalue() == "LLM batches: 1/10\nLLM batches: 10/10\n"
