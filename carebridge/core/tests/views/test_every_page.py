"""Every page a demo user can reach from their navigation opens for them, and reads as Chinese in zh-hans.

A small demo hospital (every app's demo step) is loaded once for the module and rolled back afterwards.
As each demo role, the crawler starts at ``/`` (which sends the role to its start page), follows the
links of every page it opens (at most two URLs per URL name) and records the answers:

- each linked page answers 200: a page the user may not open must not be linked;
- no page in zh-hans shows a choice value (``in_stay``, ``sms``), a demo login name (``agent``) or an
  English label or message of the catalogue where a translation exists.

The tests do not depend on how many records the demo has.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from carebridge.core.demo.steps import DemoContext, steps
from carebridge.core.roles import ROLE_NAMES
from carebridge.core.tests.support.crawl import CrawlResult, crawl, english_findings, untranslated_msgids

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ZH_PO = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        context = DemoContext(
            seed=17,
            as_of=timezone.localdate() - dt.timedelta(days=1),
            patients=60,
            rng=random.Random(17),  # noqa: S311 - demo data
            log=lambda _line: None,
        )
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            for _order, _name, step in steps():
                step(context)
        yield context
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def crawls(demo: DemoContext) -> dict[str, CrawlResult]:
    """The crawl of each role, made once (both tests read it)."""
    return {}


def _crawl_as(role: str, crawls: dict[str, CrawlResult]) -> CrawlResult:
    if role not in crawls:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=role))
        # The root sends the role to its start page; the registry overview carries the navigation too,
        # so a start page that fails does not hide the rest of the role's pages from the crawl.
        crawls[role] = crawl(client, ["/", "/patients/overview/"])
    return crawls[role]


@pytest.fixture(scope="module")
def catalogue_msgids() -> set[str]:
    """English messages that have a Chinese translation different from themselves (≥ 4 characters)."""
    return {
        entry.msgid
        for entry in polib.pofile(str(ZH_PO))
        if not entry.obsolete and entry.msgstr and entry.msgstr != entry.msgid and len(entry.msgid) >= 4
    }


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_page_linked_for_a_role_opens_for_it(role, crawls):
    result = _crawl_as(role, crawls)
    assert len(result.opened) > 1, f"{role} reached no page beyond its start"
    assert result.failures() == []


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_no_code_login_name_or_english_label_on_a_chinese_page(role, crawls, catalogue_msgids):
    result = _crawl_as(role, crawls)
    findings = {
        url: sorted(
            set(
                english_findings(texts, login_names=ROLE_NAMES) + untranslated_msgids(texts, catalogue_msgids)
            )
        )
        for url, texts in result.texts.items()
    }
    assert {url: found for url, found in findings.items() if found} == {}


def test_the_language_check_finds_a_choice_value_a_login_name_and_an_untranslated_label():
    texts = ["状态 in_stay → closed", "经办人 ward_manager", "Unfinished call", "渠道 sms"]
    findings = english_findings(texts, login_names=ROLE_NAMES)
    assert any("in_stay" in f for f in findings)
    assert any("ward_manager" in f for f in findings)
    assert any("Unfinished call" in f for f in findings)
    assert any("sms" in f for f in findings)
    assert english_findings(["住院中 → 已结案", "ICD-10 I21.9", "API"], login_names=ROLE_NAMES) == []
