"""``python -m calc``: the contract on the command line. Flags are built from ``REQUEST_FIELDS``
(``--total-b12 150 --total-b12-unit pmol/L --cause bariatric_surgery``); ``--json`` prints the
contract's JSON; bad input exits with status 2 and one line per bad field."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .errors import InputError
from .evaluate import evaluate
from .exports import render
from .request import REQUEST_FIELDS

EXIT_BAD_INPUT = 2


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calc",
        description="Vitamin B12 deficiency decision support (NICE NG239 bands for adults 16 and over; "
        "regimens by source and jurisdiction). Decision support, not a prescription.",
    )
    for spec in REQUEST_FIELDS:
        help_text = f"{spec.label}. {spec.hint}"
        if spec.kind == "boolean":
            parser.add_argument(_flag(spec.name), action="store_true", default=None, help=help_text)
        elif spec.kind == "causes":
            parser.add_argument(
                "--cause",
                dest="causes",
                action="append",
                metavar="CODE",
                help=f"{help_text} Repeat for several.",
            )
        elif spec.kind in ("unit", "choice"):
            # Choices are checked by the contract, so the message matches the widget's.
            parser.add_argument(_flag(spec.name), metavar="|".join(spec.choices), help=help_text)
        else:
            parser.add_argument(_flag(spec.name), metavar="VALUE", help=help_text)
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="Print the contract's JSON result.")
    output.add_argument("--notes", action="store_true", help="Print a short entry for the clinical notes.")
    output.add_argument("--patient", action="store_true", help="Print the plan in plain language.")
    output.add_argument("--ics", action="store_true", help="Print the schedule as an iCalendar file.")
    return parser


def request_from_args(args: argparse.Namespace) -> dict[str, Any]:
    request: dict[str, Any] = {}
    for spec in REQUEST_FIELDS:
        value = getattr(args, spec.name)
        if value is None:
            continue
        # Numbers go as typed: the contract reads "150,5" or "110 pmol/L" the same way as on the page
        # (Python's float() would also take "1_000" and "nan").
        request[spec.name] = value
    return request


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = evaluate(request_from_args(args))
    except InputError as exc:
        for error in exc.errors:
            print(
                f"error: {_flag(error.field) if error.field != 'causes' else '--cause'}: {error.message}",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    fmt = "notes" if args.notes else "patient" if args.patient else "ics" if args.ics else "text"
    try:
        text = render(result, fmt)
    except InputError as exc:
        for error in exc.errors:
            print(f"error: {_flag(error.field)}: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
