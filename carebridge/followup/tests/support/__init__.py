"""Helpers of the follow-up tests that are neither fixtures nor factories."""
