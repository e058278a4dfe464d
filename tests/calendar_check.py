#!/usr/bin/python3
"""tests/calendar_check.py FILE... — what Python calendar clients make of a feed.

Each FILE is parsed by python3-icalendar (which must raise nothing) and read
and validated by python3-vobject (validate=True; it refuses a VEVENT
without UID or DTSTAMP, bad values, bad parameters).  Then the checks of
the issue that neither library makes: a VTIMEZONE for every TZID used, no
floating times, DTSTAMP equal to LAST-MODIFIED, one VEVENT per UID, the
RFC 7986 calendar properties present and no METHOD.  Prints one line per
VEVENT: UID, DTSTART in UTC (computed by vobject from the feed's own
VTIMEZONE), STATUS, SEQUENCE.  Exits 1 with the reason on the first failure.
"""
import datetime
import sys

import icalendar
import vobject


def fail(why):
    print("calendar_check: " + why, file=sys.stderr)
    sys.exit(1)


for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        cal = icalendar.Calendar.from_ical(data)
    except Exception as error:  # noqa: BLE001 - any parse error fails the feed
        fail(f"{path}: icalendar: {error}")
    for name in ("PRODID", "VERSION", "NAME", "X-WR-CALNAME", "X-WR-TIMEZONE",
                 "REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
        if name not in cal:
            fail(f"{path}: calendar property {name} missing")
    if "METHOD" in cal:
        fail(f"{path}: a subscribed feed has no METHOD")
    zones = {str(z["TZID"]) for z in cal.walk("VTIMEZONE")}
    uids = set()
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        if uid in uids:
            fail(f"{path}: UID {uid} twice")
        uids.add(uid)
        if event["DTSTAMP"].dt != event["LAST-MODIFIED"].dt:
            fail(f"{path}: {uid}: DTSTAMP is not LAST-MODIFIED")
        for prop in ("DTSTART", "DTEND"):
            value = event[prop]
            tzid = value.params.get("TZID")
            if tzid and tzid not in zones:
                fail(f"{path}: {uid}: TZID {tzid} has no VTIMEZONE")
            dt = value.dt
            if isinstance(dt, datetime.datetime) and dt.tzinfo is None:
                fail(f"{path}: {uid}: floating {prop}")
    try:
        vcal = vobject.readOne(data.decode("utf-8"), validate=True)
    except Exception as error:  # noqa: BLE001
        fail(f"{path}: vobject: {error}")
    for vevent in getattr(vcal, "vevent_list", []):
        start = vevent.dtstart.value
        if isinstance(start, datetime.datetime):
            start = start.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        else:
            start = start.strftime("%Y%m%d")
        status = vevent.status.value if hasattr(vevent, "status") else ""
        print(vevent.uid.value, start, status, vevent.sequence.value)
