"""Writes of instruments (问卷/测评工具): create, copy, draft, edit, weights, publish, retire, import.

An instrument is versioned. Only a *draft* version can change; publishing derives its ``Item`` rows
(:func:`carebridge.surveys.domain.library.rows.item_rows`, shared with the migration that installs the
library),
fixes its content hash and makes it answerable; editing a published instrument means a new draft
(:func:`version_create_draft`, copied from the latest version). A version that has a response never
changes again: the services refuse it, and ``InstrumentVersion.save`` refuses a changed definition too.

Every service is one transaction with its audit row. Version status changes (draft → published →
retired) are recorded in the audit trail with their from/to status.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.surveys.choices import InstrumentKind, RespondentClass, VersionStatus
from carebridge.surveys.domain.instruments import SCHEMA_VERSION, content_hash, validate_definition
from carebridge.surveys.domain.library.rows import item_rows
from carebridge.surveys.models import Instrument, InstrumentVersion, Item

EXPORT_FORMAT = "carebridge-instrument"
EXPORT_FORMAT_VERSION = 1
WeightLevel = Literal["dimension", "indicator", "item"]


def starter_definition(*, code: str, title: str, title_en: str = "") -> dict[str, Any]:
    """The smallest usable questionnaire: one dimension, one indicator, one Likert item (a blank draft)."""
    titles = {"zh-hans": title, **({"en": title_en} if title_en else {})}
    return {
        "schema": SCHEMA_VERSION,
        "code": code,
        "title": titles,
        "intro": {"zh-hans": "感谢您参与本次调查。您的回答仅用于改进服务，我们会严格保密。"},
        "dimensions": [
            {
                "code": "overall",
                "title": {"zh-hans": "总体评价", "en": "Overall"},
                "weight": 1,
                "indicators": [
                    {
                        "code": "overall_i",
                        "title": {"zh-hans": "总体满意度", "en": "Overall satisfaction"},
                        "weight": 1,
                        "items": [
                            {
                                "code": "q1",
                                "type": "likert",
                                "points": 5,
                                "na": False,
                                "required": True,
                                "weight": 1,
                                "text": {
                                    "zh-hans": "总体而言，您对我们的服务满意吗？",
                                    "en": "Overall, how satisfied are you with our service?",
                                },
                            }
                        ],
                    }
                ],
            }
        ],
    }


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _check_definition(definition: Any) -> dict[str, Any]:
    errors = validate_definition(definition)
    if errors:
        raise ValidationError({"definition": errors})
    return definition


def _check_metadata(
    *, code: str, name: str, kind: str, respondent_class: str, errors: dict[str, list[str]]
) -> None:
    if not code or slugify(code) != code or len(code) > 64:
        errors["code"] = [_("Use lower-case letters, digits and hyphens (at most 64).")]
    if not name.strip() or len(name) > 128:
        errors["name"] = [_("Give a name of at most 128 characters.")]
    if kind not in InstrumentKind.values:
        errors["kind"] = [_("Unknown value: %(value)s.") % {"value": kind}]
    if respondent_class not in RespondentClass.values:
        errors["respondent_class"] = [_("Unknown value: %(value)s.") % {"value": respondent_class}]


def _code_taken(hospital: Hospital | None, code: str) -> bool:
    return Instrument.objects.filter(hospital=hospital, code=code).exists()


def _has_responses(version: InstrumentVersion) -> bool:
    return version.responses.exists()


def _editable_draft(version: InstrumentVersion) -> InstrumentVersion:
    """The version locked for update, refused unless it is a draft nobody has answered."""
    locked = InstrumentVersion.objects.select_for_update().select_related("instrument").get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise _refuse(
            "status", _("Only a draft can be edited; create a new draft version to change this one.")
        )
    if _has_responses(locked):
        raise _refuse("definition", _("This version has responses and can no longer change."))
    if locked.instrument.hospital_id is None:
        raise _refuse("instrument", _("Library instruments cannot be edited; copy one first."))
    return locked


@transaction.atomic
def instrument_create(
    *,
    hospital: Hospital,
    actor: Actor,
    code: str,
    name: str,
    kind: str = InstrumentKind.OTHER,
    respondent_class: str = RespondentClass.PATIENT,
    name_en: str = "",
    description: str = "",
    definition: dict[str, Any] | None = None,
) -> Instrument:
    """A new instrument of ``hospital`` with draft version 1 (``definition``, or a one-item starter)."""
    errors: dict[str, list[str]] = {}
    _check_metadata(code=code, name=name, kind=kind, respondent_class=respondent_class, errors=errors)
    if "code" not in errors and _code_taken(hospital, code):
        errors["code"] = [_("This hospital already has an instrument with this code.")]
    if definition is not None:
        problems = validate_definition(definition)
        if problems:
            errors["definition"] = problems
    if errors:
        raise ValidationError(errors)
    instrument = Instrument.objects.create(
        hospital=hospital,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        kind=kind,
        respondent_class=respondent_class,
        description=description.strip(),
    )
    body = (
        copy.deepcopy(definition)
        if definition is not None
        else starter_definition(code=code, title=name.strip(), title_en=name_en.strip())
    )
    _new_version(instrument=instrument, actor=actor, number=1, definition=body)
    audit_record(actor=actor, action="surveys.instrument_create", obj=instrument, summary=instrument.code)
    return instrument


def _new_version(
    *, instrument: Instrument, actor: Any, number: int, definition: dict[str, Any]
) -> InstrumentVersion:
    return InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        status=VersionStatus.DRAFT,
        definition=definition,
        content_hash=content_hash(definition),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def instrument_copy(
    *,
    source: InstrumentVersion,
    hospital: Hospital,
    actor: Actor,
    code: str | None = None,
    name: str | None = None,
) -> Instrument:
    """Copy a version (usually of a library instrument) into ``hospital`` as a new instrument's draft v1."""
    origin = source.instrument
    new_code = code or origin.code
    if code is None and _code_taken(hospital, new_code):
        n = 2
        while _code_taken(hospital, f"{origin.code}-{n}"):
            n += 1
        new_code = f"{origin.code}-{n}"
    instrument = instrument_create(
        hospital=hospital,
        actor=actor,
        code=new_code,
        name=name or origin.name,
        name_en=origin.name_en,
        kind=origin.kind,
        respondent_class=origin.respondent_class,
        description=origin.description,
        definition=copy.deepcopy(source.definition),
    )
    audit_record(
        actor=actor,
        action="surveys.instrument_copy",
        obj=instrument,
        summary=f"{origin.code} v{source.number} → {instrument.code}",
        changes={"source_version": source.pk, "source_hash": source.content_hash},
    )
    return instrument


@transaction.atomic
def instrument_update(
    *,
    instrument: Instrument,
    actor: Actor,
    name: str,
    kind: str,
    respondent_class: str,
    name_en: str = "",
    description: str = "",
) -> Instrument:
    """Change the name, kind, respondent class or description (the code and versions stay)."""
    if instrument.hospital_id is None:
        raise _refuse("instrument", _("Library instruments cannot be edited; copy one first."))
    errors: dict[str, list[str]] = {}
    _check_metadata(
        code=instrument.code, name=name, kind=kind, respondent_class=respondent_class, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "name": instrument.name,
        "kind": instrument.kind,
        "respondent_class": instrument.respondent_class,
    }
    instrument.name = name.strip()
    instrument.name_en = name_en.strip()
    instrument.kind = kind
    instrument.respondent_class = respondent_class
    instrument.description = description.strip()
    instrument.save(update_fields=["name", "name_en", "kind", "respondent_class", "description"])
    after = {"name": instrument.name, "kind": kind, "respondent_class": respondent_class}
    audit_record(
        actor=actor,
        action="surveys.instrument_update",
        obj=instrument,
        summary=instrument.code,
        changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
    )
    return instrument


@transaction.atomic
def version_create_draft(*, instrument: Instrument, actor: Actor, blank: bool = False) -> InstrumentVersion:
    """A new draft version numbered after the latest, copied from the latest version (or a starter).

    Refused when the instrument already has a draft (edit that one) or is a library instrument.
    """
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.hospital_id is None:
        raise _refuse("instrument", _("Library instruments cannot be edited; copy one first."))
    if instrument.versions.filter(status=VersionStatus.DRAFT).exists():
        raise _refuse("status", _("This instrument already has a draft; edit or publish it first."))
    latest = instrument.versions.order_by("-number").first()
    if blank or latest is None:
        definition = starter_definition(
            code=instrument.code, title=instrument.name, title_en=instrument.name_en
        )
    else:
        definition = copy.deepcopy(latest.definition)
    number = (instrument.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = _new_version(instrument=instrument, actor=actor, number=number, definition=definition)
    audit_record(
        actor=actor,
        action="surveys.version_create_draft",
        obj=version,
        summary=f"{instrument.code} v{number}",
        changes={"copied_from": None if blank or latest is None else latest.number},
    )
    return version


@transaction.atomic
def draft_update(
    *, version: InstrumentVersion, actor: Actor, definition: dict[str, Any]
) -> InstrumentVersion:
    """Replace a draft's definition; refused with every problem (JSON paths) if it is not valid."""
    locked = _editable_draft(version)
    _check_definition(definition)
    before = locked.content_hash
    locked.definition = copy.deepcopy(definition)
    locked.content_hash = content_hash(locked.definition)
    locked.save(update_fields=["definition", "content_hash"])
    audit_record(
        actor=actor,
        action="surveys.draft_update",
        obj=locked,
        summary=f"{locked.instrument.code} v{locked.number}",
        changes={"content_hash": [before, locked.content_hash]},
    )
    version.definition, version.content_hash = locked.definition, locked.content_hash
    return locked


def _weight_targets(definition: dict[str, Any], level: str, parent_code: str | None) -> list[dict[str, Any]]:
    """The nodes whose weights are set: the dimensions, a dimension's indicators or an indicator's items."""
    dimensions = definition.get("dimensions", [])
    if level == "dimension":
        if parent_code:
            raise _refuse("parent_code", _("Dimension weights have no parent."))
        return dimensions
    if level == "indicator":
        for dimension in dimensions:
            if dimension.get("code") == parent_code:
                return dimension.get("indicators", [])
        raise _refuse("parent_code", _("No dimension with the code %(code)s.") % {"code": parent_code})
    if level == "item":
        for dimension in dimensions:
            for indicator in dimension.get("indicators", []):
                if indicator.get("code") == parent_code:
                    return indicator.get("items", [])
        raise _refuse("parent_code", _("No indicator with the code %(code)s.") % {"code": parent_code})
    raise _refuse("level", _("The level is one of dimension, indicator or item."))


@transaction.atomic
def draft_set_weights(
    *,
    version: InstrumentVersion,
    actor: Actor,
    level: WeightLevel,
    parent_code: str | None,
    weights: dict[str, float],
) -> InstrumentVersion:
    """Set the weights of the children of one node (e.g. from the AHP editor); others keep theirs.

    ``level`` "dimension" (``parent_code`` None), "indicator" (parent = a dimension code) or "item"
    (parent = an indicator code). Every code must be a child of the parent; weights are numbers ≥ 0.
    """
    locked = _editable_draft(version)
    definition = copy.deepcopy(locked.definition)
    nodes = {node.get("code"): node for node in _weight_targets(definition, level, parent_code)}
    errors = []
    for code, weight in weights.items():
        if code not in nodes:
            errors.append(_("%(code)s is not among the children of this node.") % {"code": code})
        elif isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            errors.append(_("%(code)s: a weight is a number ≥ 0.") % {"code": code})
    if errors:
        raise ValidationError({"weights": errors})
    for code, weight in weights.items():
        nodes[code]["weight"] = float(weight)
    return draft_update(version=locked, actor=actor, definition=definition)


@transaction.atomic
def version_publish(*, version: InstrumentVersion, actor: Actor) -> InstrumentVersion:
    """Publish a valid draft: derive its Item rows, fix its content hash and publication time.

    Other published versions stay published (retire them explicitly with :func:`version_retire`).
    """
    locked = InstrumentVersion.objects.select_for_update().select_related("instrument").get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise _refuse("status", _("Only a draft can be published."))
    _check_definition(locked.definition)
    locked.items.all().delete()
    Item.objects.bulk_create(Item(version=locked, **row) for row in item_rows(locked.definition))
    locked.status = VersionStatus.PUBLISHED
    locked.content_hash = content_hash(locked.definition)
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "content_hash", "published_at"])
    audit_record(
        actor=actor,
        action="surveys.version_publish",
        obj=locked,
        summary=f"{locked.instrument.code} v{locked.number}",
        changes={
            "status": [VersionStatus.DRAFT, VersionStatus.PUBLISHED],
            "content_hash": locked.content_hash,
        },
    )
    version.refresh_from_db()
    return locked


@transaction.atomic
def version_retire(*, version: InstrumentVersion, actor: Actor, reason: str = "") -> InstrumentVersion:
    """Retire a published version: no new wave may use it; its responses and analyses stay."""
    locked = InstrumentVersion.objects.select_for_update().select_related("instrument").get(pk=version.pk)
    if locked.status != VersionStatus.PUBLISHED:
        raise _refuse("status", _("Only a published version can be retired."))
    locked.status = VersionStatus.RETIRED
    locked.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="surveys.version_retire",
        obj=locked,
        summary=f"{locked.instrument.code} v{locked.number} {reason}".strip(),
        changes={"status": [VersionStatus.PUBLISHED, VersionStatus.RETIRED], "reason": reason},
    )
    version.refresh_from_db()
    return locked


@transaction.atomic
def draft_discard(*, version: InstrumentVersion, actor: Actor) -> None:
    """Delete a draft nobody has used (refused once a wave points at it)."""
    locked = _editable_draft(version)
    label = f"{locked.instrument.code} v{locked.number}"
    pk = locked.pk
    try:
        with transaction.atomic():
            locked.delete()
    except ProtectedError as exc:
        raise _refuse("status", _("A wave uses this draft; it cannot be discarded.")) from exc
    audit_record(
        actor=actor,
        action="surveys.draft_discard",
        object_type="surveys.instrumentversion",
        object_id=pk,
        summary=label,
    )


# --- JSON import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the version holding the definition, and whether anything was created."""

    instrument: Instrument
    version: InstrumentVersion
    created: bool


def _document_errors(document: Any) -> list[str]:
    """Every problem of an export document, each prefixed with its JSON path."""
    if not isinstance(document, dict):
        return [_("file: must be a JSON object")]
    errors: list[str] = []
    if document.get("format") != EXPORT_FORMAT:
        errors.append(_("format: must be “%(format)s”") % {"format": EXPORT_FORMAT})
    if document.get("format_version") != EXPORT_FORMAT_VERSION:
        errors.append(_("format_version: only version %(n)s is understood") % {"n": EXPORT_FORMAT_VERSION})
    meta = document.get("instrument")
    if not isinstance(meta, dict):
        errors.append(_("instrument: must be an object with code, name, kind and respondent_class"))
    else:
        field_errors: dict[str, list[str]] = {}
        _check_metadata(
            code=str(meta.get("code", "")),
            name=str(meta.get("name", "")),
            kind=str(meta.get("kind", InstrumentKind.OTHER)),
            respondent_class=str(meta.get("respondent_class", RespondentClass.PATIENT)),
            errors=field_errors,
        )
        errors += [
            f"instrument.{field}: {message}"
            for field, messages in field_errors.items()
            for message in messages
        ]
    definition = document.get("definition")
    errors += [f"definition.{problem}" for problem in validate_definition(definition)]
    declared = document.get("content_hash")
    if declared is not None and isinstance(definition, dict) and declared != content_hash(definition):
        errors.append(_("content_hash: does not match the definition (the file was altered or damaged)"))
    return errors


@transaction.atomic
def instrument_import(*, hospital: Hospital, actor: Actor, document: Any) -> ImportResult:
    """Import an exported instrument into ``hospital``, as a draft version for review and publication.

    Every problem of the file is reported at once (``ValidationError({"file": [...]})``) and nothing is
    created. Idempotent by content hash: if a version of the same instrument (same code) already has
    this exact definition, that version is returned and nothing is written.
    """
    errors = _document_errors(document)
    if errors:
        raise ValidationError({"file": errors})
    meta, definition = document["instrument"], document["definition"]
    digest = content_hash(definition)
    instrument = Instrument.objects.select_for_update().filter(hospital=hospital, code=meta["code"]).first()
    if instrument is None:
        instrument = instrument_create(
            hospital=hospital,
            actor=actor,
            code=meta["code"],
            name=str(meta["name"]),
            name_en=str(meta.get("name_en", "")),
            kind=str(meta.get("kind", InstrumentKind.OTHER)),
            respondent_class=str(meta.get("respondent_class", RespondentClass.PATIENT)),
            description=str(meta.get("description", "")),
            definition=definition,
        )
        version = instrument.versions.get()
        created = True
    else:
        existing = instrument.versions.filter(content_hash=digest).order_by("-number").first()
        if existing is not None:
            return ImportResult(instrument=instrument, version=existing, created=False)
        version = version_create_draft(instrument=instrument, actor=actor)
        version = draft_update(version=version, actor=actor, definition=definition)
        created = True
    audit_record(
        actor=actor,
        action="surveys.instrument_import",
        obj=version,
        summary=f"{instrument.code} v{version.number}",
        changes={"content_hash": digest},
    )
    return ImportResult(instrument=instrument, version=version, created=created)


def export_document(version: InstrumentVersion) -> dict[str, Any]:
    """The downloadable JSON of a version (the input of :func:`instrument_import`)."""
    instrument = version.instrument
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "instrument": {
            "code": instrument.code,
            "name": instrument.name,
            "name_en": instrument.name_en,
            "kind": instrument.kind,
            "respondent_class": instrument.respondent_class,
            "description": instrument.description,
            "version": version.number,
            "status": version.status,
        },
        "definition": version.definition,
        "content_hash": content_hash(version.definition),
    }


__all__ = [
    "EXPORT_FORMAT",
    "ImportResult",
    "draft_discard",
    "draft_set_weights",
    "draft_update",
    "export_document",
    "instrument_copy",
    "instrument_create",
    "instrument_import",
    "instrument_update",
    "item_rows",
    "starter_definition",
    "version_create_draft",
    "version_publish",
    "version_retire",
]
