"""The analysis layer of satisfaction measurement (DESIGN §5.4): from a frame of responses to computed
results — weighted indexes with CIs, item distributions, the psychometric panel, the CSI model, IPA,
key drivers, adjusted benchmarking, trends, comment topics.

Modules: ``frame`` (:class:`ResponseFrame`, what every analysis reads), ``selection`` (what to analyse),
``kinds`` (the analyses by name, their parameters, ``compute``), and one module per analysis
(``indexes``, ``items``, ``benchmark``, ``drivers``, ``csi``, ``psychometrics``, ``comments``, ``ahp``).
Reading responses in a user's scope is done by ``carebridge.insights.selectors.analysis``
(``responses_for``, ``load_frame``, ``analyse``). The statistics themselves live in
``carebridge.lib.stats`` (no Django).
"""
