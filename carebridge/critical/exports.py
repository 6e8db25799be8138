"""Excel exports of critical results (filled in by the dashboard)."""
