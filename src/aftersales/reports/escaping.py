"""Escaping text for Markdown, so that a renderer shows it as text and builds nothing from it.

Reports put strings that come from data (customer names, problem descriptions,
the customer's words, root causes, improvement actions, agents, product models,
registered category codes) into Markdown. :func:`escape_markdown` turns any
string into Markdown source whose rendering is that string as plain text. The
rules below use only escapes that CommonMark / GitHub-flavoured Markdown and
Python-Markdown both honour; the tests check them with Python-Markdown (bare,
and with the documentation site's extensions: tables, attr_list, admonition,
def_list, abbr, toc, pymdownx superfences and inlinehilite):

* ``<``, ``>`` and ``&`` become entities: no HTML tag, comment or ``<…>``
  autolink can form;
* link, image, code, emphasis and attribute syntax is backslash-escaped
  (``[ ] ` * _ { } # \\``); ``|`` (table cells) and ``~`` (strikethrough,
  fences) become entities;
* the colon of ``javascript:``, ``data:``, ``http:`` and the other link schemes
  and the dot of ``www.`` become entities, so no renderer turns them into links;
* a line break (``\\n``, ``\\r``, U+2028 …) becomes a space, so a value stays
  in its table cell or paragraph; other control characters are dropped; a tab
  and the white space at either end become entities (a renderer would expand or
  strip them);
* with ``block=True`` (a paragraph or a heading), a first character that would
  start a list, a quote, a rule, a setext underline, an admonition or a
  definition (``-`` ``+`` ``=`` ``!`` ``:``, or digits then ``.`` or ``)``) is
  escaped too. Table cells cannot hold blocks, so ``block=False`` leaves
  ``-1.5 pp`` as it is.

Example:
    >>> escape_markdown("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape_markdown("[x](javascript:alert(1))")
    '\\\\[x\\\\](javascript&#58;alert(1))'
    >>> escape_markdown("| a | b |\\n# heading")
    '&#124; a &#124; b &#124; \\\\# heading'
    >>> escape_markdown("1. first"), escape_markdown("1. first", block=False)
    ('1\\\\. first', '1. first')
"""

from __future__ import annotations

import re

__all__ = ["escape_markdown"]

#: Line breaks as ``str.splitlines`` knows them: each becomes one space.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: Other control characters (the tab excepted): dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")

#: Characters replaced wherever they are.
_REPLACE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "|": "&#124;",
    "~": "&#126;",
    "\t": "&#9;",
    **{char: "\\" + char for char in "\\`*_{}[]#"},
}

#: A link scheme's colon, ``www.``, or one character to replace.
_TOKEN = re.compile(
    r"(?i)(?<![a-z0-9+.\-])(?P<scheme>https?|ftps?|javascript|vbscript|data|file|mailto|xmpp"
    r"|tel|sms):"
    r"|(?<![a-z0-9.\-])(?P<www>www)\."
    r"|(?P<char>[&<>|~\t\\`*_{}\[\]#])"
)

#: First characters that could open a block, and how they are written instead.
_BLOCK_START = {"-": "\\-", "+": "\\+", "!": "\\!", "=": "&#61;", ":": "&#58;"}
#: An ordered-list marker at the start: digits, then ``.`` or ``)``, then a space or the end.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?= |$)")


def _token(match: re.Match[str]) -> str:
    if match.group("scheme") is not None:
        return match.group("scheme") + "&#58;"
    if match.group("www") is not None:
        return match.group("www") + "&#46;"
    return _REPLACE[match.group("char")]


def escape_markdown(text: str, *, block: bool = True) -> str:
    """``text`` as Markdown that renders as exactly that text, on one line.

    ``block=True`` for a paragraph or a heading, ``False`` for a table cell
    (see the module's documentation for every rule).

    Example:
        >>> escape_markdown("![t](http://evil/x.png)")
        '\\\\!\\\\[t\\\\](http&#58;//evil/x.png)'
        >>> escape_markdown("  *bold*\\n")
        '&#32;&#32;\\\\*bold\\\\*&#32;'
        >>> escape_markdown("- item"), escape_markdown("-1.5 pp", block=False)
        ('\\\\- item', '-1.5 pp')
    """
    flat = _CONTROL.sub("", _LINE_BREAK.sub(" ", text))
    body = flat.strip()
    start = len(flat) - len(flat.lstrip())
    lead = "".join(f"&#{ord(char)};" for char in flat[:start])
    trail = "".join(f"&#{ord(char)};" for char in flat[start + len(body) :])
    head = ""
    if block and body and not lead:
        ordered = _ORDERED.match(body)
        if ordered is not None:
            head = ordered.group(1) + "\\" + ordered.group(2)
            body = body[ordered.end() :]
        elif body[0] in _BLOCK_START:
            head = _BLOCK_START[body[0]]
            body = body[1:]
    return lead + head + _TOKEN.sub(_token, body) + trail
