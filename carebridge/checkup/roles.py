"""Permissions the checkup centre adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Checkup staff register people and groups, check them in, work the rooms and enter results; the guide
nurse (导检护士) works the queues and moves people; the chief examiner (总检医生) concludes, signs, sets
risk levels, edits the advice library and releases reports; administrators configure the catalogue and
the rules. No other role sees checkup data (DESIGN §4: the data belong to the centre). Granted by
``0002_role_permissions``; ``core/tests/domain/test_roles`` checks that the two agree.
"""

_CATALOGUE_READ = (
    "checkup.view_room",
    "checkup.view_item",
    "checkup.view_package",
)
_VISIT_READ = (
    "checkup.view_visit",
    "checkup.view_ordereditem",
    "checkup.view_queueentry",
    "checkup.view_result",
    "checkup.view_roomsignoff",
    "checkup.view_visitfinding",
)
_GROUPS = tuple(
    f"checkup.{action}_{model}"
    for model in ("employergroup", "groupcontract", "rostermember")
    for action in ("view", "add", "change")
)
_CONFIG_MODELS = (
    "room",
    "item",
    "codedvalue",
    "referencerange",
    "package",
    "advicerule",
    "riskruleset",
    "riskrule",
    "daycapacity",
    # Group reports (issue 14): the findings catalogue and the reference data, with source and year.
    "reportablefinding",
    "referencepopulation",
    "referencestratum",
    "referenceprevalence",
    "referencerate",
)
# The expert advice of a group report: written and released by the chief examiner.
_GROUP_ADVICE = (
    "checkup.view_groupreportadvice",
    "checkup.add_groupreportadvice",
    "checkup.release_groupreportadvice",
)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "checkup_staff": (
        *_CATALOGUE_READ,
        *_VISIT_READ,
        *_GROUPS,
        "checkup.view_rosterimport",
        "checkup.add_visit",
        "checkup.change_visit",
        "checkup.check_in_visit",
        "checkup.add_queueentry",
        "checkup.change_queueentry",
        "checkup.change_ordereditem",
        "checkup.add_result",
        "checkup.add_roomsignoff",
        "checkup.view_health_record",
        "checkup.view_checkup_statistics",
    ),
    "guide_nurse": (
        *_CATALOGUE_READ,
        *_VISIT_READ,
        "checkup.add_queueentry",
        "checkup.change_queueentry",
        "checkup.move_queueentry",
    ),
    "chief_examiner": (
        *_CATALOGUE_READ,
        *_VISIT_READ,
        "checkup.sign_visit",
        "checkup.release_report",
        "checkup.view_reportrelease",
        "checkup.add_visitfinding",
        "checkup.change_visitfinding",
        "checkup.delete_visitfinding",
        "checkup.view_advicerule",
        "checkup.add_advicerule",
        "checkup.change_advicerule",
        "checkup.view_riskruleset",
        "checkup.view_riskrule",
        "checkup.view_health_record",
        "checkup.view_checkup_statistics",
        *_GROUP_ADVICE,
    ),
    "admin": (
        *_VISIT_READ,
        *_GROUPS,
        "checkup.view_rosterimport",
        "checkup.view_reportrelease",
        "checkup.view_health_record",
        "checkup.view_checkup_statistics",
        "checkup.view_groupreportadvice",
        *(
            f"checkup.{action}_{model}"
            for model in _CONFIG_MODELS
            for action in ("view", "add", "change", "delete")
        ),
    ),
}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "checkup_staff": ("checkup:home", "checkup.view_visit"),
    "guide_nurse": ("checkup:board", "checkup.view_queueentry"),
    "chief_examiner": ("checkup:review_list", "checkup.sign_visit"),
}
