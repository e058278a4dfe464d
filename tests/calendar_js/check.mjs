// tests/calendar_js/check.mjs FILE — parse an iCalendar feed with ical.js
// (the parser Thunderbird uses), register its VTIMEZONEs, and print the
// calendar's name as Thunderbird shows it ("calendar " and X-WR-CALNAME's
// value as ical.js reads it: an X- property, which it does not unescape),
// then one line per VEVENT: UID, start and end in UTC (as ical.js computes them from the
// feed's own VTIMEZONE, not from the host), STATUS and SEQUENCE.  Exits 1 on
// a parse error, a TZID without its VTIMEZONE, or an event without UID/DTSTAMP.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone"))
    ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
const fail = (why) => { console.error("ical.js: " + why); process.exit(1); };
console.log("calendar " + (calendar.getFirstPropertyValue("x-wr-calname") ?? ""));
for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(vevent);
    if (!event.uid || !vevent.getFirstPropertyValue("dtstamp")) fail("event without UID or DTSTAMP");
    const tzid = vevent.getFirstProperty("dtstart").getParameter("tzid");
    if (tzid && !ICAL.TimezoneService.has(tzid)) fail(`TZID ${tzid} without VTIMEZONE`);
    const utc = (t) => t.isDate ? t.toString() : t.convertToZone(ICAL.Timezone.utcTimezone).toString();
    console.log([event.uid, utc(event.startDate), utc(event.endDate),
                 vevent.getFirstPropertyValue("status") || "", event.sequence].join(" "));
}
