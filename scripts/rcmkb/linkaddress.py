"""Which web addresses the link checker may visit, and how it writes them on the wire.

The checker runs on a maintainer's machine or a CI runner, inside a network. A link (or a redirect)
to 127.0.0.1, 10.x, 169.254.169.254 and the like would make it probe that network for whoever wrote
the link, so only public addresses are visited: every address a host name resolves to is vetted, and
the connection goes to the vetted address itself (see rcmkb.linkfetch). Host names are converted to
ASCII the way browsers do (IDNA 2008 with UTS #46 mapping: `MÜNCHEN.example` -> `xn--mnchen-3ya.example`).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

import idna

WEB_SCHEMES = ("http", "https")
# The one address a test server may listen on when the test allows it (never in normal use).
TEST_LOOPBACK = ipaddress.ip_address("127.0.0.1")
_UNPRINTABLE = frozenset({"Zl", "Zp"})
_SHARED_NAT = ipaddress.ip_network("100.64.0.0/10")
# An ASCII label as real hosts write them; "_" is not standard but browsers accept it and some hosts use it.
_ASCII_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")

# host, port -> the IP addresses (as text) to connect to. The tests pass their own so no DNS is asked.
Resolver = Callable[[str, int], list[str]]


class BadAddress(ValueError):
    """A link whose address cannot be requested at all; the message says why in plain words."""


def printable(text: str) -> str:
    """Text from a link or a server's Location header, safe to print: control and format characters (bidi
    overrides included) and line separators are percent-encoded, so nothing can start a new line, move the
    cursor, colour the terminal or reverse the text."""
    return "".join(quote(c, safe="") if unicodedata.category(c) in _UNPRINTABLE or unicodedata.category(c)[0] == "C"
                   else c for c in text)


def ascii_host(host: str) -> str:
    """The host as it goes into the request: lower case, international names in punycode, IPs normalised."""
    literal = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        return ipaddress.ip_address(literal).compressed
    except ValueError:
        pass
    name = host.lower()
    stem = name[:-1] if name.endswith(".") else name  # a trailing dot (fully qualified) is kept as written
    labels = stem.split(".")
    if stem.isascii() and all(_ASCII_LABEL.fullmatch(label) for label in labels):
        if not any(label.startswith("xn--") for label in labels):
            converted = name
        else:
            try:
                idna.decode(stem)  # a punycode label must decode to a valid name
            except idna.IDNAError as error:
                raise BadAddress(f'the host name "{printable(host)}" is malformed ({error})') from None
            converted = name
    else:
        try:
            converted = idna.encode(name, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as error:
            raise BadAddress(f'the host name "{printable(host)}" is malformed ({printable(str(error))})') from None
    if len(converted.rstrip(".")) > 253:
        raise BadAddress(f'the host name "{printable(host[:60])}…" is longer than 253 characters')
    return converted


def request_url(url: str) -> str:
    """The address as it is requested: web scheme only, host in ASCII, no user name or password (never
    sent to a third party), path and query percent-encoded, no #fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as error:
        raise BadAddress(f"the address is malformed ({printable(str(error))})") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise BadAddress(f"not a web address ({printable(scheme)}:)")
    if not host:
        raise BadAddress("the address has no host name")
    converted = ascii_host(host)
    netloc = f"[{converted}]" if ":" in converted else converted
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((scheme, netloc, quote(parts.path or "/", safe="/%:@!$&'()*+,;=~"),
                       quote(parts.query, safe="=&%/:?@!$'()*+,;~"), ""))


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives (raises socket.gaierror when the name does not resolve)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _why_not_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if ip.is_loopback:
        return "a loopback address (this computer)"
    if ip.is_unspecified:
        return "the unspecified address (this computer)"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_private:
        return "a private network address"
    if ip in _SHARED_NAT:
        return "a shared (carrier-grade NAT) address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address, not on the public internet"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only; `allow_loopback` (tests only) lets 127.0.0.1 through and nothing else."""

    allow_loopback: bool = False
    resolver: Resolver = field(default=system_resolver)

    def refusal(self, address: str) -> str | None:
        """Why the checker will not connect to this IP address, or None if it may."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if self.allow_loopback and ip == TEST_LOOPBACK:
            return None
        if isinstance(ip, ipaddress.IPv6Address):
            # An IPv4 address carried inside IPv6 (::ffff:10.0.0.1, 6to4, Teredo) is judged as itself.
            embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
            if embedded is not None:
                reason = _why_not_public(embedded)
                if reason:
                    return f"{reason}, inside the IPv6 address {ip.compressed}"
        return _why_not_public(ip)
