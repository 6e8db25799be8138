"""The known latent model behind the demo's survey answers (示范调查数据的生成模型).

Pure numpy and scipy, no Django: the demo loader (``loader.py``) and the recovery test
(``carebridge/insights/tests/test_recovery.py``) both draw from here, and every generating parameter is a
module-level constant, so a test can check that the analysis recovers what was put in.

Every answer is a continuous, standard-normal indicator ``x = λ·η + √(1 − λ²)·ε`` cut into categories at
fixed thresholds (a Likert 5, a 0–10 or a 1–10 scale, or yes/no). ``η`` is a latent variable with unit
variance around a mean that the respondent's circumstances shift.

(a) **CSI** (customer satisfaction index, ECSI-like): six constructs linked by the standardised paths of
    :data:`CSI_PATHS`; each construct's disturbance variance is set so that every construct has variance
    1, so the paths are the standardised coefficients that CFA/SEM estimates. Loadings are
    :data:`CSI_LOADINGS` (0.70–0.90). No department or mode effect: the CSI is the hospital-level index.
(b) **Experience** instruments: one latent factor per scored dimension, pairwise correlation
    :data:`EXPERIENCE_FACTOR_CORRELATION`, loadings :func:`item_loading`; the ``overall_rating`` factor
    is driven by the others (:data:`DRIVER_WEIGHTS`). Each respondent's latent means are shifted by
    the department (:data:`DEPARTMENT_EFFECTS`), a weak ward (:data:`WEAK_WARDS`), the mode (phone
    interviews +0.3 SD and the pre-discharge paper questionnaire on the ward +0.4 SD, the
    social-desirability effect, :data:`MODE_EFFECTS`) and the case mix: age band
    (:data:`AGE_EFFECTS`) and self-rated health (:data:`SRH_EFFECT` per step; 1 = excellent). Sicker
    departments (:data:`DEPARTMENT_SICKNESS`) have a poorer self-rated health mix, so their raw scores
    understate them and patient-mix adjustment moves them up.
(c) **Staff** satisfaction: the same factor model with reverse-keyed workload items (a better-off
    respondent agrees *less* with "my workload is too heavy").

A reverse-keyed item (negatively worded) is answered as the mirror of the favourable category
(:func:`reverse_answer`): its loading on the *raw* answers is −λ, on the keyed answers (``min + max − x``,
as the index, item distributions, reliability, IPA and drivers all read it) +λ, the same as a positively
worded item with the same loading.
(d) **Recommendation**: one 0–10 item on the thresholds of :data:`SCALE_0_10_THRESHOLDS`, which give an
    NPS-like distribution (about half promoters, a sixth detractors).

Non-response depends on channel and age only (missing at random given what the survey records), so the
respondents' answers carry the generating parameters without selection bias.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

# --- Response scales: cut points on the standard-normal indicator --------------------------------------

# Likert 5: about 1% / 2% / 16% / 39% / 42% at the latent mean — hospital answers are skewed to the top.
LIKERT5_THRESHOLDS: tuple[float, ...] = (-2.5, -1.9, -0.9, 0.2)
# 0–10 (overall rating, recommendation): ≤6 (detractors) 18%, 7–8 32%, 9–10 (promoters) 50%.
SCALE_0_10_THRESHOLDS: tuple[float, ...] = (-2.58, -2.33, -2.05, -1.81, -1.6, -1.28, -0.915, -0.5, 0.0, 0.674)
# 1–10 (CSI): a mean near 7.6, as published CSI studies report.
SCALE_1_10_THRESHOLDS: tuple[float, ...] = (-2.33, -2.05, -1.75, -1.48, -1.17, -0.84, -0.44, 0.13, 0.77)
# Yes/no (e.g. "were you told which danger signs to watch for?"): yes for 84% at the latent mean.
YES_NO_THRESHOLDS: tuple[float, ...] = (-1.0,)

SCALES: dict[str, tuple[int, tuple[float, ...]]] = {
    "likert": (1, LIKERT5_THRESHOLDS),
    "scale_0_10": (0, SCALE_0_10_THRESHOLDS),
    "scale_1_10": (1, SCALE_1_10_THRESHOLDS),
    "yes_no": (0, YES_NO_THRESHOLDS),
}


def reverse_answer(values: np.ndarray, scale: str) -> np.ndarray:
    """The answer to the negatively worded version of an item: the category mirrored on its scale
    (``low + high − c``). A satisfied respondent *disagrees* with "I often could not find anyone to ask";
    flipping the latent sign instead would keep the scale's skew towards agreement and make most
    satisfied people agree with the complaint."""
    low, thresholds = SCALES[scale]
    return (2 * low + len(thresholds)) - values


def discretise(x: np.ndarray, thresholds: Sequence[float], low: int) -> np.ndarray:
    """Categories ``low, low + 1, …``: the number of thresholds below each value, plus ``low``."""
    return low + np.searchsorted(np.asarray(thresholds), x, side="right")


def expected_category(thresholds: Sequence[float], mean: float | np.ndarray, low: int = 0) -> np.ndarray:
    """E[category] of an indicator ~ N(mean, 1): ``low + Σₖ P(x > τₖ)`` (exact, no simulation)."""
    m = np.asarray(mean, dtype=float)[..., None]
    return low + stats.norm.sf(np.asarray(thresholds) - m).sum(axis=-1)


def category_correlation(thresholds: Sequence[float]) -> float:
    """corr(g(x), x) for x ~ N(0, 1) and g the cut into categories: the factor by which categorising
    attenuates a loading (by Stein's lemma cov(g(x), η) = cov(x, η)·E[g′(x)], and E[g′] = Σ φ(τₖ))."""
    tau = np.asarray(thresholds)
    covariance = stats.norm.pdf(tau).sum()
    upper = stats.norm.sf(np.maximum.outer(tau, tau))
    tail = stats.norm.sf(tau)
    variance = float((upper - np.outer(tail, tail)).sum())
    return float(covariance / np.sqrt(variance))


def indicators(eta: np.ndarray, loadings: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Continuous indicators λ·η + √(1 − λ²)·ε, one column per loading (``eta`` has matching columns)."""
    noise = rng.standard_normal(eta.shape)
    return eta * loadings + np.sqrt(1.0 - loadings**2) * noise


# --- (a) CSI: the ECSI-like structural model ------------------------------------------------------------

CSI_CONSTRUCTS: tuple[str, ...] = ("expectation", "quality", "value", "satisfaction", "complaints", "loyalty")
CSI_ITEMS: dict[str, tuple[str, ...]] = {
    "expectation": ("exp1", "exp2", "exp3"),
    "quality": ("qual1", "qual2", "qual3", "qual4"),
    "value": ("val1", "val2"),
    "satisfaction": ("sat1", "sat2", "sat3"),
    "complaints": ("cmp1", "cmp2"),
    "loyalty": ("loy1", "loy2"),
}
# Standardised path coefficients (source, target) → β.
CSI_PATHS: dict[tuple[str, str], float] = {
    ("expectation", "quality"): 0.50,
    ("expectation", "value"): 0.20,
    ("quality", "value"): 0.55,
    ("expectation", "satisfaction"): 0.10,
    ("quality", "satisfaction"): 0.45,
    ("value", "satisfaction"): 0.30,
    ("satisfaction", "complaints"): 0.45,
    ("satisfaction", "loyalty"): 0.55,
    ("complaints", "loyalty"): 0.20,
}
# Standardised loadings of the continuous indicators (before they are cut into 1–10).
CSI_LOADINGS: dict[str, float] = {
    "exp1": 0.75,
    "exp2": 0.80,
    "exp3": 0.70,
    "qual1": 0.85,
    "qual2": 0.80,
    "qual3": 0.75,
    "qual4": 0.80,
    "val1": 0.85,
    "val2": 0.80,
    "sat1": 0.90,
    "sat2": 0.85,
    "sat3": 0.80,
    "cmp1": 0.80,
    "cmp2": 0.75,
    "loy1": 0.85,
    "loy2": 0.80,
}
# Share of CSI respondents who never raised a complaint and answer cmp1/cmp2 "not applicable" (MCAR).
CSI_COMPLAINTS_NA_RATE = 0.25


def csi_path_matrix() -> np.ndarray:
    """B with B[target, source] = β, in :data:`CSI_CONSTRUCTS` order."""
    index = {name: i for i, name in enumerate(CSI_CONSTRUCTS)}
    b = np.zeros((len(CSI_CONSTRUCTS), len(CSI_CONSTRUCTS)))
    for (source, target), beta in CSI_PATHS.items():
        b[index[target], index[source]] = beta
    return b


def csi_disturbance_variances() -> np.ndarray:
    """ψ per construct so that every construct has variance 1 (the constructs are in causal order)."""
    b = csi_path_matrix()
    k = len(CSI_CONSTRUCTS)
    psi = np.zeros(k)
    for i in range(k):
        cov = _implied(b, psi, upto=i)
        explained = b[i, :i] @ cov[:i, :i] @ b[i, :i]
        psi[i] = 1.0 - explained
        if psi[i] <= 0:
            raise ValueError(f"CSI paths explain more than all the variance of {CSI_CONSTRUCTS[i]}.")
    return psi


def _implied(b: np.ndarray, psi: np.ndarray, *, upto: int | None = None) -> np.ndarray:
    k = b.shape[0] if upto is None else upto
    inverse = np.linalg.inv(np.eye(k) - b[:k, :k])
    return inverse @ np.diag(psi[:k]) @ inverse.T


def csi_latent_correlations() -> np.ndarray:
    """The constructs' implied correlation matrix (their variances are 1 by construction)."""
    return _implied(csi_path_matrix(), csi_disturbance_variances())


def csi_r2() -> dict[str, float]:
    """The true R² of each endogenous construct."""
    psi = csi_disturbance_variances()
    b = csi_path_matrix()
    return {name: float(1 - psi[i]) for i, name in enumerate(CSI_CONSTRUCTS) if b[i].any()}


def csi_item_codes() -> list[str]:
    return [code for construct in CSI_CONSTRUCTS for code in CSI_ITEMS[construct]]


def csi_expected_item_loadings() -> dict[str, float]:
    """What a CFA of the 1–10 answers (treated as continuous) should find: λ × the categorising factor."""
    factor = category_correlation(SCALE_1_10_THRESHOLDS)
    return {code: CSI_LOADINGS[code] * factor for code in csi_item_codes()}


def simulate_csi(n: int, rng: np.random.Generator) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``n`` CSI respondents: the latent scores (n × 6) and each item's answers (1–10; −1 = "not
    applicable", only for the complaints items)."""
    b = csi_path_matrix()
    psi = csi_disturbance_variances()
    zeta = rng.standard_normal((n, len(CSI_CONSTRUCTS))) * np.sqrt(psi)
    eta = zeta @ np.linalg.inv(np.eye(len(CSI_CONSTRUCTS)) - b).T
    codes = csi_item_codes()
    columns = [CSI_CONSTRUCTS.index(c) for c in CSI_CONSTRUCTS for _ in CSI_ITEMS[c]]
    loadings = np.array([CSI_LOADINGS[code] for code in codes])
    x = indicators(eta[:, columns], loadings, rng)
    low, thresholds = SCALES["scale_1_10"]
    answers = {code: discretise(x[:, j], thresholds, low) for j, code in enumerate(codes)}
    never_complained = rng.random(n) < CSI_COMPLAINTS_NA_RATE
    for code in CSI_ITEMS["complaints"]:
        answers[code] = np.where(never_complained, -1, answers[code])
    return eta, answers


# --- (b)–(d) experience, staff and recommendation: correlated factors with shifted means ---------------

EXPERIENCE_FACTOR_CORRELATION = 0.60
# Loadings cycle through these, in item order within each dimension.
EXPERIENCE_LOADINGS: tuple[float, ...] = (0.80, 0.75, 0.85, 0.70)
# Share of "not applicable" answers where an item offers it (MCAR).
NA_RATE = 0.04

# Dimension means (in latent SD) for the hospital as a whole: fees and queues are the weak points.
DIMENSION_MEANS: dict[str, float] = {
    "fees": -0.45,
    "o_fees": -0.45,
    "registration": -0.35,
    "responsiveness": -0.20,
    "flow": -0.25,
    "environment": -0.10,
    "workload": -0.60,
    "pay_recognition": -0.40,
    "development": -0.15,
}

# The overall-rating factor as a weighted sum of the other dimensions' factors plus its own residual
# (the weights are the "true" key drivers); dimensions not listed weigh nothing.
DRIVER_WEIGHTS: dict[str, dict[str, float]] = {
    "inpatient-experience": {
        "doctors": 0.30,
        "nurses": 0.20,
        "discharge": 0.15,
        "responsiveness": 0.10,
        "fees": 0.10,
        "environment": 0.05,
    },
    "outpatient-experience": {
        "doctor": 0.40,
        "registration": 0.20,
        "tests_pharmacy": 0.10,
        "fees": 0.10,
        "environment": 0.05,
    },
    "checkup-experience": {"staff": 0.25, "flow": 0.25, "report": 0.20, "booking": 0.10, "privacy": 0.05},
    "staff-satisfaction": {
        "management": 0.30,
        "pay_recognition": 0.20,
        "workload": 0.15,
        "development": 0.10,
        "teamwork": 0.10,
        "work_environment": 0.05,
    },
}
OVERALL_DIMENSION = "overall_rating"

# Department effect: a shift of every dimension's latent mean (and so of the overall rating).
DEPARTMENT_EFFECTS: dict[str, float] = {
    "CARD": 0.25,
    "OBST": 0.30,
    "ORTH": 0.20,
    "ONCO": 0.30,
    "HEMA": 0.20,
    "OPHT": 0.15,
    "PEDI": 0.05,
    "NEON": 0.10,
    "GAST": -0.05,
    "RESP": -0.10,
    "GSUR": -0.15,
    "DERM": -0.20,
    "INFE": -0.25,
    "EMER": -0.45,
    "CHKP": 0.10,
}
# Weak wards (病区): a further shift of some dimensions — here communication and discharge information.
WEAK_WARDS: dict[str, dict[str, float]] = {
    "PEDI-2": {"nurses": -1.0, "doctors": -0.6, "discharge": -1.0},
    "NEUR-2": {"nurses": -0.9, "doctors": -0.6, "discharge": -0.9},
}
# Survey mode: the social-desirability effect of answering an interviewer.
# Paper is the pre-discharge questionnaire filled in on the ward: kinder still (the staff are there).
MODE_EFFECTS: dict[str, float] = {"web": 0.0, "phone": 0.30, "paper": 0.40}
# Case mix: age band (the answering service's bands) and self-rated health (1 = excellent … 5 = poor).
AGE_EFFECTS: dict[str, float] = {
    "0-17": 0.10,
    "18-24": 0.0,
    "25-34": 0.0,
    "35-44": -0.05,
    "45-54": -0.10,
    "55-64": -0.15,
    "65-74": -0.25,
    "75-84": -0.30,
    "85+": -0.35,
}
SRH_EFFECT = -0.15  # per step of self-rated health above 2 ("very good")
SRH_REFERENCE = 2
# Latent ill-health of a department's patients (added to an age term); higher → poorer self-rated health.
DEPARTMENT_SICKNESS: dict[str, float] = {
    "ONCO": 1.2,
    "HEMA": 1.0,
    "ICU": 1.0,
    "NEPH": 0.8,
    "REHA": 0.6,
    "NEUR": 0.5,
    "CARD": 0.4,
    "RESP": 0.4,
    "OBST": -0.6,
    "PEDI": -0.5,
    "NEON": -0.5,
    "CHKP": -0.6,
    "STOM": -0.4,
    "DERM": -0.3,
    "OPHT": -0.2,
}
SRH_THRESHOLDS: tuple[float, ...] = (-1.2, -0.2, 0.7, 1.6)  # ill-health → 1 (excellent) … 5 (poor)
EDUCATION_LEVELS: tuple[str, ...] = ("primary", "junior", "senior", "college", "bachelor")

# Staff survey: department effects on every dimension (emergency and intensive care are hard places).
STAFF_DEPARTMENT_EFFECTS: dict[str, float] = {"EMER": -0.45, "ICU": -0.35, "PEDI": -0.15, "REHA": 0.20}

# Response propensity by channel, scaled by age: web ~35%, phone ~60% overall.
RESPONSE_RATES: dict[str, float] = {"sms": 0.36, "phone": 0.60}
RESPONSE_AGE_FACTORS: dict[str, dict[str, float]] = {
    "sms": {"0-17": 1.1, "18-24": 1.0, "25-34": 1.1, "35-44": 1.1, "65-74": 0.75, "75-84": 0.55, "85+": 0.4},
    "phone": {"18-24": 0.75, "25-34": 0.8, "35-44": 0.9, "75-84": 1.05, "85+": 0.9},
}
# Share of invitations by phone (the rest by SMS link): older patients are mostly phoned.
PHONE_SHARE: dict[str, float] = {"65-74": 0.55, "75-84": 0.7, "85+": 0.8}
PHONE_SHARE_DEFAULT = 0.25


def item_loading(position: int) -> float:
    """The loading of the ``position``-th (0-based) item within its dimension."""
    return EXPERIENCE_LOADINGS[position % len(EXPERIENCE_LOADINGS)]


@dataclass(frozen=True)
class ItemLayout:
    """One scored item of an instrument as the generator sees it."""

    code: str
    dimension: str
    scale: str  # a key of SCALES
    reverse: bool = False
    allows_na: bool = False
    loading: float = 0.8


@dataclass(frozen=True)
class FactorModel:
    """The scored items of one instrument, grouped by dimension, with the driver weights of its overall
    rating (empty when the instrument has none)."""

    instrument: str
    dimensions: tuple[str, ...]
    items: tuple[ItemLayout, ...]
    drivers: Mapping[str, float]

    @classmethod
    def from_items(cls, instrument: str, items: Sequence[tuple[str, str, str, bool, bool]]) -> FactorModel:
        """From ``(code, dimension, scale, reverse, allows_na)`` rows in questionnaire order."""
        dimensions = tuple(dict.fromkeys(dimension for _, dimension, *_ in items))
        seen: dict[str, int] = {}
        layout = []
        for code, dimension, scale, reverse, allows_na in items:
            position = seen.get(dimension, 0)
            seen[dimension] = position + 1
            layout.append(ItemLayout(code, dimension, scale, reverse, allows_na, item_loading(position)))
        drivers = DRIVER_WEIGHTS.get(instrument, {}) if OVERALL_DIMENSION in dimensions else {}
        return cls(
            instrument, dimensions, tuple(layout), {d: w for d, w in drivers.items() if d in dimensions}
        )

    def factor_correlations(self) -> np.ndarray:
        """Correlations of the dimension factors: EXPERIENCE_FACTOR_CORRELATION between the driver
        dimensions, and the overall rating's implied correlations with them."""
        k = len(self.dimensions)
        phi = np.full((k, k), EXPERIENCE_FACTOR_CORRELATION)
        np.fill_diagonal(phi, 1.0)
        if self.drivers:
            o = self.dimensions.index(OVERALL_DIMENSION)
            w = self._driver_vector()
            for j in range(k):
                if j != o:
                    phi[o, j] = phi[j, o] = float(w @ phi[:, j])
        return phi

    def _driver_vector(self) -> np.ndarray:
        w = np.array([self.drivers.get(d, 0.0) for d in self.dimensions])
        w[self.dimensions.index(OVERALL_DIMENSION)] = 0.0
        return w

    def simulate(
        self, shifts: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Latent scores (n × dimensions) around ``shifts`` and each item's answers (−1 = "not
        applicable"). The overall rating is its drivers' weighted sum plus a residual of the variance
        that keeps it at 1; its own mean shift is added on top of what the drivers carry."""
        n, k = shifts.shape
        base = np.full((k, k), EXPERIENCE_FACTOR_CORRELATION)
        np.fill_diagonal(base, 1.0)
        eta = rng.standard_normal((n, k)) @ np.linalg.cholesky(base).T
        if self.drivers:
            o = self.dimensions.index(OVERALL_DIMENSION)
            w = self._driver_vector()
            explained = float(w @ base @ w)
            eta[:, o] = eta @ w + np.sqrt(1.0 - explained) * eta[:, o]
            # The overall rating's mean moves with its drivers' means and its own shift.
            eta[:, o] += shifts @ w
        eta = eta + shifts
        answers: dict[str, np.ndarray] = {}
        for item in self.items:
            j = self.dimensions.index(item.dimension)
            x = indicators(eta[:, j : j + 1], np.array([item.loading]), rng)[:, 0]
            low, thresholds = SCALES[item.scale]
            values = discretise(x, thresholds, low)
            if item.reverse:
                values = reverse_answer(values, item.scale)
            if item.allows_na:
                values = np.where(rng.random(n) < NA_RATE, -1, values)
            answers[item.code] = values
        return eta, answers


def respondent_shift(
    dimension: str,
    *,
    department: str = "",
    ward: str = "",
    mode: str = "web",
    age_band: str = "",
    srh: int | None = None,
    staff: bool = False,
) -> float:
    """The latent mean of one dimension for one respondent: the sum of the effects above."""
    if staff:
        return DIMENSION_MEANS.get(dimension, 0.0) + STAFF_DEPARTMENT_EFFECTS.get(department, 0.0)
    shift = DIMENSION_MEANS.get(dimension, 0.0) + DEPARTMENT_EFFECTS.get(department, 0.0)
    shift += WEAK_WARDS.get(ward, {}).get(dimension, 0.0)
    shift += MODE_EFFECTS.get(mode, 0.0) + AGE_EFFECTS.get(age_band, 0.0)
    if srh is not None:
        shift += SRH_EFFECT * (srh - SRH_REFERENCE)
    return shift


def model_shifts(model: FactorModel, respondents: Sequence[Mapping[str, object]]) -> np.ndarray:
    """The n × dimensions matrix of latent means; a respondent is a mapping of
    :func:`respondent_shift`'s keyword arguments. The overall rating gets no direct shift (its drivers
    carry the department, ward, mode and case mix)."""
    shifts = np.zeros((len(respondents), len(model.dimensions)))
    for i, who in enumerate(respondents):
        for j, dimension in enumerate(model.dimensions):
            if model.drivers and dimension == OVERALL_DIMENSION:
                continue
            shifts[i, j] = respondent_shift(dimension, **who)  # type: ignore[arg-type]
    return shifts


def age_band_of(age: int) -> str:
    """The answering service's age band for an age in whole years."""
    for limit, label in ((18, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54")):
        if age < limit:
            return label
    for limit, label in ((65, "55-64"), (75, "65-74"), (85, "75-84")):
        if age < limit:
            return label
    return "85+"


def draw_srh(age: int, department: str, rng: np.random.Generator) -> int:
    """Self-rated health, 1 (excellent) … 5 (poor): worse with age and in sicker departments."""
    ill = rng.standard_normal() + 0.02 * (max(age, 18) - 50) + DEPARTMENT_SICKNESS.get(department, 0.0)
    return int(discretise(np.array([ill]), SRH_THRESHOLDS, 1)[0])


def draw_education(age: int, rng: np.random.Generator) -> str:
    """Highest education: older cohorts more often primary or junior school."""
    level = rng.standard_normal() - 0.03 * (max(age, 18) - 40)
    return EDUCATION_LEVELS[int(discretise(np.array([level]), (-1.2, -0.4, 0.3, 1.0), 0)[0])]


def draw_channel(age_band: str, rng: np.random.Generator) -> str:
    """``phone`` or ``sms``: older patients are mostly phoned."""
    return "phone" if rng.random() < PHONE_SHARE.get(age_band, PHONE_SHARE_DEFAULT) else "sms"


def response_probability(channel: str, age_band: str) -> float:
    return min(0.95, RESPONSE_RATES[channel] * RESPONSE_AGE_FACTORS[channel].get(age_band, 1.0))


def expected_dimension_index(model: FactorModel, dimension: str, mean: float | np.ndarray) -> np.ndarray:
    """E[0–100 dimension index] at latent mean ``mean`` (items equally weighted, all answered): exact,
    from :func:`expected_category`, so a test can turn a latent effect into index points."""
    items = [item for item in model.items if item.dimension == dimension]
    total = np.zeros_like(np.asarray(mean, dtype=float))
    for item in items:
        low, thresholds = SCALES[item.scale]
        high = low + len(thresholds)
        # A reverse-keyed answer is the mirror of the favourable one (reverse_answer), and the index flips
        # it back: every item, whichever way it is worded, contributes its favourable share.
        value = expected_category(thresholds, item.loading * np.asarray(mean, dtype=float), low)
        total = total + 100.0 * (value - low) / (high - low)
    return total / len(items)
