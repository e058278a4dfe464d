#!/usr/bin/env python3
"""tests/calendar_conns.py HOST PORT PATH IDLE BUSY READY GO — hold HTTP/1.1
keep-alive connections open on a gateway, for calendar_cache.sh's stop test.

Opens IDLE connections and completes one request on each (kept alive, idle),
writes READY.1; waits (20 s at most) for the file GO; then opens BUSY more
and sends a request on each without reading the answer (requests in
flight), writes READY.2, and holds everything open until killed."""
import os, socket, sys, time

host, port, path, idle, busy, ready, go = sys.argv[1:8]
request = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n" % (path, host)).encode()
held = []
for _ in range(int(idle)):
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("connection closed before an answer")
        answer += chunk
    held.append(s)
open(ready + ".1", "w").close()
deadline = time.monotonic() + 20
while not os.path.exists(go):
    if time.monotonic() > deadline:
        sys.exit("no go")
    time.sleep(0.05)
for _ in range(int(busy)):
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(request)
    held.append(s)
open(ready + ".2", "w").close()
time.sleep(60)
