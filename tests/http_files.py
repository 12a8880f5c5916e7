"""A real HTTP server on 127.0.0.1 serving files a test puts there, for Import Data from a URL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Served:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes


class FileServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.files: dict[str, Served] = {}
        self.requests: list[str] = []

    @property
    def host(self) -> str:
        return "127.0.0.1"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def put(self, path: str, body: bytes, content_type: str = "application/octet-stream", **options: bool) -> str:
        self.files[path] = Served(body=body, headers={"Content-Type": content_type}, **options)
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        self.files[path] = Served(status=302, headers={"Location": location})
        return self.url(path)


@contextmanager
def file_server() -> Iterator[FileServer]:
    files: FileServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            files.requests.append(self.path)
            served = files.files.get(self.path.split("?")[0], Served(status=404, body=b"not here"))
            self.send_response(served.status)
            for name, value in served.headers.items():
                self.send_header(name, value)
            if served.declare_length:
                self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    files = FileServer(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield files
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
