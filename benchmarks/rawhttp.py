"""A minimal HTTP/1.1 client on asyncio streams, for the load benchmarks.

httpx costs the load generator about a millisecond of processor per request; on a two-core
machine where the client runs beside the servers, that is a large part of what is measured. This
client writes the request bytes itself and reads the answer by `Content-Length` (or to the end
of the connection), which costs a few tens of microseconds. Enough for `GET` pages and form
`POST`s of the benchmarks; not a general client.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def request_bytes(
    method: str,
    path: str,
    *,
    host: str,
    form: dict[str, str] | None = None,
    close: bool,
    headers: dict[str, str] | None = None,
) -> bytes:
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Origin: http://{host}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    body = b""
    if form is not None:
        body = urlencode(form).encode()
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    head.append("Connection: close" if close else "Connection: keep-alive")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def read_answer(reader: asyncio.StreamReader) -> Answer:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if length is not None:
        body = await reader.readexactly(length)
    elif chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(part[:-2] for part in parts)
    else:
        body = await reader.read()
    return Answer(status, body.decode("utf-8", "replace"))


class Connection:
    """One kept-alive connection asking for pages one after the other."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request_bytes("GET", path, host=f"{self.host}:{self.port}", close=False))
        return await read_answer(self.reader)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def post_once(
    host: str, port: int, path: str, form: dict[str, str], headers: dict[str, str] | None = None
) -> Answer:
    """A form sent on a connection of its own, closed after the answer."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(
            request_bytes(
                "POST", path, host=f"{host}:{port}", form=form, close=True, headers=headers
            )
        )
        return await read_answer(reader)
    finally:
        writer.close()
