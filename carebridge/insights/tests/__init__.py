"""Tests of the insights app (statistics tested against published reference outputs)."""
