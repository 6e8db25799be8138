"""Reading what a WeasyPrint PDF says without pypdf (not installed): its streams and the characters its
fonts map to — the text a reader would extract. Every app's PDF tests use it (complaint register,
checkup reports, the monthly and leadership reports).

A stream is read up to ``endstream`` with its end-of-line left on: compressed data ends in a carriage
return one time in 256, and a pattern that took ``\r\n`` before ``endstream`` off cut that byte from
the data, which then did not inflate (a test failed on one complaint register in a few hundred)."""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def inflate(data: bytes) -> bytes:
    """A stream's data, inflated when it is compressed (what follows the compressed data is ignored)."""
    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return data


def streams(pdf: bytes) -> list[bytes]:
    return [inflate(data) for data in STREAM.findall(pdf)]


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


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every object by number: the direct ones and those packed in object streams (``/ObjStm``)."""
    found: dict[int, bytes] = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*(.*?)\s*endobj", pdf, re.S):
        found[int(match.group(1))] = match.group(2)
    for body in list(found.values()):
        if b"/ObjStm" not in body:
            continue
        first = int(re.search(rb"/First (\d+)", body).group(1))  # type: ignore[union-attr]
        data = inflate(STREAM.search(body).group(1))  # type: ignore[union-attr]
        numbers = [int(n) for n in data[:first].split()]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        for index, (number, offset) in enumerate(pairs):
            end = pairs[index + 1][1] if index + 1 < len(pairs) else len(data) - first
            found[number] = data[first + offset : first + end]
    return found


def _stream(body: bytes) -> bytes:
    return inflate(STREAM.search(body).group(1))  # type: ignore[union-attr]


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "ignore")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int.from_bytes(bytes.fromhex(start.decode()), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def text(pdf: bytes) -> str:
    """The text a reader extracts, in drawing order: each shown string decoded with the ToUnicode map of
    the font selected for it (``Tf``), one line per string (glyph-by-glyph SVG text joined into one)."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        # WeasyPrint names a font resource after its subset tag: /TSPJMR+Noto-Sans-CJK-SC is /TSPJMR.
        font = re.search(rb"/BaseFont /([A-Z]+)\+[^/]*/ToUnicode (\d+) 0 R", body)
        if font:
            fonts[font.group(1)] = _cmap(_stream(objects[int(font.group(2))]))
    shown: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"/Length1" in body or b"OpenType" in body:
            continue
        data = _stream(body)
        if b"Tf" not in data:
            continue
        mapping: dict[int, str] = {}
        for token in re.finditer(rb"/([\w.+-]+)\s+[\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj", data):
            if token.group(1) is not None:
                mapping = fonts.get(token.group(1), {})
                continue
            hexes = (
                re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2))
                if token.group(2) is not None
                else [token.group(3)]
            )
            glyphs = b"".join(hexes).decode()
            shown.append(
                "".join(mapping.get(int(glyphs[i : i + 4], 16), "") for i in range(0, len(glyphs), 4))
            )
    # SVG text is drawn glyph by glyph: consecutive single glyphs are one run of text.
    lines: list[str] = []
    for part in (p for p in shown if p):
        if len(part) == 1 and lines and lines[-1].endswith("\u0000"):
            lines[-1] = lines[-1][:-1] + part + "\u0000"
        else:
            lines.append(part + ("\u0000" if len(part) == 1 else ""))
    return "\n".join(line.rstrip("\u0000") for line in lines)
