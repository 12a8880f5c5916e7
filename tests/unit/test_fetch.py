"""Downloads for Import Data: a real HTTP server on 127.0.0.1, which is private, so only a listed host reaches it."""

import pytest

from modules.fetch import FetchError, FetchPolicy, fetch, is_public
from tests.http_files import file_server

ALLOWED = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}))
CSV = b"a,b\n1,2\n3,4\n"


@pytest.fixture
def server():
    with file_server() as files:
        yield files


def test_a_listed_host_is_fetched_even_though_it_is_private(server):
    url = server.put("/data.csv", CSV, "text/csv")

    fetched = fetch(url, ALLOWED)

    assert fetched.content == CSV and fetched.content_type == "text/csv" and fetched.url == url


def test_a_private_host_that_is_not_listed_is_refused_before_any_request(server):
    url = server.put("/data.csv", CSV)

    refusal = r"127\.0\.0\.1 resolves to 127\.0\.0\.1, a private.*TRELLIS_IMPORT_ALLOWED_HOSTS"
    with pytest.raises(FetchError, match=refusal):
        fetch(url, FetchPolicy())

    assert server.requests == []


def test_a_redirect_is_checked_again_and_a_private_target_refused(server):
    port = server.server.server_address[1]
    start = server.redirect("/moved", f"http://localhost:{port}/data.csv")
    server.put("/data.csv", CSV)

    with pytest.raises(FetchError, match=r"localhost resolves to .*private"):
        fetch(start, ALLOWED)

    assert server.requests == ["/moved"]


def test_a_redirect_to_an_allowed_host_is_followed(server):
    server.put("/data.csv", CSV)
    start = server.redirect("/moved", "/data.csv")

    assert fetch(start, ALLOWED).content == CSV
    assert server.requests == ["/moved", "/data.csv"]


def test_a_body_over_the_limit_is_refused_by_its_declared_length_and_by_counting(server):
    small = FetchPolicy(allowed_hosts=ALLOWED.allowed_hosts, max_bytes=1000)
    declared = server.put("/big.csv", b"x" * 1001)
    undeclared = server.put("/stream.csv", b"x" * 5000, declare_length=False)

    with pytest.raises(FetchError, match="larger than the import limit of 1000 bytes \\(it says 1001\\)"):
        fetch(declared, small)
    with pytest.raises(FetchError, match="larger than the import limit of 1000 bytes"):
        fetch(undeclared, small)
    assert fetch(server.put("/fits.csv", b"x" * 1000, declare_length=False), small).content == b"x" * 1000


def test_an_error_status_is_reported_with_the_url(server):
    with pytest.raises(FetchError, match="404"):
        fetch(server.url("/missing.csv"), ALLOWED)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/data.csv", "only http and https"),
        ("http://user:secret@example.org/data.csv", "must not hold a user name or password"),
        ("http:///data.csv", "names no host"),
    ],
)
def test_urls_that_are_not_plain_http_are_refused(url, message):
    with pytest.raises(FetchError, match=message):
        fetch(url, FetchPolicy())


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_only_public_addresses_count_as_public(address, public):
    assert is_public(address) is public
