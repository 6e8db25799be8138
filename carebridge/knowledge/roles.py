"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles)."""

PERMISSIONS: dict[str, tuple[str, ...]] = {}
