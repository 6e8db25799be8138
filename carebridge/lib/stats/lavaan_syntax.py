"""lavaan model syntax: the parser and the parameter table that ``cfa()``/``sem()`` build from it.

Read the way lavaan 0.6 reads it (``lavParseModelString``, ``lav_partable_flat``, ``lavaanify``):

* formulas are separated by new lines or ``;``; ``#`` and ``!`` start a comment; all blanks are
  removed; a line without an operator continues the formula above it;
* the operator of a formula is the first of ``=~ <~ ~*~ ~~ ~ == < > := : | %`` that it contains;
* a term is ``[modifier*]name`` and the modifiers are those of lavaan: a number fixes the parameter
  (``1*x1``, ``-1*x2``, ``0*f2``), ``NA`` frees it (``NA*x1``, the usual way to free a first loading),
  a name or a quoted string labels it (``a*x2``; parameters sharing a label are constrained equal),
  ``equal("a")`` and ``label("a")`` do the same, ``start(0.5)`` and ``0.5?`` give a start value.
  The same variable named twice in one formula merges its modifiers (``NA*x1 + start(1)*x1``), as
  lavaan does;
* the defaults of ``cfa()``/``sem()``: the first loading of each factor fixed to 1, free residual
  variances and latent variances, free covariances among the exogenous latent variables and among
  the purely dependent ones, a single-indicator factor's residual variance fixed to 0, and
  ``fixed.x = TRUE``: the variances and covariances of observed exogenous predictors are fixed to
  their sample values (so they are neither estimated nor counted in the degrees of freedom).

Anything else is refused with a ``StatsInputError`` that names the term, rather than fitting a
different model than the one written: intercepts (``~ 1``), thresholds, formative ``<~`` factors,
explicit constraints (``==``, ``<``, ``>``), defined parameters (``:=``), blocks (``group:``),
interactions (``x1:x2``), bounds (``lower()``/``upper()``), ``prior()``, ``efa()``, ``rv()``,
``c(...)`` vectors (multiple groups) and chained modifiers on one term (``a*start(1)*x``, where
lavaan itself silently keeps only the label).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from carebridge.lib.stats.errors import StatsInputError

# lavaan checks the operators in this order (lavParseModelString).
OPERATORS = ("=~", "<~", "~*~", "~~", "~", "==", "<", ">", ":=", ":", "|", "%")
SUPPORTED = ("=~", "~", "~~")
REFUSED_OPERATORS = {
    "<~": "formative (composite) latent variables ('<~') are not supported",
    "~*~": "scaling factors ('~*~') are for ordinal data, which is not supported",
    "==": "explicit equality constraints ('==') are not supported; give the parameters one shared "
    "label instead (a*x2 + a*x3)",
    "<": "inequality constraints ('<') are not supported",
    ">": "inequality constraints ('>') are not supported",
    ":=": "defined parameters (':=') are not supported",
    ":": "blocks ('group:', 'level:') are not supported: models are single-group",
    "|": "thresholds ('|') are for ordinal data, which is not supported",
    "%": "the '%' operator is not supported",
}
REFUSED_MODIFIERS = {
    "lower": "bounds (lower()) are not supported",
    "upper": "bounds (upper()) are not supported",
    "prior": "priors (prior()) are for Bayesian estimation, which is not supported",
    "efa": "EFA blocks (efa()) are not supported",
    "rv": "rv() modifiers (random variables in multilevel models) are not supported",
    "c": "vectors of modifiers (c(...)) are for multiple groups, which are not supported",
}
_RESERVED = {"if", "else", "repeat", "while", "function", "for", "in", "next", "break", "TRUE",
             "FALSE", "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_"}  # fmt: skip
_NAME = re.compile(r"^(?:[^\W\d_]|\.(?![0-9]))[\w.]*$")
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_CALL = re.compile(r"^([A-Za-z_.][\w.]*)\((.*)\)$")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_START_SHORTHAND = re.compile(r"\(?(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\)?\?")


@dataclass(frozen=True)
class Modifier:
    """What ``modifier*`` says about one parameter."""

    fixed: float | None = None  # a number: the parameter is fixed to it
    free: bool = False  # NA: the parameter is free (even a first loading)
    start: float | None = None
    label: str = ""


@dataclass(frozen=True)
class Element:
    """One parameter written in the syntax (``lhs op rhs`` with its modifier)."""

    lhs: str
    op: str
    rhs: str
    modifier: Modifier
    formula: str


@dataclass(frozen=True)
class Parameter:
    """One row of lavaan's parameter table."""

    lhs: str
    op: str
    rhs: str
    user: bool  # written in the syntax (False: one of cfa()/sem()'s defaults)
    free: int  # 1-based index into the free parameter vector; 0 when fixed
    value: float | None  # fixed value, or start value of a free parameter (None: not given)
    label: str
    exo: bool  # a fixed.x variance/covariance, fixed to its sample value

    @property
    def name(self) -> str:
        return f"{self.lhs}{self.op}{self.rhs}"


@dataclass(frozen=True)
class LavaanModel:
    """A parsed model: the parameter table and lavaan's variable classes."""

    syntax: str
    parameters: tuple[Parameter, ...]
    observed: tuple[str, ...]  # lavaan's ov order: indicators, dependent, exogenous, others
    latent: tuple[str, ...]
    measurement: dict[str, list[str]]  # latent -> indicators (observed or latent), in order
    fixed_x: tuple[str, ...]  # observed exogenous predictors treated as fixed (fixed.x = TRUE)
    npar: int  # free parameters after equality constraints (lavaan's fitMeasures "npar")
    n_equality: int  # equality constraints from shared labels
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _refuse(what: str, formula: str) -> StatsInputError:
    return StatsInputError(f"Unsupported lavaan syntax in {formula!r}: {what}.")


def _formulas(syntax: str) -> list[str]:
    """Comments and blanks removed, ';' split, continuation lines joined (lavParseModelString)."""
    lines = []
    for raw in syntax.splitlines():
        for part in re.split(r"[#!]", raw, maxsplit=1)[0].split(";"):
            line = re.sub(r"\s+", "", part.replace("˜", "~"))
            if line:
                lines.append(line)
    formulas: list[str] = []
    for line in lines:
        masked = _QUOTED.sub("LABEL", line)
        if any(op in masked for op in OPERATORS):
            if line.startswith("+"):
                raise StatsInputError(f"A formula cannot start with '+': {line!r}.")
            formulas.append(line)
        elif formulas:
            formulas[-1] += line  # a formula spread over several lines
        else:
            raise StatsInputError(f"No lavaan operator (=~, ~, ~~) in the model line {line!r}.")
    if not formulas:
        raise StatsInputError("The model syntax is empty.")
    return formulas


def _check_name(name: str, formula: str, side: str) -> str:
    if ":" in name:
        what = f"interaction terms ({name!r}) are not supported; compute the product as a data column"
        raise _refuse(what, formula)
    if not _NAME.match(name) or name in _RESERVED:
        raise StatsInputError(f"Cannot read {name!r} as a variable name ({side} of {formula!r}).")
    return name


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses and quotes."""
    parts, depth, quote, current = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return parts


def _number(text: str, term: str, formula: str) -> float:
    if not _NUMBER.match(text):
        raise StatsInputError(f"Cannot read {text!r} as a number in the term {term!r} of {formula!r}.")
    return float(text)


def _string_argument(text: str, term: str, formula: str) -> str:
    inner = text.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "\"'":
        return inner[1:-1]
    if _NAME.match(inner):
        return inner
    raise StatsInputError(f"Cannot read the label {text!r} in the term {term!r} of {formula!r}.")


def _modifier(text: str, term: str, formula: str) -> Modifier:
    """One modifier (the part before '*')."""
    if text == "NA":
        return Modifier(free=True)
    if _NUMBER.match(text):
        return Modifier(fixed=float(text))
    call = _CALL.match(text)
    if call:
        func, argument = call.group(1), call.group(2)
        if func in REFUSED_MODIFIERS:
            raise _refuse(f"{REFUSED_MODIFIERS[func]} (term {term!r})", formula)
        if func == "start":
            return Modifier(start=_number(argument, term, formula))
        if func in ("equal", "label"):
            return Modifier(label=_string_argument(argument, term, formula))
        raise StatsInputError(f"Cannot read the modifier {text!r} in the term {term!r} of {formula!r}.")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return Modifier(label=text[1:-1])
    if _NAME.match(text) and text not in _RESERVED:
        return Modifier(label=text)
    raise StatsInputError(f"Cannot read the modifier {text!r} in the term {term!r} of {formula!r}.")


def _merge(a: Modifier, b: Modifier, term: str, formula: str) -> Modifier:
    """Modifiers of the same variable named twice in one formula (lavaan merges them)."""
    if (a.fixed is not None or a.free) and (b.fixed is not None or b.free):
        raise StatsInputError(f"Conflicting modifiers for {term!r} in {formula!r} (fixed twice).")
    if a.label and b.label and a.label != b.label:
        raise StatsInputError(f"Conflicting labels for {term!r} in {formula!r}.")
    if a.start is not None and b.start is not None:
        raise StatsInputError(f"Two start values for {term!r} in {formula!r}.")
    return Modifier(
        fixed=a.fixed if a.fixed is not None else b.fixed,
        free=a.free or b.free,
        start=a.start if a.start is not None else b.start,
        label=a.label or b.label,
    )


def _terms(rhs: str, op: str, formula: str) -> dict[str, Modifier]:
    """The right-hand side of a formula: variable name -> merged modifier, in order."""
    rhs = _START_SHORTHAND.sub(lambda m: f"start({m.group(1)})*", rhs)
    out: dict[str, Modifier] = {}
    for term in _split_top(rhs.removeprefix("+"), "+"):
        if not term:
            raise StatsInputError(f"An empty term (two '+' in a row or a trailing '+') in {formula!r}.")
        pieces = _split_top(term, "*")
        name = pieces[-1]
        if name in ("0", "1") or _NUMBER.match(name):
            what = "intercepts and means ('~ 1') are not supported (the models have no mean structure)"
            raise _refuse(what if op == "~" else f"a constant {name!r} is not a variable", formula)
        _check_name(name, formula, "right-hand side")
        if len(pieces) > 2:
            raise _refuse(
                f"the term {term!r} chains several modifiers, of which lavaan keeps only the label; "
                f"write one modifier per term instead ({' + '.join(p + '*' + name for p in pieces[:-1])})",
                formula,
            )
        modifier = _modifier(pieces[0], term, formula) if len(pieces) == 2 else Modifier()
        out[name] = _merge(out[name], modifier, term, formula) if name in out else modifier
    return out


def parse_elements(syntax: str) -> list[Element]:
    """The parameters written in the syntax, refusing what is not supported."""
    if not isinstance(syntax, str) or not syntax.strip():
        raise StatsInputError("The model syntax is empty.")
    elements: list[Element] = []
    seen: dict[tuple[str, str, str], str] = {}
    for formula in _formulas(syntax):
        masked = _QUOTED.sub(lambda m: "L" * len(m.group(0)), formula)
        op = next(o for o in OPERATORS if o in masked)
        if op not in SUPPORTED:
            raise _refuse(REFUSED_OPERATORS[op], formula)
        at = masked.index(op)
        lhs_text, rhs_text = formula[:at], formula[at + len(op) :]
        if not lhs_text or not rhs_text:
            raise StatsInputError(f"Incomplete model line: {formula!r}.")
        lefts = []
        for left in lhs_text.split("+"):
            if left.startswith("efa("):
                raise _refuse(f"{REFUSED_MODIFIERS['efa']} (term {left!r})", formula)
            if "*" in left or "(" in left:
                raise _refuse(f"modifiers on the left-hand side ({left!r}) are not supported", formula)
            lefts.append(_check_name(left, formula, "left-hand side"))
        terms = _terms(rhs_text, op, formula)
        for lhs in lefts:
            for rhs, modifier in terms.items():
                if op == "=~" and lhs == rhs:
                    raise StatsInputError(f"Latent variable {lhs!r} is measured by itself in {formula!r}.")
                if op == "~" and lhs == rhs:
                    raise StatsInputError(f"{lhs!r} is regressed on itself in {formula!r}.")
                key = (lhs, op, rhs)
                twin = (rhs, op, lhs) if op == "~~" else key
                if key in seen or twin in seen:
                    raise StatsInputError(f"Duplicate model element {lhs} {op} {rhs} in {formula!r}.")
                seen[key] = formula
                elements.append(Element(lhs, op, rhs, modifier, formula))
    return elements


# ---------------------------------------------------------------------------------------------
# The parameter table of cfa()/sem()


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


@dataclass
class _Row:
    lhs: str
    op: str
    rhs: str
    user: bool
    free: bool = True
    value: float | None = None
    label: str = ""
    exo: bool = False


@dataclass(frozen=True)
class _Variables:
    """lavaan's variable classes (lav_partable_vnames)."""

    lv: list[str]  # latent variables, in order of appearance
    ov: list[str]  # observed: indicators, dependent, predictors, then the rest
    ov_x: list[str]  # observed exogenous predictors kept fixed (fixed.x)
    ov_nox: list[str]
    lv_x: list[str]  # exogenous latent variables
    lvov_y: list[str]  # purely dependent variables (regressed on, predicting nothing)
    random_x: list[str]  # exogenous predictors the syntax gives a (co)variance, hence random


def _variables(elements: list[Element]) -> _Variables:
    def names(op: str, side: str) -> list[str]:
        return _unique([getattr(e, side) for e in elements if e.op == op])

    lv = names("=~", "lhs")
    v_ind, eqs_y, eqs_x = names("=~", "rhs"), names("~", "lhs"), names("~", "rhs")
    ov_ind = [v for v in v_ind if v not in lv]
    ov_y = [v for v in eqs_y if v not in lv and v not in ov_ind]
    ov_x_all = [v for v in eqs_x if v not in lv and v not in ov_ind and v not in ov_y]
    in_cov = names("~~", "lhs") + names("~~", "rhs")
    random_x = [v for v in ov_x_all if v in in_cov]
    ov_x = [v for v in ov_x_all if v not in random_x]
    ov = _unique(ov_ind + ov_y + ov_x_all + [v for v in in_cov if v not in lv])
    pure_y = [v for v in eqs_y if v not in v_ind and v not in eqs_x]
    return _Variables(
        lv=lv,
        ov=ov,
        ov_x=ov_x,
        ov_nox=[v for v in ov if v not in ov_x],
        lv_x=[v for v in lv if v not in v_ind and v not in eqs_y],
        lvov_y=[v for v in lv if v in pure_y] + [v for v in ov if v in pure_y and v not in lv],
        random_x=random_x,
    )


def _table(elements: list[Element], var: _Variables) -> tuple[list[_Row], list[tuple[_Row, Modifier]]]:
    """lav_partable_flat: the user's rows (covariances ordered as lav_partable_covariance_reorder
    does), then the defaults of cfa()/sem(), then the fixed.x block."""
    order = {name: i for i, name in enumerate(var.lv + var.ov)}
    user: list[tuple[_Row, Modifier]] = []
    for e in elements:
        lhs, rhs = e.lhs, e.rhs
        if e.op == "~~" and order[lhs] > order[rhs]:
            lhs, rhs = rhs, lhs
        user.append((_Row(lhs, e.op, rhs, user=True), e.modifier))
    defaults = [(v, v) for v in var.ov_nox] + [(v, v) for v in var.lv]
    defaults += list(combinations(var.lv_x, 2)) + list(combinations(var.lvov_y, 2))
    taken = {(r.lhs, r.rhs) for r, _ in user if r.op == "~~"}
    rows = [r for r, _ in user]
    rows += [_Row(a, "~~", b, user=False) for a, b in defaults if (a, b) not in taken]
    # fixed.x: the exogenous block, fixed to the sample values, in lavaan's order (x1~~x1, x1~~x2, x2~~x2)
    for j, a in enumerate(var.ov_x):
        rows += [_Row(a, "~~", b, user=False, free=False, exo=True) for b in var.ov_x[j:]]
    return rows, user


def _auto_fix(rows: list[_Row], lv: list[str]) -> None:
    """auto.fix.first (the first loading of every factor is 1) and auto.fix.single (the only
    indicator of a factor has no residual variance)."""
    for name in lv:
        first = next(r for r in rows if r.op == "=~" and r.lhs == name)
        first.free, first.value = False, 1.0
    loadings = [(r.lhs, r.rhs) for r in rows if r.op == "=~"]
    indicators = [rhs for _, rhs in loadings]
    for name in lv:
        own = [rhs for lhs, rhs in loadings if lhs == name]
        if len(own) == 1 and indicators.count(own[0]) == 1 and own[0] not in lv:
            for r in rows:
                if not r.user and r.op == "~~" and r.lhs == r.rhs == own[0]:
                    r.free, r.value = False, 0.0


def build_model(syntax: str) -> LavaanModel:
    """lavaanify(model, auto = TRUE, fixed.x = TRUE) as cfa()/sem() call it, single group, no mean
    structure."""
    elements = parse_elements(syntax)
    var = _variables(elements)
    if not var.lv and not any(e.op == "~" for e in elements):
        raise StatsInputError("The model defines no latent variable ('=~') and no regression ('~').")
    warnings: list[str] = []
    if var.random_x:
        warnings.append(
            f"The syntax gives a variance or covariance of the exogenous predictor(s) "
            f"{', '.join(var.random_x)}; they are treated as random (estimated), as lavaan does, "
            "instead of fixed to their sample values."
        )
    rows, user = _table(elements, var)
    _auto_fix(rows, var.lv)
    for row, modifier in user:  # the modifiers written in the syntax come last
        if modifier.fixed is not None:
            row.free, row.value = False, modifier.fixed
        elif modifier.free:
            row.free, row.value = True, None
        if modifier.start is not None:
            row.value = modifier.start
        row.label = modifier.label
    parameters, npar, n_equality = _number_parameters(rows, warnings)
    measurement: dict[str, list[str]] = {name: [] for name in var.lv}
    for r in rows:
        if r.op == "=~":
            measurement[r.lhs].append(r.rhs)
    return LavaanModel(
        syntax=syntax,
        parameters=parameters,
        observed=tuple(var.ov),
        latent=tuple(var.lv),
        measurement=measurement,
        fixed_x=tuple(var.ov_x),
        npar=npar,
        n_equality=n_equality,
        warnings=tuple(warnings),
    )


def _number_parameters(rows: list[_Row], warnings: list[str]) -> tuple[tuple[Parameter, ...], int, int]:
    """Equality by shared labels (lavaanify): a set with a fixed member is fixed to its value; the
    free members of a set share one free parameter. Returns the table, npar and the constraints."""
    names = [r.label or f"{r.lhs}{r.op}{r.rhs}" for r in rows]
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(name, []).append(i)
    n_equality = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        fixed = [i for i in members if not rows[i].free]
        if fixed:
            values = {rows[i].value for i in fixed}
            if len(values) > 1:
                warnings.append(
                    f"Parameters labelled {rows[fixed[0]].label!r} are fixed to different values; "
                    f"all use the first, {rows[fixed[0]].value:g}, as lavaan does."
                )
            for i in members:
                rows[i].free, rows[i].value = False, rows[fixed[0]].value
        else:
            n_equality += len(members) - 1
    index: dict[str, int] = {}
    out: list[Parameter] = []
    for row, name in zip(rows, names, strict=True):
        free = 0
        if row.free:
            free = index.setdefault(name, len(index) + 1)
        out.append(Parameter(row.lhs, row.op, row.rhs, row.user, free, row.value, row.label, row.exo))
    return tuple(out), len(index), n_equality
