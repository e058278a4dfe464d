#!/usr/bin/python3
"""tests/metrics_check.py — read a /metrics scrape with a real Prometheus parser.

    metrics_check.py SCRAPE

parses SCRAPE (the text of GET /metrics) with prometheus_client's own
parser (Debian's python3-prometheus-client), checks what a scraper relies
on, and prints one JSON object: every sample by its name and sorted labels,
'plenary_http_responses_total{class="api",code="200"}', to its value, for
tests/metrics.sh to assert on with jq.  Exits 1 naming the first problem:
- every family has a HELP text and a type, and its name starts plenary_;
- a counter's samples end in _total;
- a histogram's series: for each label set, buckets whose le rise and
  whose counts never fall, a +Inf bucket equal to _count, and a _sum;
- no sample appears twice.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def fail(message):
    print(f"metrics_check: {message}", file=sys.stderr)
    sys.exit(1)


def key(name, labels):
    inner = ",".join(f'{k}="{labels[k]}"' for k in sorted(labels))
    return f"{name}{{{inner}}}" if inner else name


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    if not text.endswith("\n"):
        fail("the exposition does not end with a newline")
    samples = {}
    for family in text_string_to_metric_families(text):
        if not family.name.startswith("plenary_"):
            fail(f"family {family.name} lacks the plenary_ prefix")
        if not family.documentation:
            fail(f"family {family.name} has no HELP")
        if family.type not in ("counter", "gauge", "histogram"):
            fail(f"family {family.name} has type {family.type}")
        series = {}
        for sample in family.samples:
            name, labels, value = sample.name, dict(sample.labels), sample.value
            if family.type == "counter" and not name.endswith("_total"):
                fail(f"counter sample {name} does not end in _total")
            k = key(name, labels)
            if k in samples:
                fail(f"sample {k} appears twice")
            samples[k] = value
            if family.type == "histogram":
                le = labels.pop("le", None)
                group = series.setdefault(key(family.name, labels), {"buckets": []})
                if name.endswith("_bucket"):
                    group["buckets"].append((float(le), value))
                elif name.endswith("_count"):
                    group["count"] = value
                elif name.endswith("_sum"):
                    group["sum"] = value
        for name, group in series.items():
            buckets = group["buckets"]
            if not buckets or buckets[-1][0] != math.inf:
                fail(f"{name}: no +Inf bucket last")
            for (le1, c1), (le2, c2) in zip(buckets, buckets[1:]):
                if le2 <= le1 or c2 < c1:
                    fail(f"{name}: buckets not cumulative at le {le2}")
            if "count" not in group or group["count"] != buckets[-1][1]:
                fail(f"{name}: _count differs from the +Inf bucket")
            if "sum" not in group:
                fail(f"{name}: no _sum")
    json.dump(samples, sys.stdout, indent=0, sort_keys=True)
    print()


main()
