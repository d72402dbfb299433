"""Every shell line of the README runs the same in bash and zsh (macOS's default shell).

zsh stops a command with "no matches found" when an unquoted ``?``, ``*`` or
``[`` matches no file, where bash passes the word on: a URL's query string
must be quoted.  Checked word by word, quotes and comments understood.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOB = set("?*[")


def shell_lines(markdown: str) -> list[str]:
    blocks = re.findall(r"```(?:sh|bash|shell)\n(.*?)```", markdown, re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def unquoted_globs(line: str) -> list[str]:
    """The glob characters of ``line`` outside quotes and before its comment."""
    found, quote, escaped = [], "", False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            break
        elif ch in GLOB:
            found.append(ch)
    return found


def test_the_checker_sees_what_zsh_would_refuse() -> None:
    assert unquoted_globs("curl -s localhost:8000/x?format=xml") == ["?"]
    assert unquoted_globs('curl -s "localhost:8000/x?format=xml"  # or ?format=json') == []
    assert unquoted_globs("echo '*' \\* [a]") == ["["]


def test_no_readme_shell_line_needs_bash_globbing() -> None:
    lines = shell_lines((ROOT / "README.md").read_text())
    assert len(lines) > 10
    offending = [line for line in lines if unquoted_globs(line)]
    assert not offending, offending
