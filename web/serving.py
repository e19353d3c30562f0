"""The gunicorn worker the app is served with (``web/gunicorn.conf.py`` names it).

gunicorn answers some requests itself, before the app sees them: a request line over
``limit_request_line`` (414), a malformed request (400), too many or too large headers (431).
Those pages are written by ``gunicorn.util.write_error`` with no headers but its own, so this
worker adds the app's security headers (``web/security.py``) to every one of them.
"""
from __future__ import annotations

from gunicorn.workers.ggevent import GeventWorker

from .security import SECURITY_HEADERS

# The app's security headers as HTTP/1.1 header lines.
SECURITY_HEADER_LINES = b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in SECURITY_HEADERS.items())


class _HeaderedSocket:
    """The client socket for one of gunicorn's error pages: the security headers go in after its status line.

    gunicorn writes the whole page with one ``sendall`` of ``HTTP/1.1 414 URI Too Long\\r\\n``
    followed by its headers and body; everything else is the real socket's.
    """

    def __init__(self, sock):
        self._sock = sock
        self._headers_added = False

    def sendall(self, data: bytes, *args) -> None:
        if not self._headers_added:
            end = data.find(b"\r\n")
            if end >= 0:
                data = data[:end + 2] + SECURITY_HEADER_LINES + data[end + 2:]
                self._headers_added = True
        self._sock.sendall(data, *args)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class SecureGeventWorker(GeventWorker):
    """gunicorn's gevent worker, whose own error responses carry the app's security headers.

    gevent, not gunicorn's default sync worker: a sync worker reads a request's headers with a
    blocking read and no deadline, so each client that stalls mid-headers holds a whole worker
    until the worker timeout kills it, and a few such clients lock everyone out. gthread threads
    block the same way once a first byte has arrived. A gevent worker reads each connection in
    its own greenlet, under a deadline of ``keepalive`` seconds (see ``web/gunicorn.conf.py``).
    """

    def handle_error(self, req, client, addr, exc):
        # gunicorn decides the status, reason and message (base.Worker.handle_error, 60 lines
        # of exception classes); only the bytes it writes are changed.
        super().handle_error(req, _HeaderedSocket(client), addr, exc)
