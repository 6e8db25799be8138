"""Exit codes of ``manage.py analyze`` and the one exception the CLI layer raises.

The codes are part of the command's contract (docs/analyze.md): scripts tell a typo in the command
line from an unreadable file, from data or a model the statistics refuse, from an inconsistent AHP
matrix.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1  # a bug: rerun with --traceback and report it
    USAGE = 2  # unknown analysis, missing or invalid option (argparse uses 2 as well)
    INPUT = 3  # a file that is missing, empty, not CSV or not in the expected encoding
    DATA = 4  # unknown or non-numeric column, too few rows, a model that does not identify or converge
    INCONSISTENT = 5  # an AHP matrix with CR >= 0.10, refused without --allow-inconsistent


class AnalyzeError(Exception):
    """A message for the analyst (one line, names the column, file or value) and its exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.DATA) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
