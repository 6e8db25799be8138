"""Fixtures shared by the surveys tests (the personas and the hospital come from the root conftest)."""
