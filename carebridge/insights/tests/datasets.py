"""Reference datasets for the statistics tests, read from the shared folder and never copied here.

The folder is ``$CAREBRIDGE_DATASETS`` or, by default, ``<repo>/../shared/datasets`` (see its README
for each file's origin and the published outputs the statistics must reproduce).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[3]


def datasets_dir() -> Path:
    return Path(os.environ.get("CAREBRIDGE_DATASETS", REPO_ROOT.parent / "shared" / "datasets"))


def load(name: str) -> pd.DataFrame:
    """Read ``name`` (with or without ``.csv``); an unnamed first column becomes the index, as R wrote it."""
    path = datasets_dir() / (name if name.endswith(".csv") else f"{name}.csv")
    frame = pd.read_csv(path)
    first = frame.columns[0]
    if first == "" or first.startswith("Unnamed"):
        frame = frame.set_index(first).rename_axis(None)
    return frame
