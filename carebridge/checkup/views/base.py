"""What the checkup pages share: the centre a user works in, service refusals shown as messages, the
access-log row for a page that shows a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from carebridge.checkup.models import Room
from carebridge.checkup.selectors.catalogue import centre_departments, room_list
from carebridge.checkup.services.registry import customer_access_log
from carebridge.core.http import client_ip
from carebridge.core.models import Department
from carebridge.lib.text import is_id


def current_centre(request: HttpRequest) -> Department:
    """The centre of the page: ``?centre=`` when the user may see several, else their only one."""
    centres = centre_departments(user=request.user)
    wanted = request.GET.get("centre") or request.POST.get("centre")
    if wanted and is_id(wanted):
        chosen = centres.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen
    first = centres.first()
    if first is None:
        raise Http404("No checkup centre in your scope.")
    return first


def refusal_message(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    """A service's refusal as one error message on the next page."""
    if isinstance(error, ValidationError):
        texts = (
            [m for messages_ in error.message_dict.values() for m in messages_]
            if hasattr(error, "error_dict")
            else error.messages
        )
    else:
        texts = [str(error) or "Permission denied."]
    messages.error(request, " ".join(texts))


def log_access(request: HttpRequest, patient: Any) -> None:
    customer_access_log(patient=patient, user=request.user, ip_address=client_ip(request))


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the form's ``next`` when it is a page of this site, else to ``default``."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(wanted)
    return HttpResponseRedirect(default)


def room_for(request: HttpRequest, pk: int) -> Room:
    """An active room in the user's scope, or 404."""
    room = room_list(user=request.user).filter(pk=pk).first()
    if room is None:
        raise Http404("No such room in your scope.")
    return room
