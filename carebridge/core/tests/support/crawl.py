"""Walk the pages a user can reach from the navigation, as that user, and collect what is wrong on them.

Used by the role-crawl test (every linked page answers 200 for the user who sees the link) and the
zh-hans test (no choice value, login name or untranslated English label on a Chinese page). The walk
starts at the user's start page, follows the links of each page it opens (same site, GET only), and
opens at most ``per_name`` URLs of each URL name (``/patients/1/`` and ``/patients/2/`` are one page
for this purpose), so it stays a test, not a load run.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Not pages of the product: the Django admin, the API (own tests), the public survey and report links,
# logout and the language switch (POST), static files, and files to download (export tests cover them).
SKIP_PREFIXES = ("/admin/", "/api/", "/accounts/", "/i18n/", "/static/", "/media/", "/s/", "/r/", "/fhir/")
DOWNLOAD_HINTS = re.compile(r"(export|\.xlsx|\.pdf|\.csv|format=(xlsx|pdf|csv|json)|download|/print)", re.I)


class _Page(HTMLParser):
    """The links of a page and its visible text (no scripts, styles, attributes, or code/kbd samples)."""

    # ``cite``: a source quoted as it was published (a WHO or city report's title), in its own language.
    _HIDDEN = {"script", "style", "template", "code", "kbd", "pre", "textarea", "noscript", "cite"}
    _VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Hidden from the language check: scripts, code samples, and what is English on purpose (lang="en").
        hidden = tag in self._HIDDEN or ((values.get("lang") or "").startswith("en") and tag != "html")
        if tag not in self._VOID:
            self._stack.append((tag, hidden))
            self._hidden += hidden
        if tag == "a":
            href = values.get("href")
            if href and "download" not in values and values.get("target") != "_blank":
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching start tag (HTML lets <li>, <p>, <option> … end implicitly).
        if any(open_tag == tag for open_tag, _hidden in self._stack):
            while self._stack:
                open_tag, hidden = self._stack.pop()
                self._hidden -= hidden
                if open_tag == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data.strip())


def page_parts(html: str) -> tuple[list[str], list[str]]:
    """(links, visible text fragments) of an HTML page."""
    parser = _Page()
    parser.feed(html)
    return parser.links, parser.text


@dataclass
class CrawlResult:
    opened: dict[str, int] = field(default_factory=dict)  # url -> status
    linked_from: dict[str, str] = field(default_factory=dict)  # url -> the page that linked it first
    texts: dict[str, list[str]] = field(default_factory=dict)  # url -> visible text (200 pages only)

    def failures(self) -> list[str]:
        return [
            f"{url} answered {status} (linked from {self.linked_from.get(url, 'the start')})"
            for url, status in sorted(self.opened.items())
            if status != 200
        ]


def _normalise(href: str, current: str) -> str | None:
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # another site
    path = parts.path
    if not path.startswith("/"):
        base = current.split("?", 1)[0]
        path = base.rsplit("/", 1)[0] + "/" + path
    url = path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(SKIP_PREFIXES) or DOWNLOAD_HINTS.search(url):
        return None
    return url


def _url_name(url: str) -> str:
    path = url.split("?", 1)[0]
    try:
        match = resolve(path)
    except Resolver404:
        return path
    # A query string makes a different page only when it selects another view of it (a tab, a filter):
    # keep the first query of each name apart from the bare page.
    return match.view_name + ("?" if "?" in url else "")


def crawl(client: Client, starts: Iterable[str], *, per_name: int = 2, limit: int = 250) -> CrawlResult:
    """Open ``starts`` and every page linked from them (breadth first), at most ``per_name`` per URL name."""
    result = CrawlResult()
    queue: deque[str] = deque(starts)
    seen_names: dict[str, int] = {}
    queued = set(queue)
    while queue and len(result.opened) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        result.opened[url] = response.status_code
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        links, text = page_parts(response.content.decode())
        result.texts[url] = text
        for href in links:
            target = _normalise(href, url)
            if target is None or target in queued:
                continue
            name = _url_name(target)
            if seen_names.get(name, 0) >= per_name:
                continue
            seen_names[name] = seen_names.get(name, 0) + 1
            queued.add(target)
            result.linked_from[target] = url
            queue.append(target)
    return result


# --- English on a Chinese page -----------------------------------------------------------------------

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[-/][A-Za-z0-9_]+)*")
# English that belongs on a Chinese page: product and standard names, units, statistics and code systems.
ALLOWED_WORDS = {
    "API",
    "CareBridge",
    "PDF",
    "Excel",
    "QR",
    "SMS",
    "ID",
    "MRN",
    "ICD",
    "LOINC",
    "UCUM",
    "HL7",
    "FHIR",
    "NPS",
    "CSI",
    "KMO",
    "CFI",
    "TLI",
    "RMSEA",
    "SRMR",
    "AVE",
    "HTMT",
    "IPA",
    "AHP",
    "PLS",
    "SD",
    "CI",
    "WeChat",
    "Likert",
    "Cronbach",
    "Bartlett",
    "p",
    "n",
    "r",
    "ok",
    "OK",
}


def _choice_pairs() -> list[tuple[str, str]]:
    """(value, English label) of every choice of the project's models and ``choices`` modules."""
    from importlib import import_module

    from django.apps import apps
    from django.db import models
    from django.utils import translation

    pairs: set[tuple[str, str]] = set()
    with translation.override("en"):
        for config in apps.get_app_configs():
            if not config.name.startswith("carebridge."):
                continue
            try:
                module = import_module(f"{config.name}.choices")
            except ModuleNotFoundError:
                module = None
            for value in vars(module).values() if module else ():
                if (
                    isinstance(value, type)
                    and issubclass(value, models.Choices)
                    and value is not models.Choices
                ):
                    pairs.update((str(v), str(label)) for v, label in value.choices)
            for model in config.get_models():
                for model_field in model._meta.get_fields():
                    for choice in getattr(model_field, "flatchoices", None) or ():
                        pairs.add((str(choice[0]), str(choice[1])))
    return sorted(pairs)


def english_findings(texts: list[str], *, login_names: Iterable[str]) -> list[str]:
    """What on a zh-hans page is a code, a login name or an untranslated label, each with its context."""
    from django.utils import translation

    codes: set[str] = set()
    labels: set[str] = set()
    with translation.override("zh-hans"):
        for value, label in _choice_pairs():
            if translation.gettext(label) == label:
                continue  # a label kept as is in Chinese (a code system's name, "A", "ICD-10")
            if re.fullmatch(r"[a-z][a-z0-9_]{2,}", value):
                codes.add(value)
            labels.add(label)
    codes.update(login_names)
    findings = []
    for fragment in texts:
        if fragment in labels and not fragment.isupper():
            findings.append(f"untranslated label {fragment!r}")
            continue
        for word in WORD.findall(fragment):
            if word in codes and word not in ALLOWED_WORDS:
                findings.append(f"code {word!r} in {fragment[:80]!r}")
    return findings


def untranslated_msgids(texts: list[str], msgids: set[str]) -> list[str]:
    """Fragments that are an English message of the catalogue, shown as is on a Chinese page."""
    return [f"untranslated {fragment!r}" for fragment in texts if fragment in msgids]
