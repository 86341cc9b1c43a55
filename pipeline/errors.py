"""Failure kinds of the Daftar pipeline.

The library raises one exception class per kind of failure; only the CLI maps them to
process exit codes (``ExitCode``), and only the flows turn them into quarantine entries.
The model is OCRmyPDF's: callers can catch the kind they care about, users get a stable
exit code per kind.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of the ``daftar`` command (documented in README.md)."""

    ok = 0
    bad_args = 1
    input_file = 2  # unreadable, empty, corrupt or truncated input
    missing_dependency = 3  # tesseract or a language pack missing
    unsupported_type = 4  # a file type Daftar does not read
    encrypted_pdf = 5  # PDF needs a password we were not given
    ocr_failed = 6  # Tesseract crashed or timed out
    invalid_output = 7  # a record failed JSON Schema validation (a Daftar bug)
    file_too_large = 8  # decompression bomb, page or pixel limits exceeded
    archive_error = 9  # archive unreachable, corrupt or refused the write
    partial_batch = 10  # batch finished, some files quarantined
    not_found = 11  # archive lookup found nothing
    conflict = 12  # concurrent edit refused
    child_interrupted = 130  # Ctrl-C
    other_error = 15


class DaftarError(Exception):
    """Base class: every failure the library raises on purpose."""

    exit_code: ExitCode = ExitCode.other_error
    reason: str = "error"  # short machine-readable kind, used in quarantine reports

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class BadArgsError(DaftarError):
    exit_code = ExitCode.bad_args
    reason = "bad-arguments"


class InputFileError(DaftarError):
    """The file cannot be read or its content is corrupt, truncated or empty."""

    exit_code = ExitCode.input_file
    reason = "unreadable"


class EmptyFileError(InputFileError):
    reason = "empty-file"


class CorruptFileError(InputFileError):
    reason = "corrupt"


class TextEncodingError(InputFileError):
    reason = "text-encoding"


class UnsupportedTypeError(DaftarError):
    exit_code = ExitCode.unsupported_type
    reason = "unsupported-type"


class EncryptedPdfError(DaftarError):
    exit_code = ExitCode.encrypted_pdf
    reason = "encrypted-pdf"


class FileTooLargeError(DaftarError):
    exit_code = ExitCode.file_too_large
    reason = "too-large"


class MissingDependencyError(DaftarError):
    exit_code = ExitCode.missing_dependency
    reason = "missing-dependency"


class OcrEngineError(DaftarError):
    exit_code = ExitCode.ocr_failed
    reason = "ocr-failed"


class OcrTimeoutError(OcrEngineError):
    """Tesseract ran past its time limit: a loaded machine may finish on a second try."""

    reason = "ocr-timeout"


class OcrCrashError(OcrEngineError):
    """Tesseract was killed by a signal (out of memory, a crash): worth one more try."""

    reason = "ocr-crashed"


class InvalidOutputError(DaftarError):
    exit_code = ExitCode.invalid_output
    reason = "invalid-output"


class ArchiveError(DaftarError):
    exit_code = ExitCode.archive_error
    reason = "archive"


class NotFoundError(DaftarError):
    exit_code = ExitCode.not_found
    reason = "not-found"


class ConflictError(DaftarError):
    """Optimistic-concurrency failure: someone saved first."""

    exit_code = ExitCode.conflict
    reason = "conflict"

    def __init__(self, message: str, *, current: object = None, attempted: object = None) -> None:
        super().__init__(message)
        self.current = current
        self.attempted = attempted


# Failures worth retrying in a flow: everything else is a property of the input. A plain
# OcrEngineError is Tesseract refusing the image (e.g. too large): retrying wastes minutes.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OcrTimeoutError, OcrCrashError, ArchiveError)
