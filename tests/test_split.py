"""Splitting a file's text into documents: boundaries found, single documents never split."""

from pathlib import Path

import pytest

from pipeline.split import split_documents

EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
GOLD = Path("/work/shared/examples/gold")

PARA = ("The undersigned is directed to state that the competent authority has been pleased to decide\n"
        "that the instructions issued on the subject shall be followed strictly by all concerned offices.\n\n")

TWO_PAGE_MEMO = (
    "GOVERNMENT OF PAKISTAN\nMINISTRY OF INTERIOR\n\nF.No.3/12/2022-Admn     Islamabad, the 9th May, 2022\n\n"
    "OFFICE MEMORANDUM\n\nSubject: SECURITY OF OFFICES\n\n" + PARA + "2. " + PARA + "3. " + PARA +
    "-2-\n\f\nF.No.3/12/2022-Admn\n\n4. " + PARA + "5. " + PARA +
    "(MUHAMMAD ASLAM)\nDEPUTY SECRETARY (ADMN)\nGOVERNMENT OF PAKISTAN\n\nF.No.3/12/2022-Admn    Islamabad, the 9th May, 2022\n"
    "Copy forwarded to:\n1. The Secretary, Government of the Punjab, Lahore.\n2. GOVERNMENT OF SINDH, Karachi.\n"
)
INDIAN_OM = (
    "No. 11013/2/2014-Estt.(A-III)\nGovernment of India\nMinistry of Personnel, Public Grievances & Pensions\n"
    "Department of Personnel & Training\n\nNorth Block, New Delhi\nDated the 15th April, 2023\n\nOFFICE MEMORANDUM\n\n"
    "Subject: Conduct of Government servants.\n\n" + PARA + "2. " + PARA +
    "(Rajesh Kumar Sharma)\nUnder Secretary to the Government of India\n\nTo\nAll Ministries/Departments of the Government of India.\n\n"
    "Copy to:\n1. The Comptroller and Auditor General of India, New Delhi.\n"
)
NOTIFICATION_WITH_ORDER_WORDS = (
    "GOVERNMENT OF THE PUNJAB\nSERVICES & GENERAL ADMINISTRATION DEPARTMENT\n\nNo.SOR-I(S&GAD)1-12/2019  Lahore, dated the 3rd March, 2022\n\n"
    "NOTIFICATION\n\n" + PARA + "ORDER\n\nBY ORDER OF THE GOVERNOR OF THE PUNJAB\n\n(NADEEM AKHTAR)\nSECRETARY (REGULATIONS)\n\n"
    "No. & date even.\nA copy is forwarded for information to:-\n1. All Administrative Secretaries, GOVERNMENT OF THE PUNJAB.\n"
)
UNIVERSITY = (
    "UNIVERSITY OF THE PUNJAB\nRegistrar's Office\n\nNo. 2231/Estt.-I     Dated: 12/10/2023\n\nOFFICE ORDER\n\n" + PARA +
    "(Dr. Muhammad Khalid Khan)\nRegistrar\n\nNo. 2231/Estt.-I\nCopy to:-\n1. Dean, Faculty of Science.\n2. Treasurer.\n"
)
LETTER = (
    "GOVERNMENT OF KHYBER PAKHTUNKHWA\nESTABLISHMENT DEPARTMENT\n\nNo. SO(Reg-VI)E&AD/1-5/2021   Peshawar, dated March 3, 2022\n\n"
    "To\n    All Administrative Secretaries.\n\nSubject: PENDING CASES\n\nDear Sir,\n\nI am directed to refer to this Department's CIRCULAR\n"
    "No. SO(Reg-VI)E&AD/1-4/2021 dated 14.06.2021 and to say that " + PARA + "Yours faithfully,\n\n(Kamran Ahmad)\nSection Officer (Reg-VI)\n\n"
    "cc:\n1. PS to Chief Secretary, GOVERNMENT OF KHYBER PAKHTUNKHWA.\n"
)
SIGNED_IN_CAPITALS = (
    "GOVERNMENT OF SINDH\nSERVICES, GENERAL ADMINISTRATION & COORDINATION DEPARTMENT\n\nKarachi, dated 18-09-2023\n\nNOTIFICATION\n\n"
    "NO.SOI(SGA&CD)3-12/2023: " + PARA + "CHIEF SECRETARY SINDH\n\nNO.SOI(SGA&CD)3-12/2023     Karachi, dated 18-09-2023\n"
    "A copy is forwarded for information and necessary action to:-\n1. The Accountant General Sindh, Karachi.\n"
)

SINGLE_DOCUMENTS = [TWO_PAGE_MEMO, INDIAN_OM, NOTIFICATION_WITH_ORDER_WORDS, UNIVERSITY, LETTER, SIGNED_IN_CAPITALS,
                    (GOLD / "aiou-circular-2023.txt").read_text(encoding="utf-8"),
                    (GOLD / "estab-om-2021.txt").read_text(encoding="utf-8"),
                    "Just one line of text with no structure at all.", "CIRCULAR\n\n" + PARA]


@pytest.mark.parametrize("text", SINGLE_DOCUMENTS)
def test_a_single_document_is_never_split(text: str) -> None:
    assert split_documents(text) == [(0, len(text))]


def test_the_example_file_splits_at_government_of_pakistan() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = split_documents(text)
    assert len(spans) == 2
    assert text[spans[1][0]:].lstrip().startswith("GOVERNMENT OF PAKISTAN")
    assert text[spans[0][0]:spans[0][1]].startswith("ALLAMA IQBAL OPEN UNIVERSITY")


PAIRS = [(a, b) for a in SINGLE_DOCUMENTS[:8] for b in SINGLE_DOCUMENTS[:8] if a is not b][:24]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_documents_one_after_the_other(first: str, second: str) -> None:
    for sep in ("\n", "\n\f\n"):
        text = first + sep + second
        spans = split_documents(text)
        assert [text[s:e].strip() for s, e in spans] == [first.strip(), second.strip()]


def test_three_documents_and_spans_cover_the_text() -> None:
    text = UNIVERSITY + LETTER + INDIAN_OM
    spans = split_documents(text)
    assert len(spans) == 3
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_ocr_damaged_letterhead_still_opens_a_document() -> None:
    damaged = TWO_PAGE_MEMO.replace("GOVERNMENT OF PAKISTAN\nMINISTRY", "G0VERNMENT OF PAKlSTAN\nMINISTRY", 1)
    spans = split_documents(UNIVERSITY + damaged)
    assert len(spans) == 2


def test_document_without_letterhead_opens_at_its_number_and_heading() -> None:
    second = "No. 5/7/2023-Admn    Islamabad, the 2nd June, 2023\n\nOFFICE ORDER\n\n" + PARA
    spans = split_documents(UNIVERSITY + second)
    assert len(spans) == 2
    assert (UNIVERSITY + second)[spans[1][0]:].startswith("No. 5/7/2023-Admn")


def test_empty_text_is_one_empty_span() -> None:
    assert split_documents("") == [(0, 0)]


# ---------------------------------------------------------------- real documents (corpus dev split)
# Every case is two dev documents one after the other, as found (clean.txt), named by the rule
# that must find where the second opens. Tuned on dev only; test documents are never used here.

from corpus import documents as corpus_documents  # noqa: E402

DEV = {d.id: d for d in corpus_documents(split="dev")}

OPENINGS = [
    ("number printed above an Indian letterhead", "ph-op-circular-2003", "in-central-dop-pe1-letter-2022"),
    ("number above the letterhead, after an addressee line", "in-central-cvc-order-2002", "pk-gb-cm-secretariat-letter-2024"),
    ("Republic of the Philippines", "ke-moe-circular-2022", "ph-doh-order-2019"),
    ("Republika ng Pilipinas after an (SGD.) signature", "ph-csc-circular-1991", "ph-doj-circular-2017"),
    ("an institution's name and 'Islamic Republic of Pakistan'", "ke-tsc-circular-2024", "pk-federal-nepra-letter-2014"),
    ("'TO BE PUBLISHED IN THE NEXT ISSUE OF ... GAZETTE' over the letterhead", "in-delhi-services-letter-1991",
     "pk-balochistan-provincial-assembly-notification-2020"),
    ("'Registered No.' over a Bangladesh letterhead", "pk-punjab-dc-hafizabad-order-2020", "bd-establishment-notification-1985"),
    ("a Philippine memorandum circular's series line with its date", "pk-kp-establishment-notification-2024", "ph-csc-circular-1991"),
    ("a Kenyan series line over 'REPUBLIC OF KENYA'", "pk-kp-health-letter-2021", "ke-op-circular-2008"),
    ("a Kenyan 'Ref. NO.' line without letterhead", "ph-op-order-1966", "ke-moe-circular-2022"),
    ("a Sri Lankan series title without letterhead", "pk-kp-health-letter-2021", "lk-ugc-circular-2007"),
    ("a date line over the number, no letterhead", "ng-oagf-circular-2021", "pk-balochistan-sgad-notification-2025"),
    ("an Urdu letterhead", "in-central-cvc-order-2002", "pk-ajk-sgad-circular-2024"),
    ("a Hindi letterhead", "in-kerala-pard-circular-1988", "in-central-cvc-circular-2023-2"),
    ("after an Urdu document", "pk-ajk-sgad-circular-2024", "pk-sindh-seld-notification-2024"),
    ("after a signature's office lines", "pk-kp-dese-letter-2025", "ph-doh-order-2019"),
    ("'MALACAÑAN PALACE / MANILA' over 'BY THE PRESIDENT'", "pk-kp-dese-letter-2025", "ph-op-order-1966"),
    ("after a signature with telephone and e-mail lines", "in-central-railway-board-letter-2023", "in-central-dop-budget-letter-2010"),
    ("a letterhead with its telephone in a right-hand column", "pk-kp-establishment-notification-2024", "ke-tsc-circular-2024"),
    ("a bank's letterhead", "pk-sindh-sgacd-notification-2024", "bd-bb-dos-circular-2018"),
    ("'DELHI ADMINISTRATION : DELHI'", "ph-doh-order-2019", "in-delhi-services-letter-1991"),
    ("'Peshawar High Court, Peshawar NOTIFICATION'", "in-central-cga-letter-2006", "pk-kp-peshawar-high-court-notification-2020"),
    ("a document flattened onto one line, after another", "pk-punjab-lgcd-notification-2024", "zm-ecz-notification-2016"),
    ("after a document flattened onto one line", "pk-sindh-high-court-circular-2020", "pk-sindh-sgacd-notification-2024"),
    ("same office, same letterhead", "pk-federal-nepra-letter-2014", "pk-federal-nepra-letter-2016"),
    ("same office, same number series", "ke-moe-circular-2022", "ke-moe-circular-2023"),
]


@pytest.mark.parametrize("join", ["\n\n", "\n\f"], ids=["blank-line", "form-feed"])
@pytest.mark.parametrize(("rule", "first", "second"), OPENINGS, ids=[c[0] for c in OPENINGS])
def test_a_real_document_opens_after_another(rule: str, first: str, second: str, join: str) -> None:
    a, b = DEV[first].clean.strip("\n"), DEV[second].clean.strip("\n")
    text = a + join + b
    spans = split_documents(text)
    assert [text[s:e].strip() for s, e in spans] == [a.strip(), b.strip()], rule


@pytest.mark.parametrize("doc_id", sorted(DEV))
def test_a_real_document_alone_is_never_split(doc_id: str) -> None:
    for text in (DEV[doc_id].clean, DEV[doc_id].raw):
        assert split_documents(text) == [(0, len(text))]


# A page break inside one document never splits it: what the top of a continuation page prints.
CONTINUATIONS = [
    ("page number between dashes", "-2-\n"),
    ("page number alone", "2\n"),
    ("'Page 2 of 3'", "Page 2 of 3\n"),
    ("mid-sentence", ""),
]
CLOSINGS = [  # dev documents whose closing blocks look like openings (letterheads, numbers, dates)
    "in-delhi-services-letter-1991",  # signature, then 'Delhi Administration : Delhi', 'Phone'
    "pk-federal-nepra-letter-2016",  # copy list naming ministries
    "pk-punjab-sgad-letter-2018",  # '-sd-', 'Govt. of the Punjab', 'No. & Date Even:'
    "in-central-pcda-pensions-circular-2016",  # number and date above the signature
    "in-central-railway-board-letter-2023",  # 'Joint Secretary/Railway Board', 'Tele No.'
    "ke-op-circular-2008",  # addressees 'The Secretary, Public Service Commission of Kenya.'
    "pk-kp-dese-letter-2025",  # designation over 'Directorate of Elementary & Secondary Education'
]


@pytest.mark.parametrize(("what", "top"), CONTINUATIONS, ids=[c[0] for c in CONTINUATIONS])
@pytest.mark.parametrize("doc_id", CLOSINGS)
def test_a_page_break_inside_a_real_document_never_splits_it(doc_id: str, what: str, top: str) -> None:
    lines = DEV[doc_id].clean.split("\n")
    for cut in (len(lines) // 3, len(lines) // 2, 2 * len(lines) // 3):
        text = "\n".join(lines[:cut]) + "\n\f\n" + top + "\n".join(lines[cut:])
        assert len(split_documents(text)) == 1, (what, lines[cut][:60])


@pytest.mark.parametrize("doc_id", sorted(DEV))
def test_a_page_break_at_any_line_of_a_real_document_never_splits_it(doc_id: str) -> None:
    """Pages of a scan break anywhere: inside the letterhead, before a number cited in a sentence
    ('... BRPD Circular Letter' / 'No. 15, dated 26/07/2018 the instruction ...'), above the
    endorsement's number and date over the signature, before a signature's office lines."""
    lines = DEV[doc_id].clean.split("\n")
    for cut in range(1, len(lines)):
        text = "\n".join(lines[:cut]) + "\n\f\n" + "\n".join(lines[cut:])
        assert len(split_documents(text)) == 1, lines[cut][:60]


OTHER_OFFICES = sorted(Path(__file__).parent.joinpath("documents").glob("*.txt"))  # not corpus: written for the project


@pytest.mark.parametrize("join", ["\n\n", "\n\f"], ids=["blank-line", "form-feed"])
@pytest.mark.parametrize(("first", "second"), list(zip(OTHER_OFFICES, OTHER_OFFICES[1:] + OTHER_OFFICES[:1])),
                         ids=[p.stem for p in OTHER_OFFICES])
def test_documents_of_other_offices_one_after_the_other(first: Path, second: Path, join: str) -> None:
    """Addressees printed after a signature ('Chief Secretary,' / 'Government of Sindh,') and a
    designation's office line ('Department of Personnel and Administrative Reforms') open nothing;
    'D.O. No.' above 'GOVERNMENT OF PAKISTAN' opens the D.O. letter."""
    a, b = first.read_text(encoding="utf-8").strip("\n"), second.read_text(encoding="utf-8").strip("\n")
    text = a + join + b
    assert [text[s:e].strip() for s, e in split_documents(text)] == [a.strip(), b.strip()]


def test_contd_at_the_foot_of_a_page_keeps_the_next_page_in_the_document() -> None:
    text = TWO_PAGE_MEMO.replace("-2-\n\f\nF.No.3/12/2022-Admn\n\n", "Contd... P/2\n\f\nGOVERNMENT OF PAKISTAN\nMINISTRY OF INTERIOR\n\n")
    assert len(split_documents(text)) == 1


def test_a_scan_of_three_dev_documents_comes_out_as_three_records(tmp_path: Path) -> None:
    """Typeset as the benchmark does, each document on a new page, OCR'd by real Tesseract."""
    from bench.corpus_extraction import typeset_pages
    from pipeline.api import process_file

    ids = ["pk-sindh-sgacd-notification-2024", "in-central-cga-letter-2006", "ph-deped-calapan-memorandum-2022"]
    pages, first_pages = [], []
    for doc_id in ids:
        first_pages.append(len(pages) + 1)
        pages += typeset_pages(DEV[doc_id].clean)
    path = tmp_path / "three.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:], dpi=(300, 300), compression="tiff_lzw")
    records = process_file(path)
    assert len(records) == 3
    assert [r.source.page_range[0] for r in records] == first_pages
