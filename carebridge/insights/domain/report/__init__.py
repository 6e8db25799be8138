"""The monthly leadership satisfaction report (月度满意度报告): its computations (no database access).

The review in seed 003 (§4.6) faults hospitals for reporting one "overall satisfaction rate" that hides
the problems. The report shows, for one month and one instrument, the index with its confidence
interval and its significant changes, the dimensions, every item's distribution, the drivers, the three
problems to fix first, departments raw and patient-mix adjusted side by side, comment topics, the
recovery cases that surveys opened, and a methods note.

Where the parts live:

* ``selectors/report.py`` — the scoped reads: the month, the responses of a month as frames, recovery
  cases, the monthly per-department aggregate the dashboard and the trend use;
* ``selectors/rates.py`` — the response rate (the one definition the analysis pages use too);
* ``domain/report/compute.py`` — the statistics, from ``carebridge.lib.stats``; the department
  comparison is the analysis's own (``domain/analysis/benchmark.unit_scores``);
* ``domain/report/sentences.py`` — the generated Chinese sentences of the executive summary;
* ``domain/report/svg.py`` — hand-written SVG charts that WeasyPrint renders without a browser;
* ``selectors/report_document.py`` — ``build_report(*, user, month, instrument=None)``: one ``Report``;
* ``exports.py`` — the PDF and the Excel file, from the same ``Report`` the page shows;
* ``views/report.py`` — ``/insights/report/``, ``…/pdf/`` and ``…/xlsx/``.

The report is a document for the hospital's leadership and is written in Chinese whatever the screen
language (as the complaint register is); the page around it is translated as usual.
"""
