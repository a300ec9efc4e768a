"""download(): verified before it takes its final name, resumed with HTTP Range, restarted when a server
ignores Range, retried after a dropped connection, and file:// URLs."""

import hashlib

import pytest

from data_scripts._download import ChecksumError, DownloadError, download, part_path
from tests.data_scripts.helpers import flip_byte, sha256

DATA = (
    bytes(range(256)) * 400
)  # 100 kB, several 1 MiB-chunk-free reads are still exercised by Range


@pytest.fixture
def served(server):
    server.files["data.bin"] = DATA
    return server


def test_download_verifies_and_returns_digest(served, tmp_path):
    dest = tmp_path / "sub" / "data.bin"
    md5 = hashlib.md5(DATA).hexdigest()
    digest = download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), md5=md5, progress=False)
    assert dest.read_bytes() == DATA
    assert digest == sha256(DATA)
    assert not part_path(dest).exists()


def test_corrupt_download_is_detected_and_never_takes_the_final_name(served, tmp_path):
    served.files["data.bin"] = flip_byte(DATA)
    dest = tmp_path / "data.bin"
    with pytest.raises(ChecksumError) as error:
        download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    message = str(error.value)
    assert "data.bin" in message
    assert sha256(DATA) in message and sha256(flip_byte(DATA)) in message
    assert not dest.exists()
    # The corrupt bytes are not kept for resuming either.
    assert not part_path(dest).exists()


def test_md5_mismatch_is_detected(served, tmp_path):
    with pytest.raises(ChecksumError, match="MD5"):
        download(f"{served.url}/data.bin", tmp_path / "d", md5="0" * 32, progress=False)
    assert not (tmp_path / "d").exists()


def test_partial_file_is_resumed_with_a_range_request(served, tmp_path):
    dest = tmp_path / "data.bin"
    part_path(dest).write_bytes(DATA[:30_000])
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert dest.read_bytes() == DATA
    assert served.requests == [("data.bin", "bytes=30000-")]
    assert served.bytes_sent == len(DATA) - 30_000


def test_server_ignoring_range_restarts_instead_of_appending(served, tmp_path):
    served.range_support = False
    dest = tmp_path / "data.bin"
    part_path(dest).write_bytes(DATA[:30_000])
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert served.requests == [("data.bin", "bytes=30000-")]
    assert dest.read_bytes() == DATA


def test_range_answer_from_another_offset_restarts(served, tmp_path):
    served.misaligned_range = True
    dest = tmp_path / "data.bin"
    part_path(dest).write_bytes(DATA[:30_000])
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert served.requests == [("data.bin", "bytes=30000-"), ("data.bin", None)]
    assert dest.read_bytes() == DATA


def test_complete_part_file_is_accepted_when_server_says_range_not_satisfiable(served, tmp_path):
    dest = tmp_path / "data.bin"
    part_path(dest).write_bytes(DATA)
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert dest.read_bytes() == DATA
    assert served.bytes_sent == 0


def test_stale_part_longer_than_the_file_is_discarded(served, tmp_path):
    dest = tmp_path / "data.bin"
    part_path(dest).write_bytes(DATA + b"stale tail")
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert dest.read_bytes() == DATA


def test_dropped_connection_is_retried_from_where_it_stopped(served, tmp_path):
    served.drop_after = 40_000
    dest = tmp_path / "data.bin"
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False, retries=1)
    assert dest.read_bytes() == DATA
    assert served.requests == [("data.bin", None), ("data.bin", "bytes=40000-")]


def test_failed_download_keeps_the_part_file_and_says_so(served, tmp_path):
    served.drop_after = 40_000
    dest = tmp_path / "data.bin"
    with pytest.raises(DownloadError, match="kept; run again to resume"):
        download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False, retries=0)
    assert not dest.exists()
    assert part_path(dest).read_bytes() == DATA[:40_000]
    # The next run resumes it.
    download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert dest.read_bytes() == DATA
    assert served.requests[-1] == ("data.bin", "bytes=40000-")


def test_http_404_is_a_clear_error(served, tmp_path):
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(f"{served.url}/missing.bin", tmp_path / "m", progress=False)
    assert len(served.requests) == 1  # a client error is not retried


def test_existing_file_is_verified_without_network(served, tmp_path):
    dest = tmp_path / "data.bin"
    dest.write_bytes(DATA)
    assert download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False) == sha256(
        DATA
    )
    assert served.requests == []
    dest.write_bytes(flip_byte(DATA))
    with pytest.raises(ChecksumError, match="delete it"):
        download(f"{served.url}/data.bin", dest, sha256=sha256(DATA), progress=False)
    assert served.requests == []


def test_file_url(tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(DATA)
    dest = tmp_path / "out" / "data.bin"
    part_path(dest).parent.mkdir()
    part_path(dest).write_bytes(DATA[:1000])  # file:// ignores Range: must restart, not append
    digest = download(source.as_uri(), dest, sha256=sha256(DATA), progress=False)
    assert digest == sha256(DATA)
    assert dest.read_bytes() == DATA


def test_missing_file_url_fails_at_once(tmp_path):
    with pytest.raises(DownloadError, match="1 attempt"):
        download((tmp_path / "nope.bin").as_uri(), tmp_path / "d", progress=False)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sha256": "abc"}, "`sha256` must be a 64-character hex digest"),
        ({"md5": "z" * 32}, "`md5` must be a 32-character hex digest"),
        ({"retries": -1}, "`retries` must be an integer >= 0"),
    ],
)
def test_bad_arguments(kwargs, match, tmp_path):
    with pytest.raises(ValueError, match=match):
        download("file:///nonexistent", tmp_path / "d", progress=False, **kwargs)
