"""The daftar command as users run it: a real process, real files, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CIRCULAR_TEXT, write_bad_files, write_encrypted_pdf, write_text_png
from daftar.cli import EXIT_CODE_HELP, main
from pipeline.api import validate_record
from pipeline.errors import ExitCode


def daftar(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m daftar`` (what the console script runs) with a wide, plain terminal."""
    run_env = {**os.environ, "COLUMNS": "220", "NO_COLOR": "1", "OMP_THREAD_LIMIT": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "daftar", *args], capture_output=True, text=True,
                          env=run_env, timeout=timeout)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-inputs")
    write_bad_files(folder)
    write_encrypted_pdf(folder / "locked.pdf")
    write_text_png(folder / "circular.png")
    (folder / "memo.txt").write_text(CIRCULAR_TEXT, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["ocr", "{in}/zero-bytes.png"], 2, "empty-file"),
        (["ocr", "{in}/animation.gif"], 4, "unsupported-type"),
        (["ocr", "{in}/locked.pdf"], 5, "encrypted-pdf"),
        (["extract", "{in}/truncated.png"], 2, "corrupt"),
        (["ocr", "{in}/no-such-file.png"], 2, "does not exist"),
        (["ocr"], 1, "Missing argument"),
        (["ocr", "--workers", "0", "{in}/memo.txt"], 1, "--workers"),
        (["ocr", "--no-such-option", "{in}/memo.txt"], 1, "No such option"),
        (["no-such-command"], 1, "No such command"),
        (["ingest", "{in}"], 1, "--out"),
    ],
)
def test_bad_input_exit_code_and_one_clear_line(inputs: Path, args: list[str], code: int, says: str) -> None:
    result = daftar(*[a.replace("{in}", str(inputs)) for a in args])
    assert result.returncode == code, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["x", "0", "13", "-4"])
def test_bad_page_segmentation_setting_is_refused_with_bad_args(inputs: Path, value: str) -> None:
    result = daftar("ocr", str(inputs / "memo.txt"), env={"DAFTAR_PSM": value})
    assert result.returncode == ExitCode.bad_args, result.stderr
    assert "DAFTAR_PSM must be one of" in result.stderr and "Traceback" not in result.stderr


def test_daftar_errors_are_one_line_naming_path_and_reason(inputs: Path) -> None:
    result = daftar("ocr", str(inputs / "zero-bytes.png"))
    lines = result.stderr.strip().splitlines()
    assert lines == [f"daftar: error [empty-file]: {inputs / 'zero-bytes.png'}: file is empty (0 bytes)"]


def test_ocr_prints_a_json_array_of_valid_records(inputs: Path) -> None:
    result = daftar("ocr", str(inputs / "circular.png"), "--workers", "1")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert isinstance(records, list) and records
    for record in records:
        validate_record(record)
    assert "PAKISTAN" in records[0]["raw_text"].upper()
    assert records[0]["pages"][0]["source"] == "ocr"


def test_extract_reads_a_text_file(inputs: Path) -> None:
    result = daftar("extract", str(inputs / "memo.txt"), "--fields-only")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 1
    assert set(records[0]) == {"id", "fields", "evidence"}
    assert records[0]["id"].endswith("-0")


def test_ingest_prints_summary_and_quarantine_and_returns_partial(inputs: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "memo.txt").write_text(CIRCULAR_TEXT, encoding="utf-8")
    (batch / "empty.png").write_bytes(b"")
    out = tmp_path / "out"
    env = {"PREFECT_HOME": str(tmp_path / "prefect"), "DAFTAR_HOME": str(tmp_path / "home"),
           "PREFECT_API_URL": ""}
    result = daftar("ingest", str(batch), "--out", str(out), "--workers", "2", "--batch", "cli-test",
                    env=env)
    assert result.returncode == ExitCode.partial_batch, result.stderr
    assert "Batch cli-test" in result.stdout
    assert "documents" in result.stdout and "pages/min" in result.stdout
    assert "Quarantined files" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "empty.png" in line)
    assert "empty-file" in row
    assert json.loads((out / "summary.json").read_text())["processed"] == 1


def test_exit_code_table_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exit-codes"]) == 0
    shown = capsys.readouterr().out
    assert set(EXIT_CODE_HELP) == set(ExitCode)
    for code in ExitCode:
        assert code.name in shown


def test_help_lists_builtin_and_extension_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for command in ("ingest", "ocr", "extract", "exit-codes", "search", "serve", "corrections"):
        assert command in shown


def test_temporary_prefect_server_environment() -> None:
    """Recording task runs is off by default but the user may turn it on; the server's own
    settings always win, and it is never pointed at another API."""
    from flows.prefect_server import server_environment

    env = server_environment({"PREFECT_API_URL": "http://elsewhere/api", "PATH": "/bin",
                              "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "true",
                              "PREFECT_SERVER_ANALYTICS_ENABLED": "true"})
    assert "PREFECT_API_URL" not in env and env["PATH"] == "/bin"
    assert env["PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED"] == "true"
    assert env["PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED"] == "false"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert env["PREFECT__SERVER_EPHEMERAL"] == "1"


def test_ingest_leaves_no_prefect_server_behind(inputs: Path, tmp_path: Path) -> None:
    """The temporary server is stopped when the command ends, also for a batch that fails."""
    import signal

    before = _prefect_servers()
    env = {"PREFECT_HOME": str(tmp_path / "prefect"), "DAFTAR_HOME": str(tmp_path / "home"),
           "PREFECT_API_URL": ""}
    result = daftar("ingest", str(inputs / "zero-bytes.png"), "--out", str(tmp_path / "out"), env=env)
    assert result.returncode == ExitCode.partial_batch, result.stderr
    leftover = _prefect_servers() - before
    for pid in leftover:
        os.kill(pid, signal.SIGKILL)
    assert not leftover


def _prefect_servers() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"prefect.server.api.server" in command:
                found.add(int(entry.name))
    return found


def test_flows_against_the_temporary_server_send_no_heartbeats() -> None:
    from prefect.settings import get_current_settings

    from flows.prefect_server import TemporaryPrefectServer

    server = TemporaryPrefectServer()
    server.started = True  # as after start(); no process is needed to build the settings

    with server.client_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency is not None
    server.started = False
    with server.client_settings():
        assert get_current_settings().flows.heartbeat_frequency is not None
