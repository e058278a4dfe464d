#!/usr/bin/env python3
"""tests/gateway_slow.py — slow HTTP clients (slowloris), for gateway_limits.sh.

  gateway_slow.py hold HOST PORT PATH COUNT READY [--spread]
      Opens COUNT connections (from 127.0.0.1, or with --spread each from its
      own address 127.0.0.10, .11, ...), completes one request for PATH on
      each (so the server has surely taken it; PATH must be answered with
      keep-alive, as a 200 is and an error is not), then starts a second
      request on each and sends one more header byte on every connection
      every half second, as a slowloris client does.  Writes the file READY
      once every connection has had its answer; runs until killed.  A
      connection the server closes is left closed.

  gateway_slow.py trickle HOST PORT PATH LIMIT
      One connection that sends a request line and then one header byte every
      half second.  Exits 0 printing the seconds it was open when the server
      closes it; exits 1 when it is still open after LIMIT seconds.

  gateway_slow.py idle HOST PORT PATH LIMIT
      One connection that completes a request for PATH (answered with
      keep-alive) and then sends nothing.  Exits
      0 printing the seconds from the answer until the server closes it; 1
      when it is still open after LIMIT seconds.

The half-second pace is the attack being tested, not a wait for the server."""
import socket
import sys
import time

PACE = 0.5


def connect(host, port, source=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.settimeout(10)
    s.connect((host, port))
    return s


def request(host, path):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (path, host)).encode()


def answer(s):
    """Read one answer (headers and a Content-Length body); False if closed,
    or if the server said it closes the connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            return False
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        if name.strip().lower() == b"connection" and value.strip().lower() == b"close":
            return False
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            return False
        body += chunk
    return True


def closed(s):
    """True when the server has closed S (without blocking)."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


def hold(host, port, path, count, ready, spread):
    held = []
    for i in range(count):
        s = connect(host, port, "127.0.0.%d" % (10 + i) if spread else None)
        s.sendall(request(host, path))
        if not answer(s):
            sys.exit("connection %d: no answer kept alive" % i)
        s.sendall(b"GET %s HTTP/1.1\r\nHost: %s\r\nX-Slow: " % (path.encode(), host.encode()))
        held.append(s)
    open(ready, "w").close()
    while True:
        time.sleep(PACE)
        for s in held:
            try:
                s.send(b"a")
            except OSError:
                pass


def trickle(host, port, path, limit):
    s = connect(host, port)
    start = time.monotonic()
    s.sendall(b"GET %s HTTP/1.1\r\nHost: %s\r\nX-Slow: " % (path.encode(), host.encode()))
    while time.monotonic() - start < limit:
        time.sleep(PACE)
        try:
            s.send(b"a")
        except OSError:
            break
        if closed(s):
            break
    else:
        sys.exit("still open after %s s" % limit)
    print("%.1f" % (time.monotonic() - start))


def idle(host, port, path, limit):
    s = connect(host, port)
    s.sendall(request(host, path))
    if not answer(s):
        sys.exit("no answer kept alive")
    start = time.monotonic()
    s.settimeout(limit)
    try:
        if s.recv(1) != b"":
            sys.exit("unexpected bytes")
    except socket.timeout:
        sys.exit("still open after %s s" % limit)
    except OSError:
        pass
    print("%.1f" % (time.monotonic() - start))


def main():
    mode, host, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if mode == "hold":
        hold(host, port, path, int(sys.argv[5]), sys.argv[6], "--spread" in sys.argv[7:])
    elif mode == "trickle":
        trickle(host, port, path, float(sys.argv[5]))
    elif mode == "idle":
        idle(host, port, path, float(sys.argv[5]))
    else:
        sys.exit(__doc__)


main()
