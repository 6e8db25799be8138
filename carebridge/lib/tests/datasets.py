"""Reference datasets for the statistics tests, read from the shared folder and never copied here.

The folder is ``$CAREBRIDGE_DATASETS`` or else the first that exists of ``<repo>/../shared/datasets``
and the team's shared folder ``/work/shared/datasets`` (see its README for each file's origin and the
published outputs the statistics must reproduce). A missing folder fails the tests; it never skips them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[3]


CANDIDATES = (REPO_ROOT.parent / "shared" / "datasets", Path("/work/shared/datasets"))


def datasets_dir() -> Path:
    if os.environ.get("CAREBRIDGE_DATASETS"):
        return Path(os.environ["CAREBRIDGE_DATASETS"])
    return next((path for path in CANDIDATES if path.is_dir()), CANDIDATES[0])


def load(name: str) -> pd.DataFrame:
    """Read ``name`` (with or without ``.csv``); an unnamed first column becomes the index, as R wrote it."""
    path = datasets_dir() / (name if name.endswith(".csv") else f"{name}.csv")
    frame = pd.read_csv(path)
    first = frame.columns[0]
    if first == "" or first.startswith("Unnamed"):
        frame = frame.set_index(first).rename_axis(None)
    return frame
