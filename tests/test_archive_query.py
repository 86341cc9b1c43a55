"""The search syntax: (text, expected engine expression) tables for both engines."""

from __future__ import annotations

import re

import pytest

from archive import query as q
from archive.errors import QueryError
from pipeline.errors import ExitCode


@pytest.mark.parametrize("text, fts5", [
    ("media", '"media"'),
    ("Social Media", '("social" AND "media")'),
    ('"social media"', '"social media"'),
    ("discipl*", '"discipl"*'),
    ('"social med"*', '"social med"*'),
    ("leave OR transfer", '("leave" OR "transfer")'),
    ("leave AND transfer", '("leave" AND "transfer")'),
    ("media NOT india", '(("media") NOT "india")'),
    ("media -india", '(("media") NOT "india")'),
    ("(leave OR posting) punjab", '(("leave" OR "posting") AND "punjab")'),
    ("F.No.14/04/2021-D-II", '"f no 14 04 2021 d ii"'),
    ("Rule 25-A", '("rule" AND "25 a")'),
    ("NEAR media", '("near" AND "media")'),  # FTS5 keywords are plain words here
    ("and or not", '("and" AND "or" AND "not")'),  # lower case: words, not operators
    ("media NOT NOT india", '("media" AND "india")'),
    ("پاکستان media", '("پاکستان" AND "media")'),
])
def test_fts5_translation(text, fts5):
    assert q.to_fts5(q.parse(text)) == fts5


@pytest.mark.parametrize("text, sql, params", [
    ("media", "to_tsquery('english', %s)", ["media"]),
    ('"social media"', "to_tsquery('english', %s)", ["social <-> media"]),
    ("edu*", "to_tsquery('english', %s)", ["edu:*"]),
    ("a OR b", "(to_tsquery('english', %s) || to_tsquery('english', %s))", ["a", "b"]),
    ("a -b", "(to_tsquery('english', %s) && (!! to_tsquery('english', %s)))", ["a", "b"]),
    ("a:b & c", "(to_tsquery('english', %s) && to_tsquery('english', %s))", ["a <-> b", "c"]),
])
def test_tsquery_translation_passes_words_as_parameters(text, sql, params):
    assert q.to_tsquery(q.parse(text)) == (sql, params)


@pytest.mark.parametrize("text, message", [
    ('"open', "unbalanced quote: the phrase starting at character 1"),
    ('leave "open', "character 7"),
    ("media AND", "the query ends with AND"),
    ("media OR", "the query ends with OR"),
    ("AND media", "cannot start with AND"),
    ("a OR OR b", "OR is followed by OR"),
    ("NOT", "ends with NOT"),
    ("-media", "cannot only exclude"),
    ("NOT a NOT b", "cannot only exclude"),
    ("a OR NOT b", "NOT cannot stand alone inside OR"),
    ("(a", "'(' at character 1 is never closed"),
    ("a)", "')' at character 2 has no '('"),
    ("( )", "empty parentheses"),
    ("(a AND)", "AND is followed by ')'"),
    ('" "', "empty phrase"),
    ("", "empty query"),
    ("* / -", "no searchable words"),
])
def test_malformed_queries(text, message):
    with pytest.raises(QueryError, match=re.escape(message)) as err:
        q.parse(text)
    assert err.value.exit_code == ExitCode.bad_args


def test_positive_terms_for_highlighting():
    assert [t.pieces for t in q.terms(q.parse('"social media" OR rule* -india'))] == [
        ("social", "media"), ("rule",)]
