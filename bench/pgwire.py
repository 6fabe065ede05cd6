"""A minimal PostgreSQL client (protocol 3, trust authentication, simple queries, COPY FROM
STDIN), standard library only, for the benchmarks: it times a query the way a client sees it,
from sending it to the last row received, with nothing between but a socket.
"""
import socket
import struct


class Error(Exception):
    pass


class Connection:
    def __init__(self, host, port, user, database):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        body = struct.pack("!i", 196608)
        for k, v in (("user", user), ("database", database), ("client_encoding", "UTF8")):
            body += k.encode() + b"\0" + v.encode() + b"\0"
        body += b"\0"
        self.sock.sendall(struct.pack("!i", len(body) + 4) + body)
        while True:
            kind, payload = self._message()
            if kind == b"R":
                if struct.unpack("!i", payload[:4])[0] != 0:
                    raise Error("only trust authentication is supported")
            elif kind == b"E":
                raise Error(self._error(payload))
            elif kind == b"Z":
                return

    @classmethod
    def from_url(cls, url):
        # postgresql://user@host:port/database
        rest = url.split("://", 1)[1]
        user, rest = rest.split("@", 1)
        hostport, database = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        return cls(host, int(port), user, database)

    def close(self):
        try:
            self.sock.sendall(b"X\0\0\0\4")
        finally:
            self.sock.close()

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise Error("the server closed the connection")
            self.buf += chunk

    def _message(self):
        self._fill(5)
        kind = bytes(self.buf[:1])
        length = struct.unpack("!i", self.buf[1:5])[0]
        self._fill(1 + length)
        payload = bytes(self.buf[5:1 + length])
        del self.buf[:1 + length]
        return kind, payload

    @staticmethod
    def _error(payload):
        fields = {}
        for part in payload.split(b"\0"):
            if part:
                fields[chr(part[0])] = part[1:].decode(errors="replace")
        return "%s: %s" % (fields.get("C", "?"), fields.get("M", "?"))

    def query(self, sql):
        """Runs one or more statements; returns the rows of the last result (text values, None
        for NULL). A server error raises Error after the connection is ready again."""
        data = sql.encode() + b"\0"
        self.sock.sendall(b"Q" + struct.pack("!i", len(data) + 4) + data)
        rows, error = [], None
        while True:
            kind, payload = self._message()
            if kind == b"D":
                n = struct.unpack("!h", payload[:2])[0]
                at, row = 2, []
                for _ in range(n):
                    size = struct.unpack("!i", payload[at:at + 4])[0]
                    at += 4
                    if size < 0:
                        row.append(None)
                    else:
                        row.append(payload[at:at + size].decode())
                        at += size
                rows.append(row)
            elif kind == b"T":
                rows = []
            elif kind == b"E":
                error = self._error(payload)
            elif kind == b"Z":
                if error:
                    raise Error(error)
                return rows
            # C (complete), N (notice), S (parameter), I (empty) need nothing

    def copy_in(self, sql, chunks):
        """COPY ... FROM STDIN with `chunks` (bytes) as the data."""
        data = sql.encode() + b"\0"
        self.sock.sendall(b"Q" + struct.pack("!i", len(data) + 4) + data)
        kind, payload = self._message()
        if kind == b"E":
            self._drain()
            raise Error(self._error(payload))
        if kind != b"G":
            raise Error("expected CopyInResponse, got %r" % kind)
        for chunk in chunks:
            self.sock.sendall(b"d" + struct.pack("!i", len(chunk) + 4) + chunk)
        self.sock.sendall(b"c\0\0\0\4")
        error = None
        while True:
            kind, payload = self._message()
            if kind == b"E":
                error = self._error(payload)
            elif kind == b"Z":
                if error:
                    raise Error(error)
                return

    def _drain(self):
        while self._message()[0] != b"Z":
            pass
