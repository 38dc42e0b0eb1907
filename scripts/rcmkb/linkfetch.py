"""The link checker's transport: one HTTP request on requests.Session, guarded.

What this module guarantees, whatever the server or the link says:
- it connects only to addresses the AddressPolicy accepts: the host is resolved once, every address is
  vetted, and the socket goes to the vetted address (no second lookup that DNS rebinding could change);
- it follows no redirect (the caller decides, hop by hop, and each hop comes back through here);
- nothing outlives the Deadline: connect and read timeouts are cut to the time left, and a watchdog shuts
  the socket when it runs out, so a server that drips one byte every half second is stopped too;
- it reads the status and headers and at most MAX_BODY_BYTES of a body, then closes the connection
  without draining it, so a huge or endless body costs nothing;
- no proxy, .netrc password or cookie from the environment is used, and no cookie is kept.
"""

from __future__ import annotations

import contextlib
import contextvars
import http.cookiejar
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
import requests.adapters
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions

from rcmkb.linkaddress import AddressPolicy, printable, request_url

USER_AGENT = "Mozilla/5.0 (compatible; rcmkb-check-links/1.0; link check of a static catalog site)"
# A ranged GET asks for the first byte; that byte shows the document is really served. Nothing more is read.
MAX_BODY_BYTES = 1


# --- What can go wrong, in words a maintainer reads ----------------------------------------------------------

class FetchError(Exception):
    """A request that got no usable answer. Not an OSError, so urllib3 and requests let it through unwrapped."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class AddressRefused(FetchError):
    """The host is, or resolves to, an address the checker does not visit."""

    def __init__(self, detail: str, *, literal: bool) -> None:
        super().__init__(detail)
        self.literal = literal  # the link itself names the IP: no lookup was involved, so no retry changes it


class NameNotFound(FetchError):
    def __init__(self, host: str) -> None:
        super().__init__(f"the host name {host} does not resolve (DNS)")
        self.host = host


class DeadlineExceeded(FetchError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no complete answer within {seconds:g} s, the time allowed for one address with "
                         "its redirects and tries")


class NoAnswer(FetchError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")


class BadResponse(FetchError):
    """Could not connect, secure the connection, or read the answer."""


# --- The time allowed for one address ---------------------------------------------------------------------

class Deadline:
    """A point in time, `seconds` from creation, shared by every hop and try of one address."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(self._end - time.monotonic(), 0.0)

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0.0


# --- The guard every connection of one request goes through -------------------------------------------------

@dataclass
class _Guard:
    policy: AddressPolicy
    deadline: Deadline
    sockets: list[socket.socket] = field(default_factory=list)
    expired: bool = False
    finished: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses, asked in a helper thread so a hanging resolver cannot outlast the deadline."""
        result: list[str] = []
        failure: list[BaseException] = []

        def ask() -> None:
            try:
                result.extend(self.policy.resolver(host, port))
            except BaseException as error:  # handed over to the requesting thread below
                failure.append(error)

        thread = threading.Thread(target=ask, name=f"resolve {host}", daemon=True)
        thread.start()
        thread.join(self.deadline.remaining())
        if thread.is_alive():
            raise DeadlineExceeded(self.deadline.seconds)
        if failure:
            if isinstance(failure[0], (socket.gaierror, UnicodeError)):
                raise NameNotFound(host)
            raise BadResponse(f"could not look up {host} ({failure[0].__class__.__name__})")
        if not result:
            raise NameNotFound(host)
        return result

    def open_socket(self, host: str, port: int, connect_timeout: float | None) -> socket.socket:
        """A TCP connection to the host, only if every address it resolves to is public."""
        literal = _is_ip(host)
        addresses = [host] if literal else self.resolve(host, port)
        for address in addresses:
            reason = self.policy.refusal(address)
            if reason:
                # One bad address refuses the name: a host that resolves partly inside the network is not
                # visited at all, whichever address the system would have picked.
                named = f"{host} is {reason}" if literal else f"{host} resolves to {address}, {reason}"
                raise AddressRefused(f"not checked: {named}. The checker visits only public addresses, "
                                     "and readers outside that network cannot open it either", literal=literal)
        last_error: OSError | None = None
        for address in addresses:
            limit = self.deadline.remaining()
            if limit <= 0:
                raise DeadlineExceeded(self.deadline.seconds)
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            self.register(sock)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(min(connect_timeout, limit) if connect_timeout is not None else limit)
                sock.connect((address, port))
                return sock
            except TimeoutError:
                sock.close()
                if self.deadline.passed:
                    raise DeadlineExceeded(self.deadline.seconds) from None
                last_error = TimeoutError()
            except OSError as error:
                sock.close()
                last_error = error
        if isinstance(last_error, TimeoutError):
            raise NoAnswer(connect_timeout or self.deadline.seconds)
        reason = last_error.strerror if last_error is not None and last_error.strerror else "no address"
        raise BadResponse(f"could not connect to {host} ({reason})")

    def register(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)

    def expire(self) -> None:
        """Run by the watchdog at the deadline: shut every socket of this request, which ends a blocked read."""
        with self.lock:
            if self.finished:
                return
            self.expired = True
            for sock in self.sockets:
                # The plain socket's shutdown, also for a TLS socket: it acts on the connection itself. An
                # error means already closed, or handed over to the TLS layer (which is registered too).
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def finish(self) -> None:
        with self.lock:
            self.finished = True


def _is_ip(host: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return False
    return True


# The guard of the request running in this thread. urllib3 builds connections deep inside requests, with no
# argument we could add; requests run synchronously, so the calling thread's context is where it looks.
_GUARD: contextvars.ContextVar[_Guard | None] = contextvars.ContextVar("rcmkb_link_guard", default=None)


def _current_guard() -> _Guard:
    guard = _GUARD.get()
    if guard is None:  # never connect unguarded, even if someone uses these classes directly
        raise BadResponse("internal error: a connection was opened outside a guarded request")
    return guard


class _GuardedHTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        return _current_guard().open_socket(self.host.strip("[]"), self.port, timeout)


class _GuardedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        timeout = self.timeout if isinstance(self.timeout, (int, float)) else None
        return _current_guard().open_socket(self.host.strip("[]"), self.port, timeout)

    def connect(self) -> None:
        super().connect()
        if self.sock is not None and isinstance(self.sock, socket.socket):
            _current_guard().register(self.sock)  # the TLS socket, so the watchdog can end a dripped read


class _GuardedHTTPPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def _session() -> requests.Session:
    """A fresh session per request: no connection is reused, so every one is opened (and vetted) by a guard."""
    session = requests.Session()
    session.trust_env = False  # no proxy (it would resolve names for us) and no .netrc credentials
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))  # keep no cookies
    adapter = _GuardedAdapter(max_retries=0)  # retries are the checker's policy, not the transport's
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# --- One request -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None  # the Location header of a redirect, printable


@dataclass(frozen=True)
class Fetcher:
    timeout: float = 10.0  # for each connect and each read; the Deadline bounds the whole
    policy: AddressPolicy = field(default_factory=AddressPolicy)

    def fetch(self, url: str, method: str, deadline: Deadline) -> Answer:
        """Status and Location of one HEAD or ranged GET; no redirect followed. Raises FetchError or
        linkaddress.BadAddress."""
        target = request_url(url)
        if deadline.passed:
            raise DeadlineExceeded(deadline.seconds)
        headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Language": "es,en;q=0.8",
                   "Accept-Encoding": "identity"}
        if method == "GET":
            headers["Range"] = f"bytes=0-{MAX_BODY_BYTES - 1}"  # the first byte is enough
        guard = _Guard(self.policy, deadline)
        token = _GUARD.set(guard)
        watchdog = threading.Timer(deadline.remaining(), guard.expire)
        watchdog.daemon = True
        watchdog.start()
        session = _session()
        try:
            limit = min(self.timeout, deadline.remaining())
            response = session.request(method, target, headers=headers, allow_redirects=False, stream=True,
                                       timeout=(limit, limit))
            try:
                if method == "GET" and 200 <= response.status_code < 300:
                    response.raw.read(MAX_BODY_BYTES)
                if guard.expired:  # the watchdog cut the answer short; what was parsed is not to be trusted
                    raise DeadlineExceeded(deadline.seconds)
                location = response.headers.get("Location")
                return Answer(response.status_code, printable(_as_utf8(location)) if location is not None else None)
            finally:
                response.close()  # closes the connection: an unread body is dropped, never drained
        except FetchError:
            raise
        except requests.exceptions.Timeout:
            if guard.expired or deadline.passed:
                raise DeadlineExceeded(deadline.seconds) from None
            raise NoAnswer(self.timeout) from None
        except requests.exceptions.SSLError as error:
            raise BadResponse(f"secure connection failed ({_root_cause(error)})") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema, ValueError) as error:
            raise BadResponse(f"the address could not be requested ({printable(str(error))[:200]})") from None
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
            if guard.expired or deadline.passed:
                raise DeadlineExceeded(deadline.seconds) from None
            raise BadResponse(f"could not read the answer ({_root_cause(error)})") from None
        finally:
            guard.finish()
            watchdog.cancel()
            _GUARD.reset(token)
            session.close()


def _as_utf8(header: str) -> str:
    """A header as the server wrote it: http.client decodes bytes as Latin-1, browsers read a Location's
    bytes as UTF-8 (so /niñez stays /niñez, not /niÃ±ez)."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def _root_cause(error: BaseException) -> str:
    """The innermost exception's class name: 'SSLCertVerificationError', not requests' long wrapper text."""
    seen: set[int] = set()
    while id(error) not in seen:
        seen.add(id(error))
        reason = getattr(error, "reason", None)  # urllib3's MaxRetryError keeps the real error there
        inner = reason if isinstance(reason, BaseException) else error.__cause__ or error.__context__
        if inner is None and error.args and isinstance(error.args[0], BaseException):
            inner = error.args[0]
        if inner is None:
            break
        error = inner
    return error.__class__.__name__
