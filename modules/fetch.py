"""Downloading a file over http(s) for Import Data, without letting a pipeline reach the private network.

A pipeline's author chooses the URL, and the worker that fetches it usually sits inside a network
with services nobody outside may reach (a metadata endpoint, a database's admin page). So every
host is resolved first and refused when any of its addresses is not a public one (loopback,
private, link-local, shared, reserved, multicast), unless the host is listed as allowed; the
connection then goes to the address that was checked (a second lookup could answer differently),
and every redirect is checked the same way. Bodies larger than the limit are refused, by their
Content-Length when they send one and by counting otherwise. Pure: no Django.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from modules.spec import ModuleError

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK_BYTES = 1 << 16
USER_AGENT = "Trellis-Import-Data/1"


class FetchError(ModuleError):
    """The URL could not be fetched, or was refused; the message says which and why."""


@dataclass(frozen=True)
class FetchPolicy:
    """What a download may do: the hosts allowed despite private addresses, its size, its patience."""

    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    max_bytes: int = 100 * 1024 * 1024
    timeout_seconds: float = 30.0
    max_redirects: int = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def fetch(url: str, policy: FetchPolicy) -> Fetched:
    """The body of `url` (http or https), following up to `policy.max_redirects` redirects; raises FetchError."""
    for _ in range(policy.max_redirects + 1):
        target = _target(url)
        address = vetted_address(target.host, target.port, policy)
        connection = _connection(target, address, policy)
        try:
            connection.request("GET", target.path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            response = connection.getresponse()
            if response.status in REDIRECTS and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise FetchError(f"{url} answered {response.status} {response.reason}")
            content = _read_limited(response, url, policy.max_bytes)
            return Fetched(url=url, content=content, content_type=response.getheader("Content-Type", ""))
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"could not fetch {url}: {error}") from None
        finally:
            connection.close()
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects")


def _target(url: str) -> _Target:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be imported, not {url!r}")
    if not parts.hostname:
        raise FetchError(f"the URL {url!r} names no host")
    if parts.username or parts.password:
        raise FetchError("a URL to import must not hold a user name or password (the pipeline would show it)")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"the URL {url!r} has an invalid port") from None
    path = parts.path or "/"
    return _Target(parts.scheme, parts.hostname.lower(), port, f"{path}?{parts.query}" if parts.query else path)


def vetted_address(host: str, port: int, policy: FetchPolicy) -> str:
    """The address to connect to for `host`: refused when any of its addresses is not public,
    unless the host is in `policy.allowed_hosts`."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"the host {host} could not be resolved: {error.strerror}") from None
    addresses = [str(info[4][0]) for info in infos]
    if host in policy.allowed_hosts:
        return addresses[0]
    for address in addresses:
        if not is_public(address):
            raise FetchError(
                f"{host} resolves to {address}, a private, loopback or link-local address; "
                "imports from it are refused unless the host is listed in TRELLIS_IMPORT_ALLOWED_HOSTS"
            )
    return addresses[0]


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return ip.is_global and not ip.is_multicast


def _connection(target: _Target, address: str, policy: FetchPolicy) -> http.client.HTTPConnection:
    if target.scheme == "https":
        return _PinnedHTTPSConnection(target.host, target.port, address, policy.timeout_seconds)
    return _PinnedHTTPConnection(target.host, target.port, address, policy.timeout_seconds)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address while the request names the host (Host header)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, verifying the certificate against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def _read_limited(response: http.client.HTTPResponse, url: str, max_bytes: int) -> bytes:
    too_large = f"{url} is larger than the import limit of {max_bytes} bytes"
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{too_large} (it says {declared})")
    chunks, total = [], 0
    while chunk := response.read(CHUNK_BYTES):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(too_large)
        chunks.append(chunk)
    return b"".join(chunks)
