"""Stage `read`: files and folders to raw bytes, with size cap and clear errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from lofte.errors import ReadError, TooLargeError
from lofte.sources.read import (
    expand_inputs,
    hide_credentials,
    is_url,
    printable_path,
    read_file,
    scan_inputs,
)


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


def test_a_file_longer_than_its_size_says_is_cut_at_the_limit_not_read_whole() -> None:
    # /proc files say 0 bytes, as a file still being written says less than it will hold: the
    # cap was checked against the size only, and the whole file was read
    with pytest.raises(TooLargeError, match="over the limit of 100 "):
        read_file("/proc/self/maps", 100)
    assert len(read_file("/proc/self/maps", 10 * 1024 * 1024).data) > 100


def _nest(folder: Path, levels: int, leaf: str) -> None:
    """`levels` folders "a" inside each other below `folder`, `leaf` in the deepest; made and
    removed level by level (the whole path is too long for one call)."""
    current = os.open(folder, os.O_RDONLY)
    for _ in range(levels):
        os.mkdir("a", dir_fd=current)
        below = os.open("a", os.O_RDONLY, dir_fd=current)
        os.close(current)
        current = below
    os.close(os.open(leaf, os.O_WRONLY | os.O_CREAT, dir_fd=current))
    os.close(current)


def _unnest(folder: Path, leaf: str) -> None:
    """Remove what `_nest` made, bottom up without recursion (pytest's own clean-up of old
    temporary folders recurses, and would fail on it in a later run)."""
    fds = [os.open(folder, os.O_RDONLY)]
    while "a" in os.listdir(fds[-1]):
        fds.append(os.open("a", os.O_RDONLY, dir_fd=fds[-1]))
    os.unlink(leaf, dir_fd=fds[-1])
    os.close(fds.pop())
    while fds:
        os.rmdir("a", dir_fd=fds[-1])
        os.close(fds.pop())


def test_a_folder_nested_deeper_than_the_recursion_limit_is_read(tmp_path: Path) -> None:
    # rglob recursed once per level: 1,500 levels stopped the batch with a RecursionError
    deep = tmp_path / "d"
    deep.mkdir()
    (deep / "b.txt").write_text("Bra fil", "utf-8")
    _nest(deep, 1500, "djup.txt")
    try:
        found = expand_inputs([str(deep)])
    finally:
        _unnest(deep, "djup.txt")
    assert [Path(f).name for f in found] == ["djup.txt", "b.txt"]  # sorted: d/a/… before d/b.txt
    assert found[0].count("/a") == 1500


def test_missing_and_directory_inputs_are_read_errors(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_file(str(tmp_path / "missing"), 10)
    # another scheme than http(s) is named, not taken for a missing file alone (QA)
    with pytest.raises(ReadError, match="ftp:// addresses are not fetched"):
        read_file("ftp://example.org/x.txt", 10)
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
    assert is_url("HTTPS://x.se") and is_url("Http://x.se")  # fetched, not read as a file
    assert not is_url("x.txt") and not is_url("httpsx.txt")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://anna:hemligt@x.se/a?b=c@d", "https://***@x.se/a?b=c@d"),
        ("https://TOKEN@x.se", "https://***@x.se"),
        ("http://a:b@c@x.se#f", "http://***@x.se#f"),
        ("https://x.se/a@b", "https://x.se/a@b"),  # an @ in the path is no credential
    ],
)
def test_hide_credentials_keeps_the_host_and_path_not_the_secret(url: str, shown: str) -> None:
    assert hide_credentials(url) == shown


def test_a_url_with_credentials_is_refused_by_name_without_its_secret(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    scan = scan_inputs(["https://anna:hemligt@x.se/feed", str(tmp_path / "a.txt")])
    assert scan.found == [(str(tmp_path / "a.txt"), str(tmp_path))]  # the rest is read
    assert scan.refused == [("https://***@x.se/feed", "URLs with credentials are not fetched")]


def test_a_link_out_of_a_folder_is_refused_and_named_not_read(tmp_path: Path) -> None:
    """A folder of news must not read (and publish) what a link in it points to elsewhere."""
    folder, outside = tmp_path / "nyheter", tmp_path / "hemligt"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "nyckel.txt").write_text("hemlig nyckel")
    (folder / "a.txt").write_text("Kommunen bygger en simhall.")
    (folder / "b.txt").symlink_to(outside / "nyckel.txt")
    (folder / "sub" / "c.txt").symlink_to(folder / "a.txt")  # inside the folder: read
    scan = scan_inputs([str(folder)])
    assert scan.found == [
        (str(folder / "a.txt"), str(folder)),
        (str(folder / "sub" / "c.txt"), str(folder)),
    ]
    ((origin, why),) = scan.refused
    assert origin == str(folder / "b.txt") and "outside the folder" in why
    assert expand_inputs([str(folder)]) == [
        str(folder / "a.txt"),
        str(folder / "sub" / "c.txt"),
        origin,
    ]
    # given by name, a link is read: the user chose it
    assert scan_inputs([str(folder / "b.txt")]).found == [(str(folder / "b.txt"), str(folder))]


def test_a_folder_that_cannot_be_listed_is_named_not_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sub-folder without read permission (the tests run as root, so the listing is refused
    here by hand) used to be skipped without a word: its files were simply missing."""
    from lofte.sources import read

    folder = tmp_path / "nyheter"
    (folder / "låst").mkdir(parents=True)
    (folder / "låst" / "x.txt").write_text("Kommunen bygger en simhall.")
    (folder / "a.txt").write_text("Kommunen bygger en simhall.")
    real = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "låst":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(read.os, "scandir", scandir)
    scan = scan_inputs([str(folder)])
    assert scan.found == [(str(folder / "a.txt"), str(folder))]
    assert scan.refused == [
        (str(folder / "låst"), "a folder that cannot be listed: Permission denied")
    ]
    assert expand_inputs([str(folder)])[-1] == str(folder / "låst")


def test_links_that_lead_nowhere_or_to_a_folder_outside_are_named_not_passed_over(
    tmp_path: Path,
) -> None:
    """A link in a folder that loops, dangles or leads to a folder elsewhere, and a pipe, were
    skipped without a word: their text was simply missing from the batch (and a link out of the
    folder is documented to be named as failed)."""
    folder, outside = tmp_path / "nyheter", tmp_path / "hemligt"
    folder.mkdir()
    outside.mkdir()
    (outside / "nyckel.txt").write_text("hemlig nyckel")
    (folder / "a.txt").write_text("Kommunen bygger en simhall.")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "borta.txt").symlink_to(folder / "finns-inte.txt")
    (folder / "ut").symlink_to(outside)
    (folder / "själv").symlink_to(folder)  # a loop through a folder: its files are read once
    os.mkfifo(folder / "rör.txt")
    scan = scan_inputs([str(folder)])
    assert scan.found == [(str(folder / "a.txt"), str(folder))]
    refused = dict(scan.refused)
    assert sorted(refused) == sorted(
        str(folder / n) for n in ("loop1.txt", "loop2.txt", "borta.txt", "ut", "rör.txt")
    )
    assert (
        "cannot be followed: Too many levels of symbolic links"
        in refused[str(folder / "loop1.txt")]
    )
    assert "cannot be followed: No such file" in refused[str(folder / "borta.txt")]
    assert f"a link to the folder {outside}, outside the folder" in refused[str(folder / "ut")]
    assert "not a regular file" in refused[str(folder / "rör.txt")]
    # --include leaves out what it does not name, links as well as files
    assert scan_inputs([str(folder)], ["a*"]).refused == [
        (str(folder / "ut"), refused[str(folder / "ut")])
    ]


def test_a_gzipped_file_is_read_unpacked_within_the_size_limit(tmp_path: Path) -> None:
    """A `.txt.gz` failed as "no reader accepts this binary data"; a watched feed's `.xml.gz`
    was unpacked, a file's never. A gzip bomb stops at the limit, naming the file."""
    import gzip

    text = "Kommunen bygger en simhall i Årsta.\n" * 1000  # 36 kB from a few hundred bytes
    (tmp_path / "nyhet.txt.gz").write_bytes(gzip.compress(text.encode()))
    raw = read_file(str(tmp_path / "nyhet.txt.gz"), 100_000)
    assert raw.data == text.encode() and raw.media_type == "text/plain"
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(b"a" * 1_000_000))  # 1 kB packed
    with pytest.raises(TooLargeError, match=r"bomb\.gz.*larger than 100,000 bytes"):
        read_file(str(tmp_path / "bomb.gz"), 100_000)
    (tmp_path / "kapad.gz").write_bytes(gzip.compress(text.encode())[:100])
    with pytest.raises(ReadError, match=r"kapad\.gz.*ends early"):
        read_file(str(tmp_path / "kapad.gz"), 100_000)


def test_every_member_of_a_gzip_file_is_read_within_the_limit(tmp_path: Path) -> None:
    """`cat a.gz b.gz` is one valid gzip file of two members; only the first was read, the
    rest lost without a word. The limit counts all members together."""
    import gzip

    first, second = "Kommunen bygger en simhall.\n", "Och en ny skola i Årsta.\n"
    (tmp_path / "två.txt.gz").write_bytes(
        gzip.compress(first.encode()) + gzip.compress(second.encode()) + b"\0" * 8
    )
    assert read_file(str(tmp_path / "två.txt.gz"), 1000).data == (first + second).encode()
    (tmp_path / "många.gz").write_bytes(gzip.compress(b"a" * 600) * 2)  # 1,200 unpacked
    with pytest.raises(TooLargeError, match="larger than 1,000 bytes"):
        read_file(str(tmp_path / "många.gz"), 1000)
    assert len(read_file(str(tmp_path / "många.gz"), 1200).data) == 1200


def test_an_empty_input_name_is_refused_not_read_as_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: `lofte ingest "$DIR"` with DIR unset read the whole working folder recursively."""
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    scan = scan_inputs(["", "  ", "a.txt"])
    assert scan.found == [("a.txt", ".")]
    assert [origin for origin, _ in scan.refused] == ["''", "'  '"]
    assert all("empty input name" in why for _, why in scan.refused)


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("nyhet.txt", "nyhet.txt"),
        ("förskola åäö.txt", "förskola åäö.txt"),
        ("mapp\\fil.txt", "mapp\\fil.txt"),  # a backslash without "x": as stored before
        (os.fsdecode(b"fil-\xe5\xe4\xf6.txt"), "fil-\\xe5\\xe4\\xf6.txt"),
        ("fil-\\xe5\\xe4\\xf6.txt", "fil-\\\\xe5\\\\xe4\\\\xf6.txt"),
        (os.fsdecode(b"a\\b-\xff.txt"), "a\\\\b-\\xff.txt"),
    ],
)
def test_a_stored_path_names_one_file_and_keeps_the_old_form_of_utf8_names(
    name: str, stored: str
) -> None:
    assert printable_path("/in/" + name) == "/in/" + stored


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes are Linux's")
def test_a_name_not_in_utf8_and_one_written_as_its_escapes_are_two_origins(
    tmp_path: Path,
) -> None:
    """QA: the bytes "fil-\\xe5\\xe4\\xf6.txt" and a file named with those escapes written out
    got one origin, so both were one document and only one text was kept."""
    (tmp_path / "fil-\\xe5\\xe4\\xf6.txt").write_text("B")
    with open(os.fsencode(tmp_path) + b"/fil-\xe5\xe4\xf6.txt", "wb") as out:
        out.write(b"A")
    raws = [read_file(name, 100) for name in expand_inputs([str(tmp_path)])]
    origins = {raw.data: raw.origin for raw in raws}
    assert origins == {
        b"A": f"{tmp_path}/fil-\\xe5\\xe4\\xf6.txt",
        b"B": f"{tmp_path}/fil-\\\\xe5\\\\xe4\\\\xf6.txt",
    }


def test_an_include_pattern_with_a_slash_matches_the_path_below_the_folder(
    tmp_path: Path,
) -> None:
    """QA: `lofte ingest ARCHIVE --include 'pressmeddelanden/2023/03/*.md'` said "nothing to
    ingest": patterns were compared with file names only. One with a "/" matches the path
    below the folder given, folder by folder; one without still matches names."""
    archive = tmp_path / "regeringen"
    files = [
        "pressmeddelanden/2023/03/a.md",
        "pressmeddelanden/2023/03/extra/d.md",
        "pressmeddelanden/2023/04/b.md",
        "debattartiklar/2023/03/c.md",
        "index.csv",
    ]
    for name in files:
        (archive / name).parent.mkdir(parents=True, exist_ok=True)
        (archive / name).write_text("Regeringen föreslår.", encoding="utf-8")

    def kept(*patterns: str) -> list[str]:
        scan = scan_inputs([str(archive)], patterns)
        assert scan.refused == []
        return [str(Path(origin).relative_to(archive)) for origin, _ in scan.found]

    assert kept("pressmeddelanden/2023/03/*.md") == ["pressmeddelanden/2023/03/a.md"]
    assert kept("./pressmeddelanden/2023/03/*.md") == ["pressmeddelanden/2023/03/a.md"]
    assert kept("*/2023/03/*.md") == [
        "debattartiklar/2023/03/c.md",
        "pressmeddelanden/2023/03/a.md",
    ]
    assert kept("pressmeddelanden/**/*.md") == [
        "pressmeddelanden/2023/03/a.md",
        "pressmeddelanden/2023/03/extra/d.md",
        "pressmeddelanden/2023/04/b.md",
    ]
    assert kept("**/03/*.md") == ["debattartiklar/2023/03/c.md", "pressmeddelanden/2023/03/a.md"]
    assert kept("pressmeddelanden/*.md") == []  # `*` stays within one folder
    assert kept("regeringen/pressmeddelanden/2023/03/*.md") == []  # below the folder given
    # review: a folder's pattern ending in "/" is its every file; a leading "/" is the folder
    assert kept("pressmeddelanden/2023/03/") == [
        "pressmeddelanden/2023/03/a.md",
        "pressmeddelanden/2023/03/extra/d.md",
    ]
    assert kept("/debattartiklar/") == ["debattartiklar/2023/03/c.md"]
    # a pattern without "/" is the name's, at any depth, as before
    assert kept("*.csv") == ["index.csv"]
    assert kept("[ab].md", "index.*") == [
        "index.csv",
        "pressmeddelanden/2023/03/a.md",
        "pressmeddelanden/2023/04/b.md",
    ]
