import io

from curatorbot.cli.progress import Progress


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


def test_plain_lines_follow_the_injected_clock_whatever_the_uptime() -> None:
    # A clock that starts near zero, as time.monotonic() does on a machine booted a minute ago.
    now = [5.0]
    stream = io.StringIO()
    progress = Progress("LLM batches", stream=stream, every_seconds=30, clock=lambda: now[0])
    progress(1, 10)
    now[0] = 20.0
    progress(2, 10)  # 15 s later: too soon for another line
    now[0] = 40.0
    progress(3, 10)  # 35 s after the first line
    progress(10, 10)
    assert stream.getvalue() == "LLM batches: 1/10\nLLM batches: 3/10\nLLM batches: 10/10\n"
