"""Reading what a WeasyPrint PDF says without pypdf (not installed): its streams and the characters its
fonts map to — the text a reader would extract."""

from __future__ import annotations

import re
import zlib


def streams(pdf: bytes) -> list[bytes]:
    inflated = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            inflated.append(stream)
    return inflated


def characters(pdf: bytes) -> set[str]:
    text = []
    for data in streams(pdf):
        if b"beginbfchar" in data or b"beginbfrange" in data:
            for hexa in re.findall(rb"<([0-9A-Fa-f]{4,})>\s*$", data, re.M):
                if len(hexa) % 4 == 0:
                    text.append(bytes.fromhex(hexa.decode()).decode("utf-16-be", "ignore"))
            for hexa in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>", data):
                text.append(bytes.fromhex(hexa.decode()).decode("utf-16-be", "ignore"))
    return set("".join(text))
