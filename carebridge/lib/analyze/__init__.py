"""The analyst's command line, ``manage.py analyze``, without Django (``run.py``; docs/analyze.md)."""
