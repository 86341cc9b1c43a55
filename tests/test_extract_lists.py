"""Distribution, addressees and signatories: markers, columns, joined lines, repeats."""

import pytest

from pipeline.extract import extract_fields
from pipeline.extract._text import split_lines
from pipeline.extract.lists import right_column_cuts
from pipeline.extract.signatures import clean_name, designation_of
from pipeline.models import Word

BODY = (
    "GOVERNMENT OF PAKISTAN\nCABINET DIVISION\n\nNo. 4/1/2022-Admn    Islamabad, the 5th May, 2022\n\nOFFICE MEMORANDUM\n\n"
    "Subject: Use of official vehicles\n\n"
    "The undersigned is directed to say that the use of official vehicles for private purposes is\n"
    "prohibited and that every officer shall keep the log book of the vehicle up to date at all times.\n\n"
)

DISTRIBUTION = [
    ("Copy forwarded to:\n\ni. The Secretary, Finance Division, Islamabad.\nii. The Secretary, Interior Division, Islamabad.\n",
     ["The Secretary, Finance Division, Islamabad", "The Secretary, Interior Division, Islamabad"]),
    ("Copy to:-\n1. Dean, Faculty of Science.\n2. Treasurer.\n3. Office File.\n", ["Dean, Faculty of Science", "Treasurer", "Office File"]),
    ("c.c.\n(a) PS to Secretary.\n(b) Master file.\n", ["PS to Secretary", "Master file"]),
    ("cc:\n- PS to Chief Secretary\n- Master file\n", ["PS to Chief Secretary", "Master file"]),
    ("Copy forwarded for information to:-\n\n1. The Chief Secretaries, Governments of the Punjab, Sindh, Khyber Pakhtunkhwa and\n   Balochistan.\n2. The Auditor General of Pakistan, Islamabad.\n",
     ["The Chief Secretaries, Governments of the Punjab, Sindh, Khyber Pakhtunkhwa and Balochistan", "The Auditor General of Pakistan, Islamabad"]),
    # markers OCR'd apart from their items, garbled
    ("Copy forwarded to:\n\nVi.\n\nVL.\n\nviil.\n\nThe President's Secretariat (Public), Islamabad. -\n\nThe Prime Minister's Office, Islamabad.\n\n"
     "All Secretaries/Additional Secretaries (Incharge) of Federal Ministries / Divisions,\nIslamabad/Rawalpindi.\n",
     ["The President's Secretariat (Public), Islamabad", "The Prime Minister's Office, Islamabad",
      "All Secretaries/Additional Secretaries (Incharge) of Federal Ministries / Divisions, Islamabad/Rawalpindi"]),
    ("Copy forwarded to:\nxl1. The Chairman NAB, Islamabad.\nXil. The Secretary, Election Commission of Pakistan, Islamabad.\nXlil. Director General, Intelligence Bureau, Islamabad.\n",
     ["The Chairman NAB, Islamabad", "The Secretary, Election Commission of Pakistan, Islamabad", "Director General, Intelligence Bureau, Islamabad"]),
    ("A copy is forwarded for information and necessary action to:-\n\n1. The Senior Member, Board of Revenue, Punjab, Lahore.\n2. All Commissioners in the Punjab.\n",
     ["The Senior Member, Board of Revenue, Punjab, Lahore", "All Commissioners in the Punjab"]),
    ("Copy to: The Registrar, for information.\n", ["The Registrar, for information"]),
    ("Copy forwarded to:\n\ni. DS (CP-V) with the request to publish it on the official website of the Establishment\nDivision, Islamabad.\n\n(Tahir Akbar)\nSection Officer (D-II)\n",
     ["DS (CP-V) with the request to publish it on the official website of the Establishment Division, Islamabad"]),
    ("Copy to:\n1. The Gilgit- Baltistan Council.\n2. The Secretary,\n   Law Division.\n", ["The Gilgit-Baltistan Council", "The Secretary, Law Division"]),
    ("Distribution:\n1. All Heads of Departments.\n2. All Deans.\n", ["All Heads of Departments", "All Deans"]),
]


@pytest.mark.parametrize(("foot", "expected"), DISTRIBUTION)
def test_distribution(foot: str, expected: list[str]) -> None:
    text = BODY + "(Muhammad Ali)\nDeputy Secretary\n\n" + foot
    ex = extract_fields(text)
    assert ex.fields["distribution"] == expected
    for i, _ in enumerate(expected):
        start, end = ex.evidence[f"/distribution/{i}"][0]
        assert text[start:end].strip()


def test_unlabelled_two_column_foot_list_text_only() -> None:
    text = BODY.replace("OFFICE MEMORANDUM", "CIRCULAR") + (
        "All Deans/Heads of Departments With the request to kindly\ncirculate among the staff\nfor  information  and\n"
        "All Regional Heads, compliance.\n\nSSO to VC,\n\nRelevant File.\n")
    assert extract_fields(text).fields["distribution"] == ["All Deans/Heads of Departments", "All Regional Heads", "SSO to VC", "Relevant File"]


def _words_for(text: str, layout: dict[str, int]) -> list[Word]:
    """Words of ``text`` placed at the given x for each phrase (others at x=100)."""
    words = []
    lines = split_lines(text)
    for ln, line in enumerate(lines):
        pos = line.start
        for token in line.text.split():
            start = text.index(token, pos)
            pos = start + len(token)
            x = 100
            for phrase, px in layout.items():
                p = text.find(phrase, line.start, line.end + 1)
                if p >= 0 and p <= start < p + len(phrase):
                    x = px + (start - p) * 20
                    break
            else:
                x = 100 + (start - line.start) * 20
            words.append(Word(token, (x, 40 * ln, 18 * len(token), 30), 90.0, 1, 1, ln, 0, (start, pos)))
    return words


def test_word_boxes_separate_the_right_column() -> None:
    foot = "All Deans/Heads of Departments With the request to kindly\nDirector General Regional Services circulate among the staff\nAll Regional Heads, compliance.\n"
    text = BODY.replace("OFFICE MEMORANDUM", "CIRCULAR") + foot
    right = {"With the request to kindly": 1500, "circulate among the staff": 1500, "compliance.": 1500}
    words = _words_for(text, right)
    ex = extract_fields(text, words=words)
    assert ex.fields["distribution"] == ["All Deans/Heads of Departments", "Director General Regional Services", "All Regional Heads"]


def test_right_column_cuts_need_a_gap() -> None:
    text = "The Secretary Finance Division Islamabad\nThe Secretary Law Division Islamabad\n"
    lines = split_lines(text)
    assert right_column_cuts(lines, _words_for(text, {})) == {}


ADDRESSEES = [
    ("To\n    All Administrative Secretaries to Government of Khyber Pakhtunkhwa.\n    All Divisional Commissioners in Khyber Pakhtunkhwa.\n\nSubject: Pending cases\n",
     ["All Administrative Secretaries to Government of Khyber Pakhtunkhwa", "All Divisional Commissioners in Khyber Pakhtunkhwa"]),
    ("To\n    The Secretary,\n    Finance Division,\n    Islamabad.\n\nSubject: Release of funds\n", ["The Secretary, Finance Division, Islamabad"]),
    ("To: All Heads of Departments\n\nSubject: Winter timings\n", ["All Heads of Departments"]),
    ("To\n1. The Chief Secretary, Punjab.\n2. The Chief Secretary, Sindh.\n\nSubject: Census\n", ["The Chief Secretary, Punjab", "The Chief Secretary, Sindh"]),
]


@pytest.mark.parametrize(("block", "expected"), ADDRESSEES)
def test_to_block_addressees(block: str, expected: list[str]) -> None:
    text = "GOVERNMENT OF KHYBER PAKHTUNKHWA\nESTABLISHMENT DEPARTMENT\n\nNo. SO(Reg-VI)E&AD/1-5/2021    Peshawar, dated March 3, 2022\n\n" + block + (
        "\nDear Sir,\n\nI am directed to refer to the subject noted above and to state that the cases are pending for long.\n")
    assert extract_fields(text).fields["addressees"] == expected


def test_requested_officers_are_addressees_without_a_to_block() -> None:
    text = BODY + ("7. All Federal Secretaries / Additional Secretaries (Incharge) / Service or Cadre\n"
                   "Administrators / Chief Secretaries are requested to ensure implementation of these instructions.\n")
    assert extract_fields(text).fields["addressees"] == [
        "All Federal Secretaries / Additional Secretaries (Incharge) / Service or Cadre Administrators / Chief Secretaries"]


SIGNATURES = [
    ("(Dr. Muhammad Shoaib Akbar)\nJoint Secretary\n", [{"name": "Dr. Muhammad Shoaib Akbar", "designation": "Joint Secretary"}]),
    ("(Dr. Muhammad/Shoaity’ Akbar)\n\nJoint Secreta\n\n3508 2041\n", [{"name": "Dr. Muhammad Shoaity Akbar", "designation": "Joint Secretary"}]),
    ("(Rajesh Kumar Sharma)\nUnder Secretary to the Government of India\nTel: 2309 2479\n",
     [{"name": "Rajesh Kumar Sharma", "designation": "Under Secretary to the Government of India"}]),
    ("Yours faithfully,\n(Kamran Ahmad Afridi)\nSection Officer (Reg-VI)\nPh: 091-9210345\n",
     [{"name": "Kamran Ahmad Afridi", "designation": "Section Officer (Reg-VI)"}]),
    ("(MUHAMMAD ASLAM KHAN)\nDEPUTY SECRETARY (ADMN)\n", [{"name": "MUHAMMAD ASLAM KHAN", "designation": "DEPUTY SECRETARY (ADMN)"}]),
    ("\n\nCHIEF SECRETARY SINDH\n", [{"name": None, "designation": "CHIEF SECRETARY SINDH"}]),
    ("\n\nSection Officer D-11\n", [{"name": None, "designation": "Section Officer (D-II)"}]),
    ("Muhammad Tariq\nRegistrar\n", [{"name": "Muhammad Tariq", "designation": "Registrar"}]),
    ("(Prof. Dr. Ayesha Siddiqui)\nVice Chancellor\n", [{"name": "Prof. Dr. Ayesha Siddiqui", "designation": "Vice Chancellor"}]),
    ("Sd/-\n(R. K. Sharma)\nDeputy Secretary to the Govt. of India\n", [{"name": "R. K. Sharma", "designation": "Deputy Secretary to the Govt. of India"}]),
    ("(Ghulam Mustafa Jatoi)\nSection Officer-I (SGA&CD)\n", [{"name": "Ghulam Mustafa Jatoi", "designation": "Section Officer-I (SGA&CD)"}]),
    ("(Nadeem Akhtar)\nDeputy Registrar (Admin)\n\nCopy to:\n1. Treasurer.\n\n(Nadeem Akhtar)\nDeputy Registrar (Admin)\n",
     [{"name": "Nadeem Akhtar", "designation": "Deputy Registrar (Admin)"}]),
]


@pytest.mark.parametrize(("foot", "expected"), SIGNATURES)
def test_signatories(foot: str, expected: list[dict]) -> None:
    text = BODY + "\n" + foot
    ex = extract_fields(text)
    assert ex.fields["signatories"] == expected
    start, end = ex.evidence["/signatories/0"][0]
    assert text[start:end].strip()


@pytest.mark.parametrize(("raw", "clean"), [
    ("Dr. Muhammad/Shoaity’ Akbar", "Dr. Muhammad Shoaity Akbar"), ("Tahir  Akbar", "Tahir Akbar"), ("Mr. Ali Khan|", "Mr. Ali Khan"),
])
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(("line", "designation"), [
    ("Joint Secreta", "Joint Secretary"), ("Deputy Secretary (Admn)", "Deputy Secretary (Admn)"), ("SECTION OFFICER", "SECTION OFFICER"),
    ("Director General", "Director General"), ("The Secretary, Finance Division,", None), ("All Regional Heads,", None),
    ("It has been observed that officers", None),
])
def test_designation_of(line: str, designation: str | None) -> None:
    found = designation_of(line)
    assert (found[0] if found else None) == designation


def test_ocr_two_column_foot_with_lower_case_right_column() -> None:
    text = BODY.replace("OFFICE MEMORANDUM", "CIRCULAR") + (
        "All Deans/Heads of Departments With the request to kindly\n"
        "Director General Regional Services circulate among the staff\n"
        "All Regional Heads, for information and\n\nSSO to VC, compliance.\n\nRelevant File.\n")
    assert extract_fields(text).fields["distribution"] == [
        "All Deans/Heads of Departments", "Director General Regional Services", "All Regional Heads", "SSO to VC", "Relevant File"]


def test_layout_gap_separates_columns_in_text_that_kept_its_layout() -> None:
    text = BODY.replace("OFFICE MEMORANDUM", "CIRCULAR") + (
        "All Deans/Heads of Departments            With the request to kindly\n"
        "Director General Regional Services        circulate among the staff\n"
        "All Regional Heads,                       for information and\n"
        "SSO to VC,                                compliance.\n"
        "Relevant File.\n")
    assert extract_fields(text).fields["distribution"] == [
        "All Deans/Heads of Departments", "Director General Regional Services", "All Regional Heads", "SSO to VC", "Relevant File"]


@pytest.mark.parametrize("scribble", ["apa GiN val eat ate ie", "Se eee ee", "ele OO", "dd ad el ae Tes"])
def test_signature_scribbles_are_not_distribution_items(scribble: str) -> None:
    text = BODY + "(Muhammad Ali)\nDeputy Secretary\n\nCopy to:\n\nThe Secretary, Law Division.\n\nPersonal files.\n\n" + scribble + "\n"
    assert extract_fields(text).fields["distribution"] == ["The Secretary, Law Division", "Personal files"]


def test_long_label_line_is_not_mistaken_for_the_body() -> None:
    text = BODY + ("(Nadeem Akhtar Bhatti)\nSecretary (Regulations)\n\nNo. & date even.\n"
                   "A copy is forwarded for information and necessary action to:-\n\n"
                   "The Senior Member, Board of Revenue, Punjab, Lahore.\n\nAll Commissioners in the Punjab.\n")
    assert extract_fields(text).fields["distribution"] == ["The Senior Member, Board of Revenue, Punjab, Lahore", "All Commissioners in the Punjab"]


def test_unmarked_items_on_adjacent_lines_in_a_marked_list_stay_apart() -> None:
    text = BODY + ("(Muhammad Ali)\nDeputy Secretary\n\nCopy forwarded to:\n\nili. The Chairman NAB, Islamabad.\n\n"
                   "The Secretary, Wafaqi Mohtasib (Ombudsman)'s Secretariat, Islamabad.\n"
                   "The Secretary, Federal Tax Ombudsman's Secretariat, Islamabad.\n\nii. The Secretary, Election Commission of Pakistan, Islamabad.\n")
    assert extract_fields(text).fields["distribution"] == [
        "The Chairman NAB, Islamabad", "The Secretary, Wafaqi Mohtasib (Ombudsman)'s Secretariat, Islamabad",
        "The Secretary, Federal Tax Ombudsman's Secretariat, Islamabad", "The Secretary, Election Commission of Pakistan, Islamabad"]


def test_addressee_printed_between_signature_and_copy_list() -> None:
    text = BODY + ("(Muhammad Asif Iqbal)\nJoint Secretary (Expenditure)\n\n"
                   "All Principal Accounting Officers (Federal Secretaries/Additional Secretaries In-charge).\n\n"
                   "Copy forwarded for information to:-\n\n1. The Auditor General of Pakistan, Islamabad.\n")
    ex = extract_fields(text)
    assert ex.fields["addressees"] == ["All Principal Accounting Officers (Federal Secretaries/Additional Secretaries In-charge)"]
    assert ex.fields["distribution"] == ["The Auditor General of Pakistan, Islamabad"]


def test_list_markers_ocr_as_a_column_of_their_own() -> None:
    items = ["There shall be a complete ban on the purchase of all types of vehicles.",
             "There shall be a ban on the purchase of machinery and equipment.",
             "No new post shall be created, except those required for development projects.",
             "Official lunches and dinners shall not be hosted at public expense."]
    text = BODY.replace("say that", "say that the following measures shall be observed:-\n\nsay that") + (
        "(a)\n\n(b)\n\nGj)\n\nQ)\n\n" + "\n\n".join(items) + "\n\n2. The above measures are issued under Section 10 of the Act.\n")
    found = extract_fields(text).fields["instructions"]
    assert [i["number"] for i in found] == ["a", "b", "c", "d"]
    assert [i["text"] for i in found] == items


def test_numbered_postings_after_a_lead_in_are_instructions_but_paragraphs_are_not() -> None:
    text = BODY + ("the Competent Authority is pleased to order the following transfers and postings:-\n\n"
                   "1. Mr. Imtiaz Ali Memon, Deputy Secretary (Admn), Home Department, is posted as Deputy Commissioner.\n\n"
                   "2. Mr. Rashid Hussain Soomro, Deputy Commissioner, Sanghar, is transferred and directed\n"
                   "to report to Services, General Administration & Coordination Department.\n\n"
                   "3. Ms. Farzana Bibi Qureshi is posted as Deputy Secretary (Staff).\n\n")
    assert [i["number"] for i in extract_fields(text).fields["instructions"]] == ["1", "2", "3"]
    paragraphs = BODY + "2. " + BODY.split("\n\n", 3)[-1] + "3. It is further clarified that the orders shall take effect at once.\n"
    assert extract_fields(paragraphs).fields["instructions"] == []


def test_roman_sub_list_with_damaged_markers() -> None:
    text = BODY + ("4. The following instructions are issued:-\n\ni The same instructions shall apply to the use of social media.\n\n"
                   "ii.  They shall not disclose official information via social media.\n\n"
                   "il. They shall not partake in any discussion on political issues.\n\n5. It is clarified that nothing changes.\n")
    found = extract_fields(text).fields["instructions"]
    assert [i["number"] for i in found] == ["i", "ii", "iii"]


def test_one_wide_gap_is_not_a_column() -> None:
    """Justified text or a stamp beside one line must not cut long items elsewhere."""
    text = ("iv. All Secretaries of Federal Ministries / Divisions,\nIslamabad/Rawalpindi.\n"
            "v. The Chief Secretaries, Governments of the Punjab, Sindh and Balochistan.\n")
    words = _words_for(text, {"Divisions,": 2600})
    assert right_column_cuts(split_lines(text), words) == {}


def test_column_cut_only_where_the_line_itself_has_the_gap() -> None:
    text = ("All Deans/Heads of Departments With the request\nAll Regional Heads circulate among staff\n"
            "The Chief Secretaries, Governments of the Punjab, Sindh, Khyber Pakhtunkhwa and Balochistan\n")
    words = _words_for(text, {"With the request": 1500, "circulate among staff": 1500})
    lines = split_lines(text)
    cuts = right_column_cuts(lines, words)
    assert set(cuts) == {0, 1}
    assert text[cuts[0]:lines[0].end] == "With the request"


@pytest.mark.parametrize(("item", "kept"), [
    ("The officer concerned. ie ie", "The officer concerned."),
    ("Personal file. eS Si 3 a8 ibe", "Personal file."),
    ("PS to the Vice-Chancellor! ae Sie", "PS to the Vice-Chancellor"),
    ("Ministry of Interior. Islamabad", "Ministry of Interior. Islamabad"),
    ("Copy to P.S. to DG", "Copy to P.S. to DG"),
    ("Director. HEC", "Director. HEC"),
    ("The Chief Secretary, KP", "The Chief Secretary, KP"),
])
def test_specks_after_an_items_full_stop_are_dropped(item: str, kept: str) -> None:
    from pipeline.extract.lists import _without_speck_tail

    assert _without_speck_tail(item) == kept
