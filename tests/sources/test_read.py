"""Stage `read`: files and folders to raw bytes, with size cap and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lofte.errors import ReadError, TooLargeError
from lofte.sources.read import expand_inputs, is_url, read_file


def test_read_file_keeps_bytes_and_resolves_origin(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hej")
    raw = read_file(str(path), 100)
    assert (
        raw.data == b"hej" and raw.origin == str(path.resolve()) and raw.media_type == "text/plain"
    )


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # a sparse 100 MB file: costs no disk
    with pytest.raises(TooLargeError, match="over the limit"):
        read_file(str(path), 50 * 1024 * 1024)


def test_missing_and_directory_inputs_are_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_file(str(tmp_path / "missing"), 10)
    with pytest.raises(ReadError):
        read_file(str(tmp_path), 10)


def test_folders_expand_sorted_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "1.txt", ".hidden", ".git/config"):
        (tmp_path / name).write_text("x")
    assert expand_inputs([str(tmp_path)]) == [
        str(tmp_path / "1.txt"),
        str(tmp_path / "b" / "2.txt"),
    ]
    assert expand_inputs(["https://example.org/feed"]) == ["https://example.org/feed"]


def test_is_url() -> None:
    assert is_url("https://x.se") and is_url("http://x.se")
    assert not is_url("x.txt")
