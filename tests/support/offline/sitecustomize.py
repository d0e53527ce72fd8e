"""Imported at start-up by any Python process whose PYTHONPATH holds this folder.

It takes the network away from that process: resolving or connecting to any
address outside the loopback range raises, so a build that tries to reach the
internet fails loudly instead of quietly depending on it.
"""

import ipaddress
import socket

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _refuse(host: object) -> None:
    raise OSError(f"network disabled for this test: refused to reach {host!r}")


def _getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host):
        _refuse(host)
    return _real_getaddrinfo(host, *args, **kwargs)


def _connect(self, address):
    if isinstance(address, tuple) and not _is_loopback(address[0]):
        _refuse(address[0])
    return _real_connect(self, address)


def _connect_ex(self, address):
    if isinstance(address, tuple) and not _is_loopback(address[0]):
        _refuse(address[0])
    return _real_connect_ex(self, address)


socket.getaddrinfo = _getaddrinfo
socket.socket.connect = _connect
socket.socket.connect_ex = _connect_ex
