"""The archive's behaviour, the same on SQLite and PostgreSQL (every test runs on both)."""

from __future__ import annotations

import os
import re
import stat
import threading
import uuid

import psycopg
import pytest
from jsonschema import Draft202012Validator

from archive import SearchQuery, open_archive
from archive.errors import QueryError
from pipeline.record import published_schema
from archive.samples import make_record
from pipeline.errors import BadArgsError, ConflictError, InvalidOutputError, NotFoundError

from conftest import PG_URL  # the archive fixture (both backends) is conftest's too


def second_handle(archive, tmp_path):
    """Another worker's connection to the same archive."""
    location = getattr(archive, "location", None) or str(archive.path)
    return open_archive(location, objects_dir=archive.objects.root)


# --- a small varied corpus -------------------------------------------------------------------

def establishment_om(**changes):
    args = dict(
        document_type="office_memorandum", organization="Government of Pakistan",
        department="Establishment Division", reference_number="F. No. 14/04/2021-D-II",
        date="2021-08-25", place="Islamabad", subject="Use of social media by government servants",
        text="Government of Pakistan\nCabinet Secretariat\nEstablishment Division\n"
             "Subject: Use of social media by government servants\n"
             "Government servants are prohibited from using social media platforms to criticise "
             "government policy. Rule 18 and Rule 25-A of the Government Servants (Conduct) "
             "Rules, 1964 apply. Violation will be dealt with under the Efficiency and Discipline "
             "Rules, 2020.",
        references=[{"reference_number": "No.1/20/1976-D-3", "date": "2020-07-23",
                     "issuer": "Establishment Division", "kind": "circular"}],
        cited_rules=[{"instrument": "Government Servants (Conduct) Rules", "year": 1964,
                      "provisions": ["Rule 18", "Rule 25-A"]},
                     {"instrument": "Civil Servants (Efficiency and Discipline) Rules",
                      "year": 2020, "provisions": []}],
        distribution=["The Prime Minister's Office, Islamabad"])
    args.update(changes)
    return make_record("estab-om-2021", **args)


def aiou_circular(**changes):
    args = dict(
        document_type="circular", organization="Allama Iqbal Open University",
        department="Registrar's Department", reference_number="No.F.2-244/2023-Admn/3909",
        date="2023-09-18", subject=None,
        text="ALLAMA IQBAL OPEN UNIVERSITY\nRegistrar's Department\nCIRCULAR\n"
             "Reference Cabinet Secretariat letter F.No.14/04/2021-D-ll dated 25th August, 2021 "
             "regarding media use. Employees shall not post on social networks; the Prevention "
             "of Electronic Crimes Act, 2016 applies.",
        references=[{"reference_number": "F.No.14/04/2021-D-ll", "date": "2021-08-25",
                     "issuer": "Cabinet Secretariat (Establishment Division)", "kind": "letter"}],
        cited_rules=[{"instrument": "Prevention of Electronic Crimes Act", "year": 2016,
                      "provisions": []}])
    args.update(changes)
    return make_record("aiou-circular-2023", **args)


def corpus():
    return [
        establishment_om(),
        aiou_circular(),
        make_record("punjab-notification", document_type="notification",
                    organization="Government of the Punjab",
                    department="Services and General Administration Department",
                    reference_number="No. SO(R-I)/5-1/2020", date="2020-03-14", place="Lahore",
                    subject="Transfer and posting of officers",
                    text="Government of the Punjab. NOTIFICATION. The Governor is pleased to "
                         "order the transfer and posting of the following officers under "
                         "Section 9 of the Punjab Civil Servants Act, 1974 with immediate effect.",
                    cited_rules=[{"instrument": "Punjab Civil Servants Act", "year": 1974,
                                  "provisions": ["Section 9"]}]),
        make_record("dopt-om", document_type="office_memorandum", organization="Government of India",
                    department="Department of Personnel and Training",
                    reference_number="No. 11013/2/2014-Estt.(A-III)", date="2015-05-19",
                    place="New Delhi", subject="Conduct of officers on media platforms",
                    text="Government of India, Ministry of Personnel. Office Memorandum. Officers "
                         "shall not make statements in the media criticising policy; social "
                         "conduct is governed by Rule 3 of the Central Civil Services (Conduct) "
                         "Rules, 1964. Disciplinary action may follow.",
                    cited_rules=[{"instrument": "Central Civil Services (Conduct) Rules",
                                  "year": 1964, "provisions": ["Rule 3"]}]),
        make_record("kp-office-order", document_type="office_order",
                    organization="Government of Khyber Pakhtunkhwa",
                    department="Higher Education Department",
                    reference_number="No. SO(Admn)HED/1-12/2019", date="2019-11-04",
                    place="Peshawar", subject="Grant of earned leave",
                    text="Government of Khyber Pakhtunkhwa, Higher Education Department. OFFICE "
                         "ORDER. Earned leave for thirty days is granted to the Lecturer in "
                         "Physics under the Revised Leave Rules, 1981.",
                    cited_rules=[{"instrument": "Revised Leave Rules", "year": 1981,
                                  "provisions": []}], needs_review=True,
                    review_reasons=[{"code": "low-ocr-confidence", "message": "page 1 is faint",
                                     "field": None}]),
        make_record("sindh-letter", document_type="letter", organization="Government of Sindh",
                    department="Finance Department", reference_number="No. FD(SR-III)/4-19/2022",
                    date="2022-01-10", place="Karachi",
                    subject="Disciplinary proceedings against officials",
                    text="Government of Sindh, Finance Department. Disciplinary proceedings "
                         "against officials of the accounts wing are to be completed. Social "
                         "welfare funds and media campaigns are not covered."),
    ]


@pytest.fixture
def filled(archive):
    for record in corpus():
        assert archive.ingest(record).status == "created"
    return archive


def doc_id(name):
    return {r["source"]["path"].split("/")[-1][:-4]: r["id"] for r in corpus()}[name]


# --- the factory stays honest ------------------------------------------------------------------

def test_every_factory_record_is_valid_against_the_published_schema():
    validator = Draft202012Validator(published_schema())
    for record in corpus():
        assert list(validator.iter_errors(record)) == []


# --- ingest and versions -----------------------------------------------------------------------

def test_ingesting_the_same_record_twice_stores_one_document(archive):
    record = establishment_om()
    first = archive.ingest(record)
    again = archive.ingest(establishment_om())
    assert (first.status, again.status) == ("created", "unchanged")
    assert again.version == first.version == 1
    assert len(archive.list_documents()) == 1
    assert [v.version for v in archive.versions(record["id"])] == [1]
    assert len(archive.changes()[0]) == 1


def test_re_extraction_makes_a_new_version_and_keeps_the_earlier_one(archive):
    old = establishment_om()
    archive.ingest(old)
    new = establishment_om(place="Rawalpindi")
    result = archive.ingest(new)
    assert (result.status, result.version) == ("new-version", 2)
    assert archive.get(old["id"]).record["fields"]["place"] == "Rawalpindi"
    assert archive.get(old["id"], version=1).record == old
    assert [v.kind for v in archive.versions(old["id"])] == ["machine", "machine"]
    assert archive.ingest(establishment_om(place="Rawalpindi")).status == "unchanged"


def test_archivist_edits_survive_a_machine_re_run(archive):
    record = establishment_om()
    archive.ingest(record)
    edited = archive.save_edit(record["id"], base_version=1, actor="amna", note="fix subject",
                               fields={"subject": "Use of social media by civil servants"})
    assert (edited.version, edited.status) == (2, "edited")
    rerun = establishment_om(subject="Use of socal media", place="Rawalpindi")
    assert archive.ingest(rerun).status == "new-version"
    current = archive.get(record["id"])
    assert current.version == 3
    assert current.record["fields"]["subject"] == "Use of social media by civil servants"
    assert current.record["fields"]["place"] == "Rawalpindi"  # machine fields still update
    assert current.status == "edited"
    kept = [e for e in archive.audit(record["id"]) if e.action == "edit-kept"]
    assert [(e.field, e.before, e.after) for e in kept] == [
        ("subject", "Use of socal media", "Use of social media by civil servants")]
    assert archive.get(record["id"], version=1).record["fields"]["subject"] == \
        "Use of social media by government servants"


def test_an_edit_writes_who_and_before_and_after_per_field(archive):
    record = establishment_om()
    archive.ingest(record)
    archive.save_edit(record["id"], base_version=1, actor="bilal",
                      fields={"place": "Islamabad Capital Territory", "subject": record["fields"]["subject"]})
    entries = [e for e in archive.audit(record["id"]) if e.action == "edit"]
    assert [(e.actor, e.field, e.before, e.after) for e in entries] == [
        ("bilal", "place", "Islamabad", "Islamabad Capital Territory")]


def test_a_stale_edit_is_refused_with_a_conflict(archive):
    record = establishment_om()
    archive.ingest(record)
    archive.save_edit(record["id"], base_version=1, fields={"place": "Lahore"}, actor="a")
    with pytest.raises(ConflictError) as err:
        archive.save_edit(record["id"], base_version=1, fields={"place": "Quetta"}, actor="b")
    assert (err.value.current, err.value.attempted) == (2, 1)
    with pytest.raises(ConflictError):
        archive.approve(record["id"], base_version=1, actor="b")
    assert archive.get(record["id"]).record["fields"]["place"] == "Lahore"


def test_revert_brings_back_an_earlier_version_as_a_new_one(archive):
    record = establishment_om()
    archive.ingest(record)
    archive.save_edit(record["id"], base_version=1, fields={"place": "Lahore"}, text="new text",
                      actor="a")
    reverted = archive.revert(record["id"], base_version=2, to_version=1, actor="b")
    assert reverted.version == 3
    assert reverted.record["fields"] == record["fields"] and reverted.record["text"] == record["text"]
    assert [v.kind for v in archive.versions(record["id"])] == ["machine", "edit", "revert"]
    assert {(e.field, e.before, e.after) for e in archive.audit(record["id"]) if e.action == "revert"} == {
        ("place", "Lahore", "Islamabad"), ("text", "new text", record["text"])}
    with pytest.raises(NotFoundError):
        archive.revert(record["id"], base_version=3, to_version=9, actor="b")
    with pytest.raises(ConflictError):
        archive.revert(record["id"], base_version=2, to_version=1, actor="b")


def test_approval_is_a_version_and_a_change(archive):
    record = establishment_om()
    archive.ingest(record)
    approved = archive.approve(record["id"], base_version=1, actor="chief")
    assert (approved.version, approved.status) == (2, "approved")
    assert archive.get(record["id"]).status == "approved"
    assert [v.kind for v in archive.versions(record["id"])] == ["machine", "approve"]
    assert [c.kind for c in archive.changes()[0]] == ["document", "approve"]


@pytest.mark.parametrize("fields, message", [
    ({"date": "25/08/2021"}, "/fields/date"),
    ({"document_type": "memo"}, "/fields/document_type"),
    ({"colour": "red"}, "cannot edit colour"),
])
def test_invalid_edits_are_refused_and_nothing_is_stored(archive, fields, message):
    record = establishment_om()
    archive.ingest(record)
    with pytest.raises(BadArgsError, match=message):
        archive.save_edit(record["id"], base_version=1, fields=fields, actor="a")
    assert [v.version for v in archive.versions(record["id"])] == [1]


def test_an_invalid_record_is_refused_whole(archive):
    record = establishment_om()
    record["fields"]["date"] = "August 2021"
    with pytest.raises(InvalidOutputError, match="/fields/date"):
        archive.ingest(record)
    assert archive.list_documents() == []
    assert not archive.has_source(record["source"]["sha256"])


def test_unknown_documents_and_versions_are_not_found(archive):
    record = establishment_om()
    archive.ingest(record)
    with pytest.raises(NotFoundError):
        archive.get("0" * 64 + "-0")
    with pytest.raises(NotFoundError, match="no version 7"):
        archive.get(record["id"], version=7)
    with pytest.raises(NotFoundError):
        archive.links("missing")


def test_has_source_knows_ingested_files(archive):
    record = establishment_om()
    assert not archive.has_source(record["source"]["sha256"])
    archive.ingest(record)
    assert archive.has_source(record["source"]["sha256"])


def test_bulk_ingest_follows_the_same_rules(archive):
    records = [make_record(f"bulk-{i}", text=f"bulk circular number {i}") for i in range(40)]
    assert {r.status for r in archive.ingest_many(records, chunk=16)} == {"created"}
    assert {r.status for r in archive.ingest_many(records, chunk=16)} == {"unchanged"}
    assert archive.search(SearchQuery(text="bulk")).total == 40


def test_two_workers_ingesting_the_same_file_make_one_document(archive, tmp_path):
    other = second_handle(archive, tmp_path)
    results = []
    barrier = threading.Barrier(2)

    def work(store):
        barrier.wait()
        results.append(store.ingest(establishment_om()).status)

    threads = [threading.Thread(target=work, args=(s,)) for s in (archive, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert sorted(results) == ["created", "unchanged"]
    assert len(archive.list_documents()) == 1


# --- citations ---------------------------------------------------------------------------------

def assert_linked(archive, citing, cited):
    cites = archive.links(citing).cites
    assert [(l.doc_id, l.resolved) for l in cites] == [(cited, True)]
    assert [l.doc_id for l in archive.links(cited).cited_by] == [citing]


def test_citation_resolves_when_the_cited_document_is_already_archived(archive):
    om, circular = establishment_om(), aiou_circular()
    archive.ingest(om)
    archive.ingest(circular)
    assert_linked(archive, circular["id"], om["id"])


def test_citation_resolves_when_the_cited_document_arrives_later(archive):
    om, circular = establishment_om(), aiou_circular()
    archive.ingest(circular)
    pending = archive.links(circular["id"]).cites
    assert [(l.doc_id, l.resolved, l.reference_number) for l in pending] == [
        (None, False, "F.No.14/04/2021-D-ll")]
    archive.ingest(om)
    assert_linked(archive, circular["id"], om["id"])


@pytest.mark.parametrize("date, linked", [("2021-08-25", True), ("2019-01-01", False)])
def test_a_number_with_damaged_digits_links_only_on_the_same_date(archive, date, linked):
    om = establishment_om()
    archive.ingest(om)
    circular = aiou_circular(references=[{"reference_number": "F.No.14/04/2O27-D-II",
                                          "date": date, "issuer": None, "kind": None}])
    archive.ingest(circular)
    link = archive.links(circular["id"]).cites[0]
    assert (link.resolved, link.doc_id) == ((True, om["id"]) if linked else (False, None))


# --- search ------------------------------------------------------------------------------------

def ids(results):
    return {h.doc_id for h in results.hits}


def test_phrase_matches_adjacent_words_only(filled):
    words = filled.search(SearchQuery(text="social media"))
    phrase = filled.search(SearchQuery(text='"social media"'))
    assert doc_id("sindh-letter") in ids(words)
    assert ids(phrase) == {doc_id("estab-om-2021")}


def test_prefix_and_boolean_operators(filled):
    assert ids(filled.search(SearchQuery(text="discipl*"))) == {
        doc_id("estab-om-2021"), doc_id("dopt-om"), doc_id("sindh-letter")}
    assert ids(filled.search(SearchQuery(text="leave OR transfer"))) == {
        doc_id("kp-office-order"), doc_id("punjab-notification")}
    assert ids(filled.search(SearchQuery(text="media NOT India"))) == {
        doc_id("estab-om-2021"), doc_id("aiou-circular-2023"), doc_id("sindh-letter")}
    assert ids(filled.search(SearchQuery(text="media -India -Sindh"))) == {
        doc_id("estab-om-2021"), doc_id("aiou-circular-2023")}
    assert ids(filled.search(SearchQuery(text="(leave OR posting) AND Punjab"))) == {
        doc_id("punjab-notification")}


def test_a_reference_number_is_searchable_as_text(filled):
    assert doc_id("estab-om-2021") in ids(filled.search(SearchQuery(text="14/04/2021-D-II")))


def test_snippets_mark_matches_with_brackets(filled):
    hit = filled.search(SearchQuery(text="earned")).hits[0]
    assert "[Earned]" in hit.snippet or "[earned]" in hit.snippet
    assert hit.title == "Grant of earned leave"
    assert hit.reference_number == "No. SO(Admn)HED/1-12/2019"


def test_subject_matches_rank_above_body_matches(filled):
    hits = filled.search(SearchQuery(text="disciplinary")).hits
    assert hits[0].doc_id == doc_id("sindh-letter")


@pytest.mark.parametrize("query, expected", [
    (SearchQuery(document_type="office_memorandum"), {"estab-om-2021", "dopt-om"}),
    (SearchQuery(issuer="establishment"), {"estab-om-2021"}),
    (SearchQuery(issuer="GOVERNMENT OF THE PUNJAB"), {"punjab-notification"}),
    (SearchQuery(year=2021), {"estab-om-2021"}),
    (SearchQuery(date_from="2021-01-01", date_to="2022-12-31"), {"estab-om-2021", "sindh-letter"}),
    (SearchQuery(cites="conduct"), {"estab-om-2021", "dopt-om"}),
    (SearchQuery(cites="Conduct Rules", provision="rule 25A"), {"estab-om-2021"}),
    (SearchQuery(cites="Conduct Rules", provision="Rule 3"), {"dopt-om"}),
    (SearchQuery(place="peshawar"), {"kp-office-order"}),
    (SearchQuery(reference="No.FD(SR-III)/4-19/2022"), {"sindh-letter"}),
    (SearchQuery(text="media", document_type="circular"), {"aiou-circular-2023"}),
    (SearchQuery(status="approved"), set()),
    (SearchQuery(issuer="100%_"), set()),
])
def test_filters(filled, query, expected):
    results = filled.search(query)
    assert ids(results) == {doc_id(name) for name in expected}
    assert results.total == len(expected)


def test_facets_count_the_matched_set(filled):
    facets = filled.search(SearchQuery(text="media")).facets
    assert dict(facets["document_type"]) == {"office_memorandum": 2, "circular": 1, "letter": 1}
    assert dict(facets["year"]) == {"2021": 1, "2023": 1, "2015": 1, "2022": 1}
    assert dict(facets["place"]) == {"Islamabad": 1, "New Delhi": 1, "Karachi": 1}
    assert facets["instrument"][0] == ("Central Civil Services (Conduct) Rules", 1) or \
        ("Government Servants (Conduct) Rules", 1) in facets["instrument"]
    assert ("Registrar's Department", 1) in facets["issuer"]


def test_paging_through_results(filled):
    first = filled.search(SearchQuery(text="government", limit=2))
    second = filled.search(SearchQuery(text="government", limit=2, offset=2))
    assert first.total == second.total >= 4
    assert len(first.hits) == len(second.hits) == 2
    assert not ids(first) & ids(second)


@pytest.mark.parametrize("text, message", [
    ('"social media', "unbalanced quote"),
    ("media AND", "ends with AND"),
    ("OR media", "cannot start with OR"),
    ("media AND OR leave", "AND is followed by OR"),
    ("NOT", "ends with NOT"),
    ("NOT media", "cannot only exclude"),
    ("leave OR NOT media", "NOT cannot stand alone inside OR"),
    ("(leave OR media", "never closed"),
    ("leave)", "has no '('"),
    ("()", "empty parentheses"),
    ('""', "empty phrase"),
    ("", "empty query"),
    ("   ", "empty query"),
    ("!!! ...", "no searchable words"),
])
def test_malformed_queries_say_what_is_wrong(filled, text, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        filled.search(SearchQuery(text=text))


@pytest.mark.parametrize("query, message", [
    (SearchQuery(date_from="25-08-2021"), "ISO date"),
    (SearchQuery(status="pending"), "status must be one of"),
    (SearchQuery(text="x", limit=0), "limit must be"),
    (SearchQuery(text="x", offset=-1), "offset must be"),
])
def test_malformed_filters_say_what_is_wrong(filled, query, message):
    with pytest.raises(QueryError, match=message):
        filled.search(query)


# --- reference lookup --------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "F. No. 14/04/2021-D-II", "F.No.14/04/2021-D-II", "F.No.14/04/2021-D-ll", "f no 14/04/2021 D II",
])
def test_reference_lookup_tolerates_spacing_and_ocr_damage(filled, typed):
    found = filled.find_by_reference(typed)
    assert found[0][0] == doc_id("estab-om-2021")
    assert 0.8 <= found[0][1] <= 1.0


def test_fuzzy_lookup_finds_damaged_digits_and_can_be_turned_off(filled):
    found = filled.find_by_reference("No. SO(R-I)/5-1/2O2O")
    assert found and found[0][0] == doc_id("punjab-notification")
    assert found[0][1] < 1.0
    assert filled.find_by_reference("No. SO(R-I)/5-1/2O2O", fuzzy=False) in ([], found)
    assert filled.find_by_reference("No. 999/1/1999-XYZ") == []


def test_reference_lookup_prefers_the_document_of_the_given_date(archive):
    a = make_record("a", reference_number="No. 1/2020", date="2020-01-05")
    b = make_record("b", reference_number="No. 1/2020", date="2021-06-30")
    archive.ingest(a)
    archive.ingest(b)
    assert [d for d, _ in archive.find_by_reference("No.1/2020", date="2021-06-30")] == [b["id"], a["id"]]
    assert [d for d, _ in archive.find_by_reference("No.1/2020", date="2020-01-05")] == [a["id"], b["id"]]


def test_an_empty_reference_is_a_query_error(archive):
    with pytest.raises(QueryError, match="no letters or digits"):
        archive.find_by_reference(" -/ ")


# --- change feed -------------------------------------------------------------------------------

def test_change_feed_is_ordered_and_resumable(archive):
    om, circular = establishment_om(), aiou_circular()
    archive.ingest(om)
    archive.ingest(circular)
    archive.save_edit(om["id"], base_version=1, fields={"place": "Lahore"}, actor="a")
    archive.ingest(establishment_om(date="2021-08-26"))
    archive.approve(om["id"], base_version=3, actor="a")
    everything, last = archive.changes()
    assert [(c.kind, c.doc_id, c.version) for c in everything] == [
        ("document", om["id"], 1), ("document", circular["id"], 1), ("edit", om["id"], 2),
        ("version", om["id"], 3), ("approve", om["id"], 4)]
    assert [c.cursor for c in everything] == sorted(c.cursor for c in everything)
    page, cursor = archive.changes(0, limit=2)
    rest, end = archive.changes(cursor, limit=100)
    assert page + rest == everything and end == last
    assert archive.changes(last) == ([], last)


# --- files -------------------------------------------------------------------------------------

def test_files_are_stored_by_content_inside_the_objects_dir(archive, tmp_path):
    scan = tmp_path / "user" / "scan.png"
    scan.parent.mkdir()
    scan.write_bytes(b"\x89PNG fake page image")
    pdf = tmp_path / "user" / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    before = (scan.read_bytes(), scan.stat().st_mtime_ns)
    record = establishment_om()
    archive.ingest(record, original=scan, searchable_pdf=pdf, page_images={1: scan})
    original = archive.file_path(record["id"], "original")
    page = archive.file_path(record["id"], "page", 1)
    assert original == page  # same content, one object
    assert archive.objects.root in original.parents
    assert original.read_bytes() == scan.read_bytes()
    assert not os.stat(original).st_mode & stat.S_IWUSR
    assert archive.file_path(record["id"], "pdf").read_bytes() == b"%PDF-1.4 fake"
    assert (scan.read_bytes(), scan.stat().st_mtime_ns) == before
    with pytest.raises(NotFoundError):
        archive.file_path(record["id"], "page", 2)
    with pytest.raises(NotFoundError):
        archive.file_path(record["id"], "../../etc/passwd")


def test_a_missing_file_to_archive_is_an_input_error_and_stores_nothing(archive, tmp_path):
    from pipeline.errors import InputFileError
    with pytest.raises(InputFileError):
        archive.ingest(establishment_om(), original=tmp_path / "nope.pdf")
    assert archive.list_documents() == []


# --- review queue, users, correction fixes -----------------------------------------------------

def test_review_queue_puts_flagged_documents_first(filled):
    queue = filled.review_queue()
    assert queue[0].doc_id == doc_id("kp-office-order")
    assert queue[0].needs_review and queue[0].review_reasons[0]["code"] == "low-ocr-confidence"
    assert [q.doc_id for q in filled.review_queue(issuer="sindh")] == [doc_id("sindh-letter")]
    assert len(filled.review_queue(document_type="office_memorandum")) == 2


def test_users_and_roles(archive):
    archive.add_user("amna", "$argon2id$hash", "archivist")
    assert archive.get_user("amna").role == "archivist"
    archive.add_user("amna", "$argon2id$other", "admin")
    assert (archive.get_user("amna").role, archive.get_user("amna").password_hash) == ("admin", "$argon2id$other")
    assert archive.get_user("nobody") is None
    assert [u.username for u in archive.list_users()] == ["amna"]
    with pytest.raises(BadArgsError, match="role must be one of"):
        archive.add_user("x", "h", "superuser")


def test_correction_fixes_are_kept_in_order(archive):
    archive.add_correction_fix("Goverment", "Government", context=None, actor="amna")
    archive.add_correction_fix("D-ll", "D-II", context="F.No.14/04/2021-D-ll", actor="bilal",
                               doc_id="x-0")
    fixes = archive.correction_fixes()
    assert [(f["wrong"], f["right"], f["actor"], f["doc_id"]) for f in fixes] == [
        ("Goverment", "Government", "amna", None), ("D-ll", "D-II", "bilal", "x-0")]
    with pytest.raises(BadArgsError):
        archive.add_correction_fix("", "x", context=None, actor="a")


# --- locations and the object store --------------------------------------------------------

def test_default_location_is_daftar_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DAFTAR_DATABASE_URL", raising=False)
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    with open_archive() as store:
        record = establishment_om()
        store.ingest(record, original=scan)
        stored = store.file_path(record["id"], "original")
    assert (tmp_path / "home" / "archive.sqlite").is_file()
    assert (tmp_path / "home" / "objects") in stored.parents


@pytest.mark.postgres
def test_database_url_selects_postgres_in_its_own_schema(tmp_path, monkeypatch):
    name = "daftar_test_" + uuid.uuid4().hex[:12]
    monkeypatch.setenv("DAFTAR_DATABASE_URL", f"{PG_URL}?schema={name}")
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    try:
        with open_archive() as store:
            store.ingest(establishment_om())
        with psycopg.connect(PG_URL) as conn:
            count = conn.execute(f"SELECT count(*) FROM {name}.documents").fetchone()[0]
        assert count == 1
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.mark.parametrize("schema_name", ["bad-name", "x; DROP TABLE y", "1abc"])
def test_unsafe_schema_names_are_refused(schema_name):
    from pipeline.errors import ArchiveError
    with pytest.raises(ArchiveError, match="schema name"):
        open_archive(f"{PG_URL}?schema={schema_name}")


def test_a_file_that_is_not_an_archive_is_an_archive_error(tmp_path):
    from pipeline.errors import ArchiveError
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ArchiveError, match="not a Daftar archive"):
        open_archive(str(junk))


def test_a_new_sqlite_archive_gets_large_pages_and_an_existing_file_keeps_its_own(tmp_path):
    import sqlite3
    from contextlib import closing

    from archive.sqlite import PAGE_SIZE
    existing = tmp_path / "existing.sqlite"
    with closing(sqlite3.connect(existing)) as conn:  # a file made with SQLite's default pages
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("PRAGMA journal_mode = WAL")
    for path, page_size in ((tmp_path / "new.sqlite", PAGE_SIZE), (existing, 4096)):
        store = open_archive(str(path))
        store.ingest(establishment_om())
        assert store.search(SearchQuery(text='"social media"')).total == 1
        store.close()
        with closing(sqlite3.connect(path)) as conn:
            assert conn.execute("PRAGMA page_size").fetchone()[0] == page_size


@pytest.mark.parametrize("sha, suffix", [("../" * 5 + "etc", ""), ("a" * 63, ""), ("A" * 64, ""),
                                         ("a" * 64, "/../../x"), ("a" * 64, ".p/g")])
def test_object_addresses_cannot_leave_the_store(tmp_path, sha, suffix):
    from archive.objects import ObjectStore
    with pytest.raises(NotFoundError):
        ObjectStore(tmp_path / "objects").path(sha, suffix)


def test_object_store_hashes_a_file_once_and_notices_a_change(tmp_path, monkeypatch):
    import os

    from archive import objects
    from archive.objects import ObjectStore

    store = ObjectStore(tmp_path / "objects")
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"first")
    hashed = []
    real = objects._sha256_of
    monkeypatch.setattr(objects, "_sha256_of", lambda p: hashed.append(p) or real(p))
    first = store.put(scan)
    assert store.put(scan) == first and len(hashed) == 1  # the same file: not hashed again
    store.path(first.sha256, first.suffix).chmod(0o644)
    store.path(first.sha256, first.suffix).unlink()  # the stored copy vanished: stored again
    assert store.put(scan) == first and len(hashed) == 2
    assert store.path(first.sha256, first.suffix).read_bytes() == b"first"
    scan.write_bytes(b"second, longer")  # changed in place: a new size and mtime
    os.utime(scan, ns=(1, 1))
    second = store.put(scan)
    assert second.sha256 != first.sha256 and len(hashed) == 3


def test_a_renumbered_document_releases_its_citations(archive):
    om, circular = establishment_om(), aiou_circular()
    archive.ingest(om)
    archive.ingest(circular)
    archive.ingest(establishment_om(reference_number="F. No. 99/01/2021-X"))
    assert archive.links(circular["id"]).cites[0].resolved is False
    assert archive.links(om["id"]).cited_by == []
