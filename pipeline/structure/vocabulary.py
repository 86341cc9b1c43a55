"""The words and shapes a line's role shows in: knowledge as data, each with examples.

``KEYWORDS`` feeds the line labeller's features (one feature per keyword that matches) and a
few of them the aligner's rules. Every entry carries lines it must match and lines it must
not (``tests/test_structure_features.py`` checks them all), so a change is seen to work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Keyword:
    name: str
    pattern: re.Pattern[str]
    matches: tuple[str, ...]
    not_matches: tuple[str, ...] = ()


def _k(name: str, pattern: str, matches: tuple[str, ...], not_matches: tuple[str, ...] = ()) -> Keyword:
    return Keyword(name, re.compile(pattern, re.I), matches, not_matches)


KEYWORDS: tuple[Keyword, ...] = (
    _k("to", r"^\W*to\b\s*[:,.\-]?", ("To", "TO : ALL DEPARTMENT SECRETARIES", "To:"), ("Today is", "Total")),
    _k("subject", r"^\W*(?:s\s?u\s?[bh](?:ject)?|re)\s*[:;.\-–—]", ("Subject: Leave", "Sub:- Pay", "SUBJECT - X", "Re: X"),
       ("Submission of forms", "Respected Sir")),
    _k("reference", r"^\W*(?:ref(?:erence)?s?|read)\b\s*[:;.\-–—]*", ("Ref:- Office Order No. 8", "Reference:", "Read :"),
       ("Refund of fees", "Readiness")),
    _k("dated", r"\bdated\b|\bdt\.", ("Dated Lahore, the 07th May 2018", "No. 5 dt. 4.3.2020"), ("updated list",)),
    _k("number", r"^\W*(?:[A-Z.]{0,12}\s*)?(?:f\.?\s*)?no\s*[.:]", ("No. EO(S&GAD)Policy/2009/688", "F.No.14/04/2021-D-II",
       "G.O.No.190, Dated 1st July 2015."), ("Note: this", "None of them")),
    _k("copy_to", r"^\W*(?:(?:a\s+)?copy\b.{0,70}?\b(?:to|for)\b|c\s?\.\s?c\s?\b|distribution\b|"
       r"cc\s*(?:[:.\-]|$)|p\.?\s?c\s*[:.\-]*\s*$)",
       ("Copy to:", "A copy is forwarded for information to:-", "c.c.", "Distribution:", "CC:", "Cc:", "PC:"),
       ("Copyright 2020", "CCS (Conduct) Rules", "PCS officers")),
    _k("endorsement", r"^\W*(?:endst|endorsement)\b|\bno\.?\s*(?:&|and)\s*date\s+even\b|\beven\s+no\b",
       ("Endst. No. 123/2024", "No. & Date Even:", "of even No. & date"), ("Even so",)),
    _k("closing", r"\byours\s+(?:faithfully|sincerely|obediently|truly)\b|\b(?:sincerely|faithfully|truly)\s+yours\b|"
       r"^\W*by\s+order\b|^\W*by\s+authority\b",
       ("Yours faithfully,", "Sincerely yours,", "(BY ORDER OF THE GOVERNOR)", "By authority of the President:"),
       ("your faith", "yours is the decision")),
    _k("signed", r"(?:^|\s)\(?\s*s\s?[dg][dg]?\s*[./)]*\s*-?\)?(?:\s|$)|^\W*-\s*sd\s*-", ("Sd/-", "(Sgd.) ALBERTO G. ROMULO", "-sd-"),
       ("Sdn Bhd", "Sindh")),
    _k("salutation", r"^\W*(?:dear\s+(?:sir|madam|mr|ms|dr|colleague)|sir\s*[,/]|madam\s*(?:[,/&]|$)|respected\s+sir|sir\s*$)",
       ("Dear Sir,", "Sir,", "Respected Sir", "Madam/Sir,", "Madam /Sir,", "Dear Colleague,"),
       ("Sir Syed University", "Madam Speaker ruled")),
    _k("doctype", r"\b(?:notification|circular|memorandum|office\s+order|order|corrigendum|letter|press\s+release|notice)\b|"
       r"\b(?:o\.\s?m|g\.\s?o|s\.\s?r\.\s?o|d\.\s?o)\.", ("NOTIFICATION", "CIRCULAR MEMO.NO.265", "OFFICE ORDER", "S.R.O. 12(I)/2023"),
       ("orderly conduct",)),
    _k("enacting", r"\bin\s+exercise\s+of\s+the\s+powers\b|\b(?:is|are)\s+(?:hereby\s+)?pleased\s+to\b|\bhereby\b|"
       r"\bit\s+is\s+notified\b", ("In exercise of the powers conferred by", "the Governor is pleased to"), ("pleasant",)),
    _k("directed", r"\bi\s+am\s+directed\b|\bdirected\s+to\b", ("I am directed to refer", "directed to state"), ()),
    _k("government", r"\b(?:government|govt\.?|ministry|department|division|directorate|secretariat|commission|office\s+of|"
       r"republic|university|board|bank)\b", ("GOVERNMENT OF THE PUNJAB", "Ministry of Finance"), ("governing",)),
    _k("designation", r"\b(?:secretary|officer|director|deputy|assistant|registrar|commissioner|chairman|controller|"
       r"superintendent|chief|head|principal|additional|joint|under)\b", ("Section Officer (Admn)", "ESTATE OFFICER"), ()),
    _k("address", r"\b(?:road|block|complex|bhawan|bhavan|street|avenue|p\.?\s?o\.?\s?box|phone|tel|fax|e-?mail|www\.|http)\b",
       ("Satarkta Bhawan, G.P.O. Complex,", "Tel: 051-9103"), ()),
    _k("place_date", r"^\W*[A-Z][a-z]+,?\s+(?:the\s+)?(?:\d{1,2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)", ("Islamabad, the 4th March 2024", "Manila, August 17"), ()),
    _k("all_the", r"^\W*(?:\d+\.|\(?[ivx]+\))?\s*(?:all|the)\b", ("The Secretary, Finance Department", "1. All Heads"), ()),
)

# Shapes the aligner's rules and the features share.
LIST_MARKER = re.compile(
    r"^\s*(?P<marker>\(?(?:\d{1,2}|[ivxl]{1,5}|[IVXL]{1,5}|[a-hA-H])[.)]|\((?:\d{1,2}|[ivxl]{1,5}|[a-h])\))\s+\S")
FURNITURE = re.compile(r"^\s*(?:[-–:(\[]*\s*\d{1,3}\s*[-–:)\]]*|p\.?\s?t\.?\s?o\.?|page\s+\d+(?:\s+of\s+\d+)?|contd\.*|"
                       r"\.{3,}\s*contd.*)\s*$", re.I)
SALUTATION = next(k.pattern for k in KEYWORDS if k.name == "salutation")
CLOSING = next(k.pattern for k in KEYWORDS if k.name == "closing")
SIGNED = next(k.pattern for k in KEYWORDS if k.name == "signed")
COPY_HEADING = next(k.pattern for k in KEYWORDS if k.name == "copy_to")
ENDORSEMENT = re.compile(r"^\W*(?:endst|endorsement)\b|^\W*no\.?\s*(?:&|and)\s*date\s+even\b|^\W*(?:f\.?\s*)?no\s*[.:]", re.I)
REFERENCE_LABEL = next(k.pattern for k in KEYWORDS if k.name == "reference")

MARKER_EXAMPLES: tuple[tuple[str, str | None], ...] = (
    ("1. The Chairman, Planning & Development Department.", "1."),
    ("(ii) The Secretary (I&C), Government of the Punjab, S&GAD.", "(ii)"),
    ("a) all drawing officers", "a)"),
    ("iv. No funds shall be", "iv."),
    ("2015", None),
    ("Government of Tamil Nadu", None),
)
FURNITURE_EXAMPLES: tuple[tuple[str, bool], ...] = (
    (":2:", True), ("- 3 -", True), ("P.T.O.", True), ("Page 2 of 4", True), ("contd...", True),
    ("2015", False), ("2. The Secretary", False),
)
