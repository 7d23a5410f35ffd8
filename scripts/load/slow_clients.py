#!/usr/bin/env python3
"""Slow-header clients for the soak (scripts/soak.sh): COUNT connections to 127.0.0.1:PORT, each sending half a
request head and then one byte every 2 s, reconnecting whenever the server closes it, for SECONDS. Prints one JSON
object: connections opened, closed by the server, answered 408 (the header timeout), and refused connects."""
import json
import socket
import sys
import threading
import time

port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
end = time.time() + seconds
lock = threading.Lock()
stats = {"opened": 0, "closed_by_server": 0, "answered_408": 0, "connect_failures": 0}


def bump(key):
    with lock:
        stats[key] += 1


def client():
    while time.time() < end:
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            bump("connect_failures")
            time.sleep(1)
            continue
        bump("opened")
        connection.settimeout(2)
        received = b""
        closed = False
        try:
            connection.sendall(b"POST /boletos HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            while time.time() < end:
                try:
                    data = connection.recv(4096)
                except socket.timeout:
                    connection.sendall(b"a")
                    continue
                if not data:
                    closed = True
                    break
                received += data
        except OSError:
            closed = True
        finally:
            connection.close()
        if closed:
            bump("closed_by_server")
        if b" 408 " in received.split(b"\r\n", 1)[0]:
            bump("answered_408")


threads = [threading.Thread(target=client, daemon=True) for _ in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(seconds + 15)
print(json.dumps(stats))
