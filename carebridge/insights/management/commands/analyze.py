"""``manage.py analyze ANALYSIS --csv FILE [options] --format json``: the statistics of DESIGN §5.4 on
any CSV file, printed as one JSON object. Contract, options and exit codes: docs/analyze.md; the
mapping from options to statistics lives in ``carebridge.lib.analyze.run``."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carebridge.lib.analyze.context import Options
from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.analyze.output import to_json, to_table
from carebridge.lib.analyze.run import ANALYSES, run


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Run a survey analysis on a CSV file and print one JSON object. Analyses: "
        + ", ".join(ANALYSES)
        + ". Exit codes: 2 usage, 3 unreadable file, 4 data or model refused, 5 inconsistent AHP matrix."
    )
    requires_system_checks: list[str] = []  # a pure computation: no database, no checks to wait for

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("analysis", help=f"one of: {', '.join(ANALYSES)}")
        data = parser.add_argument_group("data file")
        data.add_argument("--csv", type=Path, help="the data, one row per response")
        data.add_argument("--encoding", help="file encoding (default: UTF-8, falling back to GBK/GB18030)")
        data.add_argument("--sep", default=",", help="field separator (default ','; 'tab' for TSV)")
        data.add_argument("--index-col", help="column (name or 1-based number) holding row labels")
        data.add_argument("--drop", help="comma list of columns to ignore")
        data.add_argument("--na-values", help="comma list of extra missing-value codes, e.g. 不适用,99")
        cols = parser.add_argument_group("columns")
        cols.add_argument("--items", help="comma list of item columns; ranges A1-A5 and spans imag1:loy4")
        cols.add_argument("--reverse", help="reverse-keyed items (entropy: cost criteria)")
        cols.add_argument("--scale-min", type=float, help="lowest answer code of the rating scale")
        cols.add_argument("--scale-max", type=float, help="highest answer code of the rating scale")
        cols.add_argument("--group", help="column of groups (departments, periods, hospitals)")
        cols.add_argument("--unit", help="unit column for adjust (defaults to --group)")
        cols.add_argument("--target", "--overall", dest="target", help="outcome / overall rating column")
        cols.add_argument("--adjusters", help="adjust: comma list NAME, NAME:cat or NAME:num")
        cols.add_argument("--survey-mode", help="adjust: the column recording the survey mode")
        cols.add_argument("--text-column", help="text: the column of free-text comments")
        model = parser.add_argument_group("models and methods")
        model.add_argument("--model", help="cfa/sem: lavaan syntax file; pls: blocks and paths; fuzzy: JSON")
        model.add_argument("--mode", choices=["A", "B"], default="A", help="pls outer mode (default A)")
        model.add_argument(
            "--scheme", choices=["centroid", "factorial", "path"], default="centroid", help="pls inner scheme"
        )
        model.add_argument("--standardize", action="store_true", help="pls: standardise indicators")
        model.add_argument("--boot", type=_positive_int, default=0, help="bootstrap resamples (pls, drivers)")
        model.add_argument("--seed", type=int, default=0, help="random seed (bootstrap, parallel analysis)")
        model.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise")
        model.add_argument("--factors", type=int, help="efa: number of factors (default: parallel analysis)")
        model.add_argument(
            "--rotation",
            choices=["none", "varimax", "promax", "Promax", "oblimin"],
            default="oblimin",
            help="efa rotation (promax: Kaiser-normalised, as psych; Promax: without normalisation)",
        )
        model.add_argument("--method", help="analysis-specific method (see docs/analyze.md)")
        model.add_argument("--matrix", type=Path, help="ahp: the pairwise comparison matrix (CSV)")
        model.add_argument("--weights", help="name=weight pairs, or a CSV/JSON file of weights")
        model.add_argument("--allow-inconsistent", action="store_true", help="ahp: accept CR >= 0.10")
        model.add_argument("--top-box", type=int, default=2, help="points in the top and bottom boxes")
        model.add_argument(
            "--against", choices=["rest", "pairs"], default="rest", help="compare: pairwise plan"
        )
        model.add_argument(
            "--adjust",
            choices=["holm", "BH", "bonferroni", "none"],
            default="holm",
            help="p-value adjustment",
        )
        model.add_argument("--examples", type=int, default=3, help="text: example comments per topic")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        opts = Options(
            analysis=options["analysis"],
            csv=options["csv"],
            items=options["items"],
            reverse=options["reverse"],
            scale_min=options["scale_min"],
            scale_max=options["scale_max"],
            model=options["model"],
            mode=options["mode"],
            scheme=options["scheme"],
            standardize=options["standardize"],
            boot=options["boot"],
            seed=options["seed"],
            missing=options["missing"],
            group=options["group"],
            factors=options["factors"],
            rotation=options["rotation"],
            method=options["method"],
            matrix=options["matrix"],
            weights=options["weights"],
            target=options["target"],
            adjusters=options["adjusters"],
            survey_mode=options["survey_mode"],
            unit=options["unit"],
            text_column=options["text_column"],
            encoding=options["encoding"],
            sep=options["sep"],
            index_col=options["index_col"],
            drop=options["drop"],
            na_values=options["na_values"],
            allow_inconsistent=options["allow_inconsistent"],
            top_box=options["top_box"],
            against=options["against"],
            adjust=options["adjust"],
            examples=options["examples"],
        )
        try:
            result = run(opts)
        except AnalyzeError as exc:
            raise CommandError(exc.message, returncode=int(exc.code)) from exc
        except Exception as exc:
            if options.get("traceback"):
                raise
            raise CommandError(
                f"Internal error ({type(exc).__name__}: {exc}); rerun with --traceback and report it.",
                returncode=int(ExitCode.INTERNAL),
            ) from exc
        text = to_json(result) if options["format"] == "json" else to_table(result)
        out = self.stdout._out
        if isinstance(out, io.TextIOWrapper) and out is sys.stdout and out.encoding.lower() != "utf-8":
            out.reconfigure(encoding="utf-8")  # the JSON keeps Chinese as text, whatever the locale
        self.stdout.write(text)
