#!/usr/bin/env python3
"""A sandbox bank that keeps no titles, for the soak (scripts/soak.sh): the service reaches it as BOLETO_SANDBOX_URL
(RemoteSandboxBank), and it answers every POST /titles 201 registered and every POST /titles/cancel 200. The
in-process sandbox remembers every title it registered, in the service's own memory, which would grow with the
soak's creates as a real bank's records do on the bank's side; this one keeps the service's memory its own."""
import http.server
import sys


class Bank(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body leave in two writes; with Nagle's algorithm on, the body waits for the client's
    # delayed ACK (about 40 ms on Linux), which the soak's p99 would then measure instead of the service.
    disable_nagle_algorithm = True

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        registered = self.path == "/titles"
        body = b'{"status":"registered"}' if registered else b'{"status":"canceled"}'
        self.send_response(201 if registered else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Bank).serve_forever()
