"""Token authentication with the token's read compiled once per process (``core.prepared``).

DRF's ``TokenAuthentication`` reads the token with its user by ``select_related("user").get(key=…)`` on
every request that carries a token; building and compiling that read cost Django more CPU than the
database spends running it (issue 18: the fixed cost of every API call). The answers are DRF's own:
an unknown token and an inactive user are refused with the same messages.
"""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from carebridge.core.prepared import STAND_IN_TEXT, PreparedQuery


def _token(*, key: str) -> QuerySet[Token]:
    return Token.objects.select_related("user").filter(key=key)


_TOKEN = PreparedQuery(_token, stand_ins={"key": STAND_IN_TEXT})


class PreparedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        try:
            token = _TOKEN.get(using=router.db_for_read(Token), key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
