"""The monthly leadership satisfaction report (月度满意度报告): screen, PDF (Chinese) and Excel.

The review in seed 003 (§4.6) faults hospitals for reporting one "overall satisfaction rate" that hides
the problems. This report shows, for one month and one instrument, the index with its confidence
interval and its significant changes, the dimensions, every item's distribution, the drivers, the three
problems to fix first, departments raw and patient-mix adjusted side by side, comment topics, the
recovery cases that surveys opened, and a methods note.

Modules:

* ``selectors`` — the scoped reads (``scope_for``): the responses of a month as a frame, response rates,
  recovery cases, and the monthly per-department aggregate the dashboard and the trend use;
* ``compute`` — the statistics, from ``carebridge.lib.stats`` (no database access);
* ``sentences`` — the generated Chinese sentences of the executive summary;
* ``context`` — ``build_report(*, user, month, instrument=None)``: everything above in one ``Report``;
* ``svg`` — hand-written SVG charts (bars with intervals, stacked boxes, trend line, IPA quadrant) that
  WeasyPrint renders without a browser, in the Noto CJK font of the PDFs;
* ``pdf``, ``excel`` — the two downloads, from the same ``Report`` the page shows;
* ``views``, ``urls`` — ``/insights/report/``, ``…/pdf/`` and ``…/xlsx/``.

The report is a document for the hospital's leadership and is written in Chinese whatever the screen
language (as the complaint register is); the page around it is translated as usual.
"""
