"""Table cases for how real documents cite instruments and their provisions (issue 14).

Each case is a short excerpt in the shape of a `dev` document of the real corpus (named in
its comment) and the instruments an archivist reads from it: (title, year, provisions).
Bench scoring compares titles case- and punctuation-blind and provisions as a set, so the cases do too.
The jurisdiction is the code the pipeline passes (its letterhead's: 'PK', 'PK-PB', 'IN', 'PH'). The `test`
split is never used here.
"""

from __future__ import annotations

import re

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.rules import find_cited_rules


def _norm(value: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", value.lower().replace("&", " and ")).split())


def cited(text: str, jurisdiction: str | None = None) -> list[tuple[str, int | None, list[str]]]:
    return [(_norm(c.as_printed or c.title), c.year, sorted(_norm(p) for p in c.provisions))
            for c in find_cited_rules(text, jurisdiction=jurisdiction)]


def expect(*items: tuple[str, int | None, list[str]]) -> list[tuple[str, int | None, list[str]]]:
    return [(_norm(title), year, sorted(_norm(p) for p in provisions)) for title, year, provisions in items]


CASES = [
    # bd-establishment-notification-1985: a titled Order; sub-paragraph of a paragraph
    ("In exercise of the powers conferred by the first proviso to sub-paragraph (2) of paragraph 9 of the "
     "Senior Services Pool Order, 1979, the Government is pleased to make the following amendment",
     None, expect(("Senior Services Pool Order", 1979, ["Paragraph 9(2)"]))),
    # pk-federal-ecp-notification-2009: an Article of an Order, a Section of an Act with its act number
    ("in pursuance of the provisions of Article 6 of the Election Commission Order, 2002, Section 11A of the "
     "Representation of the People Act, 1976 (LXXXV of 1976) and all other powers",
     "PK", expect(("Election Commission Order", 2002, ["Article 6"]),
                          ("Representation of the People Act", 1976, ["Section 11A"]))),
    # pk-federal-commerce-notification-2016: 'Export Policy Order' is one title, not a Policy
    ("the Federal Government is pleased to make the following Order, namely:\n"
     "1. Short title.-(1) This Order may be called the\nExport Policy Order, 2016.\n",
     "PK", expect(("Export Policy Order", 2016, []))),
    # pk-federal-nepra-letter-2016: the year only in the act number in brackets
    ("pursuant to Section 31(4) of the Regulation of Generation, Transmission and Distribution of Electric "
     "Power Act (XL of 1997).", "PK",
     expect(("Regulation of Generation, Transmission and Distribution of Electric Power Act", 1997, ["Section 31(4)"]))),
    # zm-ecz-notification-2016: 'Act No. 2 of 2016' after a title gives the year, not the name
    ("IN exercise of the powers contained in Article 58 of the Constitution of Zambia (Amendment) Act No. 2 of 2016, "
     "the following Gazette Notice is hereby made", None,
     expect(("Constitution of Zambia (Amendment) Act", 2016, ["Article 58"]))),
    # pk-federal-senate-notification-2013, pk-punjab-provincial-assembly-notification-2019
    ("In exercise of the powers conferred by clause (3) of Article 54, read with Article 61 of the Constitution "
     "of the Islamic Republic of Pakistan, the Chairman Senate has been pleased to prorogue the Senate",
     "PK", expect(("Constitution of the Islamic Republic of Pakistan", None, ["Article 54(3)", "Article 61"]))),
    # lk-presidential-secretariat-notification-2022: 'respectively of', the Constitution's own 'the'
    ("powers vested in me under Articles 44 (1), 45 (1)\nand 47 (1) (a) (b) respectively of the Constitution of "
     "the Democratic Socialist Republic of Sri Lanka and published", None,
     expect(("Constitution of the Democratic Socialist Republic of Sri Lanka", None,
             ["Article 44(1)", "Article 45(1)", "Article 47(1)(a)(b)"]))),
    # ke-president-notification-2013: the Constitution in capitals with its year
    ("KENYA GAZETTE SUPPLEMENT\nTHE CONSTITUTION OF KENYA, 2010\nAPPOINTMENT\n", None,
     expect(("CONSTITUTION OF KENYA", 2010, []))),
    # sz-wages-council-notification-1994: a title in capitals with its year; the section under it
    ("THE WAGES ACT 1964 (Act No. 16 of 1964)\nNOTICE OF INTENTION TO SUBMIT WAGES REGULATION PROPOSALS\n"
     "(Under Section 11 (2)) In accordance with the above Act, the Council hereby publishes", None,
     expect(("WAGES ACT", 1964, ["Section 11(2)"]))),
    # ug-law-council-notification-2011: a title in capitals with its chapter of the laws
    ("General Notice No. 577 of 2011. THE ADVOCATES ACT, CAP. 267. NOTICE OF APPLICATION FOR A CERTIFICATE",
     None, expect(("ADVOCATES ACT", None, []))),
    # pk-kp-governors-secretariat-letter-2020: the title opens after 'IN'
    ("Subject : Presentations ON AMENDMENTS IN KHYBER PAKHTUNKHWA UNIVERSITIES ACT 2012 HELD ON 10-03-2020\n",
     "PK-KP", expect(("KHYBER PAKHTUNKHWA UNIVERSITIES ACT", 2012, []))),
    # ke-tsc-circular-2024: the year printed with the short form in brackets
    ("as stipulated in the Public Officer Ethics Act, and TSC Code of Conduct and Ethics (CoCE, 2015).", None,
     expect(("Public Officer Ethics Act", None, []), ("TSC Code of Conduct and Ethics", 2015, []))),
    # in-west-bengal-finance-notification-2012: a comma after the bracket before 'Rules'
    ("the All India Service (Death cum Retirement Benefit) Rules, 1958 and the All India Service (Provident Fund), "
     "Rules, 1955 were amended", None,
     expect(("All India Service (Death cum Retirement Benefit) Rules", 1958, []),
            ("All India Service (Provident Fund) Rules", 1955, []))),
    # pk-kp-finance-letter-2022: paragraphs of an instrument cited by its initials and volume
    ("which is violation of the para-6, 7, 66, 95, 96 of GFR Vol-I and Rule-290 & 295 of Federal Treasury Rules (FTR) "
     "where budget is appropriated", "PK-KP",
     expect(("GFR Vol-I", None, ["Para 6", "Para 7", "Para 66", "Para 95", "Para 96"]),
            ("Federal Treasury Rules", None, ["Rule 290", "Rule 295"]))),
    # pk-kp-peshawar-high-court-notification-2020: 'SR 266' of a province whose gazetteer has no SR
    ("the Chief Justice, in line with SR 266 and all other provisions enabling him, is pleased to direct", "PK-KP",
     expect(("SR", None, ["Rule 266"]))),
    # pk-punjab-dc-hafizabad-order-2020: '12.D' is section 12-D
    ("in exercise of powers vested in me under Section 12.D of the Punjab Private Educational Institutions "
     "(Promotion and Regulation) Ordinance, 1984 do hereby order", "PK-PB",
     expect(("Punjab Private Educational Institutions (Promotion and Regulation) Ordinance", 1984, ["Section 12-D"]))),
    # in-karnataka-commerce-industries-notification-2011: 'sub-section (1) of Section 23(C)' keeps 23(C)
    ("in exercise of the powers conferred by sub-section (1) of Section 23(C) of Mines and Minerals (Development "
     "and Regulation) Act, 1957 (Central Act 67 of 1957), the Government", "IN-KA",
     expect(("Mines and Minerals (Development and Regulation) Act", 1957, ["Section 23(C)"]))),
    # pk-punjab-finance-letter-2007: a Part of a Schedule, then 'to the Rules ibid'
    ("Under Part-III of First Schedule to the Punjab\nDelegation of Financial Powers Rules, 2006, the Officer "
     "Incharge exercises the powers given in Part-I of the Second Schedule to the\nRules ibid.", "PK-PB",
     expect(("Punjab Delegation of Financial Powers Rules", 2006, ["First Schedule, Part-III", "Second Schedule, Part-I"]))),
    # pk-punjab-finance-notification-1995: an amending text's chain of places
    ("1. In the Punjab Financial Rules:-\na) In Volume-I, in Chapter-XV, in Annexure-D, in paragraph (d), for the figure\n"
     "b) In Volume-II, in Appendix-14, in paragraph 52,\n", "PK-PB",
     expect(("Punjab Financial Rules", None, ["Volume-I, Chapter-XV, Annexure-D", "Volume-II, Appendix-14"]))),
    # in-haryana-finance-order-2010: rules by number, then the same Rules abbreviated with their year
    ("ORDER (made under rule 17 and rule 19 of the Haryana Civil Services (Revised ) Rules, 2008) ... as per "
     "Part-B Section-II of the First Schedule of HCS (RP) Rules, 2008.", "IN",
     expect(("Haryana Civil Services (Revised ) Rules", 2008, ["Rule 17", "Rule 19", "First Schedule, Part-B Section-II"]))),
    # in-central-cbdt-circular-2015: 'the Act' is the Act last named
    ("The Black Money (Undisclosed Foreign Income and Assets) and Imposition of Tax Act, 2015 (hereinafter referred "
     "to as the Act) has introduced a tax compliance provision\nunder Chapter VI of the Act.", "IN",
     expect(("Black Money (Undisclosed Foreign Income and Assets) and Imposition of Tax Act", 2015, ["Chapter VI"]))),
    # in-central-cga-letter-2006: a quoted title opening with its keyword
    ('Please find enclosed the Corrigendum to the "Regulations for the Assistant Accounts Officer (Civil) Examination '
     'for the appointment as Assistant Accounts Officer in Departmentalised Accounts Organisations" 2006 for '
     "information.", "IN",
     expect(("Regulations for the Assistant Accounts Officer (Civil) Examination for the appointment as Assistant "
             "Accounts Officer in Departmentalised Accounts Organisations", 2006, []))),
    # ph-csc-circular-1991: a title that goes on after 'Rules on'; a Section of a Rule is one provision
    ("Pursuant to Section 2, Rule IV (Certification) of the Civil Service Rules on Personnel Actions and Policies "
     "and for the purpose of providing", "PH",
     expect(("Civil Service Rules on Personnel Actions and Policies", None, ["Section 2, Rule IV"]))),
    # pk-ajk-law-department-notification-1981: one Code printed two ways; a provision before ', <title>'
    ("to amend the Azad Kashmir Courts and Law Code, 1949. 2. Amendment of Section 5, Azad Kashmir Courts and Laws "
     "Code, 1949.- In the said Code, after Section 26, the following", "PK-JK",
     expect(("Azad Kashmir Courts and Law Code", 1949, ["Section 5", "Section 26"]))),
    # sg-smc-notification-2003: 'the principal Regulations' of an amending text
    ("2. Regulation 2(1) of the Medical Registration Regulations (Rg 1) (referred to in these Regulations as the "
     "principal Regulations) is amended.\n4. Regulation 12 (3) of the principal Regulations is amended", None,
     expect(("Medical Registration Regulations", None, ["Regulation 2(1)", "Regulation 12(3)"]))),
    # ph-ched-order-2017: 'otherwise known as' names the same Act again
    ("In accordance with the pertinent provisions of Republic Act No 7722, otherwise known as the \u201cHigher "
     "Education Act of 1994\u201d and by virtue of", "PH", expect(("Republic Act No 7722", None, []))),
    # pk-sindh-sgad-notification-1973: the act number in brackets is no second instrument
    ("powers conferred by section 25 of the Sindh Civil Servants Ordinance, 1973 (Sindh Ordinance X of 1973) the "
     "Government", "PK-SD", expect(("Sindh Civil Servants Ordinance", 1973, ["Section 25"]))),
    # pk-sindh-sgad-notification-1973 shape: 'the said Ordinance', 'the ordinance' are the one last named
    ("the Sindh Civil Servants Ordinance, 1973 applies. Section 3 of the said Ordinance bars and Section 4 of the "
     "ordinance allows", "PK-SD", expect(("Sindh Civil Servants Ordinance", 1973, ["Section 3", "Section 4"]))),
    # the convention's own examples: a run of sections, an act by its number alone
    ("as provided in Sections 3 to 5 of the Official Secrets Act, 1923", "PK",
     expect(("Official Secrets Act", 1923, ["Section 3", "Section 4", "Section 5"]))),
    ("under the provisions of Act No. XIII of 2018, the Authority", None, expect(("Act No. XIII of 2018", 2018, []))),
    # pk-kp-governors-secretariat-letter-2020 in title case: the title starts after 'In'
    ("Subject: Amendment In Khyber Pakhtunkhwa Universities Act, 2012\n", "PK-KP",
     expect(("Khyber Pakhtunkhwa Universities Act", 2012, []))),
]


@pytest.mark.parametrize(("text", "jurisdiction", "expected"), CASES)
def test_instruments_as_an_archivist_reads_them(text: str, jurisdiction: str | None, expected: list) -> None:
    assert cited(text, jurisdiction) == expected


NOT_INSTRUMENTS = [
    # au-apsc-circular-2004: a name that only contains 'Policy'
    ("For further information you may contact the Commission's Employment Policy Adviceline by phone.", None),
    # in-jammu-kashmir-finance-order-2006: the forming of a committee
    ("Subject:-Constitution of Department Promotion Committee. Government Order No. 251-F of 2006.", "IN"),
    # in-haryana-finance-order-2010: a paper, not an instrument
    ("vide Government Order 1/83/2008 2PR(FD), dated, a disparity has occurred", "IN"),
    # sg-smc-notification-2003: an amending heading and words quoted for substitution
    ("Amendment of regulation 2\n(a) by deleting the words \u201csection 43\u201d and substituting the words "
     "\u201csection 49I\u201d; and", None),
    # tz-bot-circular-2008 shape: a provision 'of' something that is no instrument, or of this document
    ("In accordance with Article 12 of the Agreement and Section 4 of this Act, all banks shall", "TZ"),
    # zm-ecz-notification-2016: the notice's own schedules
    ("created six new constituencies indicated in Schedule 1 hereto.", None),
    # in-west-bengal-finance-notification-2012: a scheme is no instrument
    ("the new Defined Contribution Pension Scheme (known as the New Pension Scheme) notified by the Ministry", "IN"),
    # pk-balochistan-provincial-assembly-notification-2020: a Bill is no instrument (nor its number)
    ("The Balochistan Finance Bill, 2020 (Bill No.01 of 2020) having been passed by the Assembly", "PK-BA"),
    # pk-federal-ecp-notification-2023: a programme is no instrument
    ("the Election Commission is pleased to revise various stages of Election Programme for the General Elections",
     "PK"),
    # pk-punjab-finance-notification-1995: the order line of a notification
    ("BY ORDER OF THE GOVERNOR OF THE PUNJAB\nOffice Order No. 5 dated 2.1.2020", "PK-PB"),
    # general (convention 6): fragments, code numbers, a heading in capitals without a title word before
    # 'RULES', a title-case subject ending in a preposition, a paper an office issues
    ("in violation of all Acts, Rules and Regulations in force.", None),
    ("The DDO Code and Bank Code must be quoted on every bill.", None),
    ("GUIDELINES FOR IMPLEMENTATION OF RULES 2019\n", None),
    ("Subject: Extension In Date Of Admission Under Rules\n", None),
    ("the Accounts Office is required to issue the Pension\nPayment Order within thirty days.", "PK-SD"),
]


@pytest.mark.parametrize(("text", "jurisdiction"), NOT_INSTRUMENTS)
def test_not_instruments(text: str, jurisdiction: str | None) -> None:
    assert find_cited_rules(text, jurisdiction=jurisdiction) == []


def test_a_known_country_never_gets_another_countrys_instrument() -> None:
    # ug-law-council-notification-2011 shape: a Ugandan text citing a title the gazetteer knows only
    # for Pakistan and India keeps it as printed, without a gazetteer id
    got = find_cited_rules("under the Official Secrets Act, 1923 of Uganda", jurisdiction="UG")
    assert [(c.title, c.year, c.gazetteer_id) for c in got] == [("Official Secrets Act", 1923, None)]


def test_heading_in_capitals_gives_way_to_the_body() -> None:
    # lk-presidential-secretariat-notification-2022: the heading in capitals and the body cite one Constitution
    text = ("GAZETTE EXTRAORDINARY\nCONSTITUTION OF THE DEMOCRATIC SOCIALIST REPUBLIC OF SRI LANKA\nNOTIFICATION\n"
            "IT is hereby notified under Article 44 (1) of the Constitution of the Democratic Socialist Republic of "
            "Sri Lanka that\n")
    got = extract_fields(text).fields["cited_rules"]
    assert [(c["instrument"], c["provisions"]) for c in got] == [
        ("Constitution of the Democratic Socialist Republic of Sri Lanka", ["Article 44(1)"])]
