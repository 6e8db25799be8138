"""Pages send a strict Content-Security-Policy (issue 19, item 12) and no template carries inline script
the policy would block (so the policy breaks nothing a user clicks)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from carebridge.core.middleware import INLINE_HANDLER_HASHES

ROOT = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\son[a-z]+=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
# htmx's hx-on attributes are compiled with Function(): they would need 'unsafe-eval'.
HTMX_SCRIPT = re.compile(r"""\shx-on[:-]|hx-vals=["']js:""", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_send_a_policy_that_runs_script_from_this_origin_only(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert script.startswith("script-src 'self'") and "'unsafe-inline'" not in script
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "no-store" in response["Cache-Control"]


def _hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"


def test_no_template_has_inline_script_or_a_handler_the_policy_does_not_allow():
    problems = []
    for template in sorted((ROOT / "carebridge").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(ROOT)
        problems += [f"{name}: inline <script>" for _ in INLINE_SCRIPT.findall(text)]
        problems += [f"{name}: htmx script attribute" for _ in HTMX_SCRIPT.findall(text)]
        problems += [
            f"{name}: {code}"
            for _q, code in HANDLER.findall(text)
            if _hash(code) not in INLINE_HANDLER_HASHES
        ]
    assert problems == []
