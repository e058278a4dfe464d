#!/usr/bin/python3
"""tests/notify_check.py — read the messages the test SMTP server received.

    notify_check.py FOLDER

prints one JSON object per message (file order), as the shell tests need it:
the envelope recipient, the headers (Message-ID, To, Subject decoded,
Content-Language, List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted),
the content types of the parts, the plain text, and, for an iTIP part,
what python3-icalendar reads of it (METHOD, and UID, SEQUENCE, DTSTART and
STATUS of its VEVENT).  A message that Python's e-mail parser or icalendar
cannot read is an error (exit 1).

    notify_check.py --feed FILE UID

prints the SEQUENCE of the VEVENT UID in the feed FILE (python3-icalendar).
"""
import email
import email.policy
import json
import os
import sys

import icalendar


def event_of(calendar, uid=None):
    for component in calendar.walk("VEVENT"):
        if uid is None or str(component.get("UID")) == uid:
            return component
    return None


def read(path):
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    with open(path[:-4] + ".rcpt") as handle:
        envelope = handle.read().split("\n")
    out = {
        "file": os.path.basename(path),
        "envelope_to": envelope[1],
        "message_id": str(message["Message-ID"]),
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "language": str(message["Content-Language"]),
        "auto_submitted": str(message["Auto-Submitted"]),
        "list_unsubscribe": str(message["List-Unsubscribe"]) if message["List-Unsubscribe"] else None,
        "list_unsubscribe_post": str(message["List-Unsubscribe-Post"])
            if message["List-Unsubscribe-Post"] else None,
        "types": [],
    }
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_multipart():
            continue
        out["types"].append(kind)
        body = part.get_content()
        if kind == "text/plain":
            out["text"] = body
        elif kind == "text/html":
            out["html"] = body
        elif kind == "text/calendar":
            calendar = icalendar.Calendar.from_ical(body)
            event = event_of(calendar)
            out["itip"] = {
                "content_method": part.get_param("method"),
                "method": str(calendar.get("METHOD")),
                "uid": str(event.get("UID")),
                "sequence": int(event.get("SEQUENCE")),
                "dtstart": event.decoded("DTSTART").isoformat(),
                "status": str(event.get("STATUS")),
                "organizer": str(event.get("ORGANIZER")),
                "attendee": str(event.get("ATTENDEE")),
                "tzid": event["DTSTART"].params.get("TZID"),
            }
    return out


def main():
    if sys.argv[1] == "--feed":
        with open(sys.argv[2], "rb") as handle:
            calendar = icalendar.Calendar.from_ical(handle.read())
        event = event_of(calendar, sys.argv[3])
        print(int(event.get("SEQUENCE")) if event is not None else "none")
        return
    folder = sys.argv[1]
    for name in sorted(os.listdir(folder)):
        if name.endswith(".eml"):
            print(json.dumps(read(os.path.join(folder, name)), ensure_ascii=False))


if __name__ == "__main__":
    main()
