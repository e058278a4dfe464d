#!/usr/bin/python3
"""tests/notify_smtpd.py — a real SMTP server for plenary-notify's tests.

Debian's aiosmtpd on 127.0.0.1, on an ephemeral port (or --port, to come
back on the same one after a kill), writing each message it accepts to
FOLDER/NNNNNN.eml (written beside, then renamed: a reader never sees half a
message) with the envelope in NNNNNN.rcpt.  It writes its port to
FOLDER/port once it listens.

    notify_smtpd.py FOLDER [--port N] [--refuse ADDRESS]... [--tempfail N]
                           [--delay-ms MS] [--log FILE] [--no-files]

--refuse ADDRESS   answer 550 to RCPT TO of that address (a permanent failure)
--tempfail N       answer 451 to the DATA of the first N messages
--log FILE         append "ARRIVAL_MS<TAB>MESSAGE-ID" per message (bench/)
--no-files         keep no message files (a sink for bench/)
--delay-ms MS      wait this long after the DATA before it answers (so a
                   test can kill plenary-notify or this server mid-send); a
                   client gone meanwhile is noted in FOLDER/aborted
"""
import argparse
import asyncio
import os
import re
import sys
import time

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, folder, refuse, tempfail, delay_ms, log=None, files=True):
        self.log = open(log, "a", buffering=1) if log else None
        self.files = files
        self.folder = folder
        self.refuse = {address.lower() for address in refuse}
        self.tempfail = tempfail
        self.delay = delay_ms / 1000.0
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.lower() in self.refuse:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return "451 4.3.0 try again later"
        if self.delay:
            try:
                await asyncio.sleep(self.delay)
            except asyncio.CancelledError:
                # the client went away mid-message: say so for the test
                with open(os.path.join(self.folder, "aborted"), "a") as out:
                    out.write("%s\n" % ",".join(envelope.rcpt_tos))
                raise
        self.count += 1
        content = envelope.original_content or envelope.content
        if self.log:
            found = re.search(rb"^Message-ID: (\S+)\r?$", content, re.M | re.I)
            self.log.write("%d\t%s\n" % (time.time() * 1000,
                                           found.group(1).decode() if found else "?"))
        if not self.files:
            return "250 2.0.0 OK"
        name = os.path.join(self.folder, "%06d" % self.count)
        with open(name + ".tmp", "wb") as out:
            out.write(envelope.original_content or envelope.content)
        with open(name + ".rcpt", "w") as out:
            out.write("%s\n%s\n" % (envelope.mail_from, "\n".join(envelope.rcpt_tos)))
        os.rename(name + ".tmp", name + ".eml")
        return "250 2.0.0 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--refuse", action="append", default=[])
    parser.add_argument("--tempfail", type=int, default=0)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--log")
    parser.add_argument("--no-files", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    handler = Handler(args.folder, args.refuse, args.tempfail, args.delay_ms, args.log,
                      not args.no_files)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="relay.test", enable_SMTPUTF8=True,
                     decode_data=False, ident="notify test relay"),
        host="127.0.0.1", port=args.port, reuse_address=True)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(args.folder, "port.tmp"), "w") as out:
        out.write("%d\n" % port)
    os.rename(os.path.join(args.folder, "port.tmp"), os.path.join(args.folder, "port"))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
