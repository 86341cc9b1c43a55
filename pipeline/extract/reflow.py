"""Line breaks back into a document flattened onto a few long lines.

Web pages and some PDF text layers reproduce a scanned circular as one paragraph:
'GOVERNMENT OF ... No 2/9(F/L)/FD/2022 Dated Peshawar the 3rd June 2022 1. All Administrative
Secretaries ... Subject: ...'. The extractor reads a document by its lines, so a flattened one
loses its header, list and foot. ``reflow`` puts a line break back before each cue that opens
a part of an instruction (a number line, 'Dated', 'Subject:', 'To:', a copy label, a list
marker, a signature mark, a bracketed name) by replacing the one whitespace character before
it: the text keeps its length, so every span read from the reflowed text is a span of the
original. In the real corpus 12 of 87 documents came this way (corpus/README.md).
"""

from __future__ import annotations

import re

# A text is flattened when its lines run far past a page's width.
_LONG_LINE = 600
_CUES = re.compile(
    r"\s(?="
    r"(?:Ref\.?\s*|F\.\s?)?N[oO][.:]?\s?[A-Z0-9(][^\s,;]*[/\-]"  # a number line
    r"|Dated\b|DATED\b|Date\s*:"
    r"|(?:Subject|SUBJECT|Sub|SUB)\s*[:.\-]|RE\s*:"
    r"|T[oO]\s*[:,]\s|Dear\s+(?:Sir|Madam)|Sir/Madam|Sir\s*,|Madam\s*,"
    r"|(?:A\s+)?[Cc]opy\s+(?:is\s+)?(?:forwarded|to\b)|[Cc]\.?\s?[Cc]\.?\s*:"
    r"|\d{1,2}\.\s+[A-Z]|\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)\s|[ivx]{1,4}\.\s+[A-Z]"
    r"|Sd/-|\(Sgd\.?\)|Yours\s+(?:faithfully|sincerely)"
    r"|\([A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){1,4}\)\s"
    r"|(?:I\s+am\s+directed|The\s+undersigned|Please\s+refer|Kindly|In\s+exercise\s+of|With\s+reference|It\s+has\s+been)\b"
    r")"
)
# Some pages flatten a scan's lines with ' | ' between them: the line ends at the bar.
_PIPE = re.compile(r" \| ")
# Headings in capitals near the top: 'CIRCULAR', 'NOTIFICATION', 'OFFICE MEMORANDUM'.
_HEADING = re.compile(r"\s(?=(?:OFFICE\s+MEMORANDUM|MEMORANDUM|CIRCULAR|NOTIFICATION|OFFICE\s+ORDER)\s)")
# After a bracketed signer's name, the designation starts a line of its own.
_AFTER_NAME = re.compile(r"\([A-Z][A-Za-z.]{0,20}(?:\s[A-Z][A-Za-z.]{0,20}){1,4}\)(?P<gap>\s)")


# A subject in capitals ends where the sentence-case body begins.
_CAPITALS_SUBJECT = re.compile(
    r"(?:Subject|SUBJECT|Sub|SUB|RE)\s*[:.\-–]*\s+(?:[A-Z0-9(][A-Z0-9&/(),.’'-]*\s+){2,30}?[A-Z0-9(][A-Z0-9&/(),.’'-]*"
    r"(?P<gap>\s)(?=[A-Z][a-z]|Sir\b|Dear\b)")


def is_flattened(text: str) -> bool:
    """Does ``text`` run long past a page's width on most of its length?"""
    lines = text.splitlines() or [text]
    long_chars = sum(len(line) for line in lines if len(line) > _LONG_LINE)
    return long_chars > 0.5 * len(text)


def reflow(text: str) -> str:
    """``text`` with line breaks back before the cues of a flattened document (same length);
    ``text`` itself when it is not flattened."""
    if not is_flattened(text):
        return text
    chars = list(text)
    for m in _PIPE.finditer(text):  # 'GOVERNMENT OF KHYBER PAKHTUNKHWA | ESTABLISHMENT DEPARTMENT | ...'
        chars[m.end() - 1] = "\n"
    for m in _CUES.finditer(text):
        chars[m.start()] = "\n"
    for m in _AFTER_NAME.finditer(text):
        chars[m.start("gap")] = "\n"
    for m in _CAPITALS_SUBJECT.finditer(text):  # 'RE: MESSAGE OF GRATITUDE To everything there is ...'
        chars[m.start("gap")] = "\n"
    for m in _HEADING.finditer(text[:800]):
        chars[m.start()] = "\n"
        end = m.end() + len(m.group().strip()) + len(re.match(r"\S+(?:\s+MEMORANDUM|\s+ORDER)?", text[m.end():]).group())
        if end < len(text) and text[end].isspace():
            chars[end] = "\n"
    return "".join(chars)
