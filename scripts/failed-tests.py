#!/usr/bin/env python3
"""Prints each test that did not pass in the given TRX result files: its name, then the first lines of its error.

The test command prints this just above its closing count line, so that the end of a run's output, often all a
CI page keeps, names what failed and why.

usage: python3 scripts/failed-tests.py RESULT.trx [RESULT.trx ...]
"""
import sys
import xml.etree.ElementTree as ElementTree

MESSAGE_LINES = 6
PASSING = {"Passed", "NotExecuted", "Inconclusive"}


def local(tag):
    """The tag without its XML namespace (TRX files put every element in one)."""
    return tag.rsplit("}", 1)[-1]


def failures(path):
    for element in ElementTree.parse(path).getroot().iter():
        if local(element.tag) != "UnitTestResult" or element.get("outcome", "Passed") in PASSING:
            continue
        message = ""
        for child in element.iter():
            if local(child.tag) == "Message" and child.text:
                message = child.text
                break
        yield element.get("testName", "(unnamed test)"), element.get("outcome"), message


def main(paths):
    for path in paths:
        try:
            found = list(failures(path))
        except (ElementTree.ParseError, OSError) as error:
            print(f"{path}: unreadable result file ({error})")
            continue
        for name, outcome, message in found:
            print(f"{outcome.upper()} {name}")
            lines = [line.rstrip() for line in message.strip().splitlines()]
            for line in lines[:MESSAGE_LINES]:
                print(f"    {line}")
            if len(lines) > MESSAGE_LINES:
                print(f"    ... ({len(lines) - MESSAGE_LINES} more lines in the test's output above)")


if __name__ == "__main__":
    main(sys.argv[1:])
