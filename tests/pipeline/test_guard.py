"""The guard: which URLs may be fetched. Every refusal here is a real SSRF shape."""

import httpcore
import pytest

from newsdesk.pipeline.documents import Rejected, RejectReason
from newsdesk.pipeline.fetch import FetchOptions, guarded_client
from newsdesk.pipeline.guard import GuardedBackend, Refused, check_url

# `http_server` (tests/httpserver.py, via tests/conftest.py): a real server on 127.0.0.1.


@pytest.mark.parametrize(
    "url, why",
    [
        ("ftp://example.com/feed.xml", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("//example.com/no-scheme", "no scheme"),
        ("http:///no-host", "no host"),
        ("http://127.0.0.1/", "loopback"),
        ("http://127.9.9.9:8080/", "loopback"),
        ("http://localhost/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://2130706433/", "loopback"),  # decimal 127.0.0.1
        ("http://0177.0.0.1/", "loopback"),  # octal
        ("http://0x7f.0.0.1/", "loopback"),  # hex
        ("http://0x7f.1/", "loopback"),  # short hex form
        ("http://127.1/", "loopback"),  # short dotted form
        ("http://0x7f000001/", "loopback"),  # one hex number
        ("http://①②⑦.0.0.1/", "loopback"),  # IDNA maps the circled digits to 127
        ("http://[0:0:0:0:0:ffff:7f00:1]/", "loopback"),  # mapped, spelt out
        ("http://user:pw@127.0.0.1/", "loopback"),  # userinfo does not hide the host
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("http://[::ffff:a9fe:a9fe]/", "link-local"),  # mapped 169.254.169.254
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 carrying 127.0.0.1
        ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 carrying 10.0.0.1
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://[fd00::1]/", "private"),  # unique local
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # cloud metadata
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://100.64.0.1/", "not globally routable"),  # carrier-grade NAT
        ("http://4294967296/", "not a valid IP address"),  # more than 32 bits
    ],
)
def test_refused(url, why):
    with pytest.raises(Refused) as caught:
        check_url(url)
    assert caught.value.reason is RejectReason.REFUSED
    assert isinstance(caught.value, Rejected)
    assert why in caught.value.message


@pytest.mark.parametrize(
    "url",
    ["http://8.8.8.8/", "https://1.1.1.1:8443/feed", "http://[2606:4700:4700::1111]/"],
)
def test_public_addresses_pass(url):
    check_url(url)  # literal addresses: no DNS needed


def test_allow_private_lets_everything_through():
    for url in ("http://127.0.0.1/", "http://10.0.0.1/", "http://[::1]/"):
        check_url(url, allow_private=True)


def test_allowed_networks_exempt_only_those_networks():
    check_url("http://10.1.2.3/", allowed_networks=("10.1.0.0/16",))
    check_url("http://[::ffff:10.1.2.3]/", allowed_networks=("10.1.0.0/16",))
    with pytest.raises(Refused, match="private"):
        check_url("http://10.2.0.1/", allowed_networks=("10.1.0.0/16",))
    with pytest.raises(Refused, match="link-local"):
        check_url("http://169.254.169.254/", allowed_networks=("10.1.0.0/16",))


def test_message_says_how_to_allow():
    with pytest.raises(Refused) as caught:
        check_url("http://192.168.0.10/feed")
    assert "allow_private" in caught.value.message
    assert "allowed_networks" in caught.value.message


def test_backend_refuses_at_connect_time(http_server):
    """Even a caller that skipped check_url cannot open a socket to loopback."""
    backend = GuardedBackend()
    with pytest.raises(Refused, match="loopback"):
        backend.connect_tcp("localhost", http_server.port)
    with pytest.raises(Refused):
        backend.connect_unix_socket("/var/run/docker.sock")


def test_client_connections_go_through_the_guard(http_server):
    """The httpx client the fetcher uses checks every socket it opens."""
    http_server.route("/", body=b"hello")
    with guarded_client(FetchOptions(), timeout_s=5) as client:
        with pytest.raises(Refused, match="loopback"):
            client.get(http_server.url("/"))
    with guarded_client(FetchOptions(allow_private=True), timeout_s=5) as client:
        assert client.get(http_server.url("/")).content == b"hello"


def test_backend_connects_to_the_checked_address(http_server):
    http_server.route("/", body=b"ok")
    stream = GuardedBackend(allow_private=True).connect_tcp("localhost", http_server.port)
    try:
        assert isinstance(stream, httpcore.NetworkStream)
        assert stream.get_extra_info("server_addr")[0] in ("127.0.0.1", "::1")
    finally:
        stream.close()
