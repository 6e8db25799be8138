"""Permissions the interfaces add to the roles of DESIGN §4 (merged by carebridge.core.roles).

Administrators configure senders and code mappings, read the inbound log and replay failed messages.
System accounts of sending systems get their permissions per user (``services.setup``), not a role.
Granted by ``0002_role_permissions``.
"""

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "admin": (
        "interop.view_inboundmessage",
        "interop.replay_inboundmessage",
        "interop.view_sender",
        "interop.add_sender",
        "interop.change_sender",
        "interop.view_codemapping",
        "interop.add_codemapping",
    ),
}
