"""Keeps the real-client tests on this machine.

They talk to the local Hub emulator only. A library that reached for huggingface.co anyway (a
hard-coded URL, an HF_ENDPOINT that did not reach it) must fail the test, not leave the machine:
name lookups and connections to anything but loopback are refused before a packet is sent.
"""

import ipaddress
import socket


def _is_loopback(host) -> bool:
    if host is None:  # getaddrinfo(None, port): this machine's own addresses, for a server
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install() -> None:
    getaddrinfo = socket.getaddrinfo
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex

    def refuse(host) -> None:
        raise ConnectionRefusedError(f"real-client tests connect only to the local Hub (loopback), not to {host}")

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            refuse(host)
        return getaddrinfo(host, *args, **kwargs)

    def guarded(method):
        def wrapper(self, address):
            if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
                refuse(address[0])
            return method(self, address)

        return wrapper

    socket.getaddrinfo = guarded_getaddrinfo
    socket.socket.connect = guarded(connect)
    socket.socket.connect_ex = guarded(connect_ex)
