"""``python manage.py grade FILE|-``: the grading contract of RULES.md §6 on the command line.

Reads one assessment object, or a JSON array of them, from FILE (``-`` for standard input) and prints the
result (or an array of results, in the same order) as JSON. Bad JSON or bad input exits with status 2 and
a message naming the field on standard error (``[2].Q1: …`` inside an array); nothing goes to standard
output then, since every element is graded before anything is written.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assessments.engine import GradingInputError, grade_json, loads
from assessments.framework import FrameworkError

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests
    help = "Grade assessment JSON (one object or an array) per RULES.md §6; '-' reads standard input."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="FILE", help="JSON file with an assessment object or an array; '-' for stdin"
        )

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                stdin = options.get("stdin") or sys.stdin
                text = stdin.read()
            else:
                with open(file, encoding="utf-8") as fh:
                    text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"input: cannot read {file}: {exc}", returncode=EXIT_BAD_INPUT) from exc
        try:
            result = grade_json(loads(text))
        except (GradingInputError, FrameworkError) as exc:
            with translation.override("en"):  # a tool's message, in English as RULES.md §6 shows it
                raise CommandError(exc.message, returncode=EXIT_BAD_INPUT) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
