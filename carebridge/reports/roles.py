"""Reports adds no permission of its own (the cockpit needs ``performance.view_cockpit``); it names the
executive's start page: the leadership cockpit."""

PERMISSIONS: dict[str, tuple[str, ...]] = {}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "executive": ("reports:cockpit", "performance.view_cockpit"),
}
