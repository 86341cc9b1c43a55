"""Archive-specific failure kinds (all are DaftarError subclasses with stable exit codes)."""

from __future__ import annotations

from pipeline.errors import BadArgsError


class QueryError(BadArgsError):
    """A search query the archive cannot run: the message says what is wrong and where."""

    reason = "bad-query"
