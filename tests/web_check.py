#!/usr/bin/python3
"""tests/web_check.py — what the web pages' tests ask of a page's HTML.

    web_check.py valid FILE...   each FILE is HTML5 that html5lib's strict
                                 parser (the HTML5 parsing algorithm: any
                                 parse error fails) and tidy (HTML5 mode:
                                 unknown elements and attributes, bad
                                 nesting, bad URIs) accept without a word;
                                 and it keeps the pages' rules: lang and dir
                                 on <html>, a viewport, one <h1>, nothing
                                 loaded from anywhere (no <link>, <img>,
                                 <iframe>, <script src>, url() or @import),
                                 no inline event handler or style attribute,
                                 every form field labelled
    web_check.py text FILE       the text a reader gets (scripts and styles
                                 left out), whitespace folded
    web_check.py marks FILE      the text of each <mark>, one per line
    web_check.py lang FILE       "LANG DIR" of <html>
Exits 1 with the reason on the first failure.  Debian's python3-html5lib
and tidy (scripts/build.sh installs both).
"""
import re
import subprocess
import sys
from html.parser import HTMLParser

import html5lib

# Elements that end a run of text: the text around them is two words
BREAKS = {"td", "th", "li", "p", "div", "br", "dt", "dd", "tr", "h1", "h2", "h3", "section",
          "header", "footer", "nav", "main", "ul", "ol", "table", "label", "option"}
LOADING = {"link", "img", "iframe", "object", "embed", "audio", "video", "source",
           "frame", "base"}


class Page(HTMLParser):
    """One pass over a page: its tags, text, marks and form fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.problems, self.text, self.marks = [], [], [], []
        self.html_attrs, self.labels, self.fields = {}, set(), []
        self.skip = 0
        self.mark = None
        self.h1 = 0
        self.viewport = False
        self.style = ""
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag in BREAKS:
            self.text.append(" ")
        if tag == "html":
            self.html_attrs = attrs
        if tag in LOADING:
            self.problems.append("<%s> loads something" % tag)
        if tag == "script" and "src" in attrs:
            self.problems.append("<script src=%s>" % attrs["src"])
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append("<%s %s=...>" % (tag, name))
        if tag == "meta" and attrs.get("name") == "viewport":
            self.viewport = "width=device-width" in (attrs.get("content") or "")
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") \
                and attrs.get("type") not in ("hidden", "submit", "button"):
            self.fields.append(attrs.get("id"))
        if tag in ("script", "style"):
            self.skip += 1
            self.in_style = tag == "style"
        if tag == "mark":
            self.mark = ""

    def handle_endtag(self, tag):
        if tag in BREAKS:
            self.text.append(" ")
        if tag in ("script", "style"):
            self.skip -= 1
            self.in_style = False
        if tag == "mark" and self.mark is not None:
            self.marks.append(self.mark)
            self.mark = None

    def handle_data(self, data):
        if self.in_style:
            self.style += data
        if self.skip:
            return
        self.text.append(data)
        if self.mark is not None:
            self.mark += data


def read(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    page = Page()
    page.feed(source)
    return source, page


def valid(path):
    source, page = read(path)
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(source)
    except Exception as e:  # html5lib raises ParseError with the position
        return "html5lib: %s: %s" % (e, parser.errors[:1])
    tidy = subprocess.run(["tidy", "-utf8", "-quiet", "-errors", path],
                          capture_output=True, text=True)
    if tidy.returncode != 0 or tidy.stderr.strip():
        return "tidy: %s" % tidy.stderr.strip()[:600]
    problems = list(page.problems)
    if page.html_attrs.get("lang") not in ("ar", "zh", "en", "fr", "ru", "es"):
        problems.append("<html> has no UN language")
    if page.html_attrs.get("dir") not in ("ltr", "rtl"):
        problems.append("<html> has no dir")
    if not page.viewport:
        problems.append("no viewport")
    if page.h1 != 1:
        problems.append("%d <h1>" % page.h1)
    if re.search(r"url\(|@import", page.style):
        problems.append("the style sheet loads something")
    for field in page.fields:
        if not field or field not in page.labels:
            problems.append("form field %r has no label" % field)
    return "; ".join(problems)


def main():
    command, paths = sys.argv[1], sys.argv[2:]
    if command == "valid":
        for path in paths:
            why = valid(path)
            if why:
                sys.exit("%s: %s" % (path, why))
        return
    source, page = read(paths[0])
    if command == "text":
        print(re.sub(r"\s+", " ", "".join(page.text)).strip())
    elif command == "marks":
        for mark in page.marks:
            print(mark)
    elif command == "lang":
        print(page.html_attrs.get("lang"), page.html_attrs.get("dir"))
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
