"""Maximum likelihood estimation of a lavaan parameter table from the sample covariance matrix.

The model is written in RAM form (McArdle & McDonald 1984): every variable, observed or latent, is a
row of the asymmetric path matrix A (``x =~ ...`` loadings and ``~`` regressions) and of the
symmetric matrix S ((residual) variances and covariances), so that the covariance matrix of all
variables is B S Bᵀ with B = (I − A)⁻¹ and the model-implied covariance of the observed ones is its
top-left block Σ.

The discrepancy is lavaan's ML one, F = log|Σ| + tr(SΣ⁻¹) − log|S| − p (lavaan's ``fmin`` is F/2 and
χ² = N·F with the N-divisor S), minimised by Fisher scoring: the analytic gradient
∂F/∂A = 2 C S Bᵀ, ∂F/∂S = C with C = Bᵀ Fᵀ W F B and W = Σ⁻¹(Σ − S)Σ⁻¹, and the expected Hessian
2·I(θ), with I(θ)ᵢⱼ = ½ tr(Σ⁻¹ ∂Σ/∂θᵢ Σ⁻¹ ∂Σ/∂θⱼ) the expected information of one observation.
The same information (times N, lavaan's ``information = "expected"`` for ML) gives the standard
errors. Parameters sharing a label are one free parameter, which is what lavaan's equality
constraints amount to. Everything costs O(q³) per iteration for q variables, whatever N.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.lavaan_syntax import LavaanModel

STEP_TOLERANCE = 1e-9  # converged when a scoring step moves no parameter by more (relative to max(1, |θ|))
DECREASE_TOLERANCE = 1e-14  # ... or would lower F by less than this times p (F, a sum of p-sized terms, is
# only resolved to about that: F = log|Σ| + tr(SΣ⁻¹) − log|S| − p)
GRADIENT_TOLERANCE = 1e-9  # the gradient BFGS polishes to if scoring has not converged
MAX_ITERATIONS = 500


@dataclass(frozen=True)
class MLFit:
    """The optimum: free parameters, implied covariances and the standard errors."""

    theta: np.ndarray  # free parameters, lavaan's order (Parameter.free - 1)
    sigma: np.ndarray  # model-implied covariance of the observed variables (p x p)
    sigma_all: np.ndarray  # implied covariance of all variables, observed then latent (q x q)
    s_matrix: np.ndarray  # the fitted S (variances/covariances of residuals and exogenous variables)
    a_matrix: np.ndarray  # the fitted A (loadings and regressions; a_matrix[to, from])
    f_ml: float
    vcov: np.ndarray  # covariance matrix of theta (expected information, N)
    iterations: int


def _columns(entries: list[tuple[int, int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, columns, parameter indices) of the free cells of a matrix."""
    table = np.array(entries, dtype=int).reshape(-1, 3)
    return table[:, 0], table[:, 1], table[:, 2]


class RamModel:
    """A parameter table as RAM matrices over ``names`` (observed first, then latent)."""

    def __init__(self, model: LavaanModel, observed: list[str], s: np.ndarray, n: int) -> None:
        self.model = model
        self.n_obs = n
        self.names = list(observed) + list(model.latent)
        self.p, self.q = len(observed), len(self.names)
        self.s = s
        self.npar = model.npar
        index = {name: i for i, name in enumerate(self.names)}
        self.a0 = np.zeros((self.q, self.q))
        self.s0 = np.zeros((self.q, self.q))
        a_entries: list[tuple[int, int, int]] = []
        s_entries: list[tuple[int, int, int]] = []
        for prm in model.parameters:
            i, j = index[prm.lhs], index[prm.rhs]
            if prm.op == "=~":
                cell, target, entries = (j, i), self.a0, a_entries  # the indicator depends on the factor
            elif prm.op == "~":
                cell, target, entries = (i, j), self.a0, a_entries
            else:
                cell, target, entries = (i, j), self.s0, s_entries
            value = s[i, j] if prm.exo else (prm.value or 0.0)
            cells = [cell] if prm.op != "~~" or i == j else [cell, cell[::-1]]
            for r, c in cells:
                if prm.free:
                    entries.append((r, c, prm.free - 1))
                else:
                    target[r, c] = value
        self.a_rows, self.a_cols, self.a_par = _columns(a_entries)
        self.s_rows, self.s_cols, self.s_par = _columns(s_entries)
        # which free parameter each free cell belongs to (shared labels: one parameter, several cells)
        self.a_incidence = (np.arange(self.npar)[:, None] == self.a_par[None, :]).astype(float)
        self.s_incidence = (np.arange(self.npar)[:, None] == self.s_par[None, :]).astype(float)
        self.logdet_s = float(np.linalg.slogdet(s)[1])

    # -- the model ----------------------------------------------------------------------------

    def matrices(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(A, S, B = (I - A)^-1) at theta."""
        a = self.a0.copy()
        a[self.a_rows, self.a_cols] = theta[self.a_par]
        s = self.s0.copy()
        s[self.s_rows, self.s_cols] = theta[self.s_par]
        b = np.linalg.inv(np.eye(self.q) - a)
        return a, s, b

    def implied(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(Σ of the observed variables, covariance of all variables)."""
        _, s, b = self.matrices(theta)
        full = b @ s @ b.T
        return full[: self.p, : self.p], full

    def objective(self, theta: np.ndarray) -> float:
        """F_ML, or +inf where Σ is not positive definite."""
        try:
            sigma = self.implied(theta)[0]
            chol = np.linalg.cholesky(sigma)
        except np.linalg.LinAlgError:
            return float("inf")
        inv_chol = np.linalg.inv(chol)
        trace = float(np.sum((inv_chol @ self.s) * inv_chol))  # tr(L⁻¹ S L⁻ᵀ)
        return 2.0 * float(np.sum(np.log(np.diag(chol)))) + trace - self.logdet_s - self.p

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        _, s, b = self.matrices(theta)
        fb = b[: self.p]
        sigma = fb @ s @ fb.T
        inv = np.linalg.inv(sigma)
        w = inv @ (sigma - self.s) @ inv
        c = fb.T @ w @ fb
        grad_a = 2.0 * c @ s @ b.T
        g = np.zeros(self.npar)
        np.add.at(g, self.a_par, grad_a[self.a_rows, self.a_cols])
        np.add.at(g, self.s_par, c[self.s_rows, self.s_cols])
        return g

    def information(self, theta: np.ndarray) -> np.ndarray:
        """Expected information of one observation, ½ Δᵀ(Σ⁻¹ ⊗ Σ⁻¹)Δ, Δ = ∂vec Σ/∂θ."""
        _, s, b = self.matrices(theta)
        fb = b[: self.p]
        h = (b @ s @ b.T)[:, : self.p]  # B S Bᵀ Fᵀ
        sigma = h[: self.p]
        inv_chol = np.linalg.inv(np.linalg.cholesky(sigma))
        left = inv_chol @ fb  # L⁻¹ F B
        right = inv_chol @ h.T  # L⁻¹ Σ_full[:p, :]
        p = self.p
        flat = np.zeros((self.npar, p * p))
        if self.a_par.size:  # a cell of A moves Σ by (FB)_{:,row} H_{col,:} + its transpose
            d = np.einsum("ie,je->eij", left[:, self.a_rows], right[:, self.a_cols])
            flat += self.a_incidence @ (d + d.transpose(0, 2, 1)).reshape(-1, p * p)
        if self.s_par.size:  # a cell of S by (FB)_{:,row} (FB)_{:,col}ᵀ
            d = np.einsum("ie,je->eij", left[:, self.s_rows], left[:, self.s_cols])
            flat += self.s_incidence @ d.reshape(-1, p * p)
        return np.asarray(0.5 * flat @ flat.T)

    # -- estimation ---------------------------------------------------------------------------

    def start(self) -> np.ndarray:
        """Start values: the user's, else a one-factor principal axis per factor for loadings and
        factor variances, half the observed variance for residual variances (lavaan's choice), 0 for
        regressions and covariances."""
        theta = np.full(self.npar, np.nan)
        given = {p.free - 1: p.value for p in self.model.parameters if p.free and p.value is not None}
        index = {name: i for i, name in enumerate(self.names)}
        lv_var: dict[str, float] = {}
        loading: dict[tuple[str, str], float] = {}
        for f, inds in self.model.measurement.items():
            obs = [x for x in inds if x in index and index[x] < self.p]
            if not obs:
                continue
            block = self.s[np.ix_([index[x] for x in obs], [index[x] for x in obs])]
            values, vectors = np.linalg.eigh(block)
            lam = vectors[:, -1] * np.sqrt(max(values[-1], 1e-8))
            lam = lam if lam.sum() >= 0 else -lam
            scale, var = 1.0, 1.0
            rows = {prm.rhs: prm for prm in self.model.parameters if prm.op == "=~" and prm.lhs == f}
            marker = next((k for k, x in enumerate(obs) if not rows[x].free and rows[x].value), None)
            variance = next((p for p in self.model.parameters if p.op == "~~" and p.lhs == p.rhs == f), None)
            if marker is not None and abs(lam[marker]) > 1e-8:
                scale = float(rows[obs[marker]].value or 1.0) / lam[marker]
                var = 1.0 / scale**2
            elif variance is not None and not variance.free and (variance.value or 0) > 0:
                var = float(variance.value or 1.0)
                scale = 1.0 / np.sqrt(var)
            lv_var[f] = var
            loading.update({(f, x): float(lam[k] * scale) for k, x in enumerate(obs)})
        for prm in self.model.parameters:
            k = prm.free - 1
            if k < 0 or not np.isnan(theta[k]):
                continue
            if k in given:
                theta[k] = given[k]
            elif prm.op == "=~":
                theta[k] = loading.get((prm.lhs, prm.rhs), 1.0)
            elif prm.op == "~~" and prm.lhs == prm.rhs:
                i = index[prm.lhs]
                theta[k] = 0.5 * self.s[i, i] if i < self.p else lv_var.get(prm.lhs, 0.05)
            else:
                theta[k] = 0.0
        return theta

    def fit(self) -> MLFit:
        theta = self.start()
        variances = np.unique(self.s_par[self.s_rows == self.s_cols])
        for _ in range(30):  # e.g. a covariance fixed above what the start variances allow
            if np.isfinite(self.objective(theta)):
                break
            theta[variances] = np.abs(theta[variances]) * 2.0 + 0.01
        f = self.objective(theta)
        if not np.isfinite(f):
            raise StatsInputError("The start values give a covariance matrix that is not positive definite.")
        theta, f, g, iterations = self._optimize(theta, f)
        info = self.information(theta)
        eigen = np.linalg.eigvalsh(info)
        if eigen.min() <= max(abs(eigen.max()), 1.0) * 1e-10:
            raise StatsInputError(
                "The model is not identified (the information matrix is singular); "
                "fix a loading or a variance to set each latent variable's scale."
            )
        if not np.all(np.isfinite(theta)) or np.max(np.abs(g)) > 1e-4:
            raise StatsInputError("The model did not converge (the likelihood has no clear optimum).")
        a, s_mat, b = self.matrices(theta)
        full = b @ s_mat @ b.T
        return MLFit(
            theta=theta,
            sigma=full[: self.p, : self.p],
            sigma_all=full,
            s_matrix=s_mat,
            a_matrix=a,
            f_ml=f,
            vcov=np.asarray(np.linalg.inv(info)) / self.n_obs,
            iterations=iterations,
        )

    def _optimize(self, theta: np.ndarray, f: float) -> tuple[np.ndarray, float, np.ndarray, int]:
        """Fisher scoring with a backtracking line search: robust far from the optimum, and fast
        near it when the model fits. Near the optimum of a misfitting model scoring converges only
        linearly, so where its steps shrink slowly it takes Newton steps on the observed Hessian
        (finite differences of the analytic gradient) instead. Converged when the scoring step
        moves no parameter by more than STEP_TOLERANCE (relative to max(1, |θ|)) or would lower F by
        less than it can resolve (DECREASE_TOLERANCE · p)."""
        g = self.gradient(theta)
        previous = float("inf")
        for iteration in range(1, MAX_ITERATIONS + 1):
            information = 2.0 * self.information(theta)
            try:
                scoring = np.linalg.solve(information, -g)
            except np.linalg.LinAlgError:
                # Singular here, e.g. at the start, where every path is 0 and a two-indicator factor
                # is locally unidentified: take the minimum-norm step (F is flat along the null
                # space). Whether the model is identified is judged at the optimum, by fit().
                scoring = np.linalg.lstsq(information, -g, rcond=None)[0]
            size = float(np.max(np.abs(scoring) / np.maximum(np.abs(theta), 1.0)))
            decrease = -float(g @ scoring)
            if not np.isfinite(size) or size < STEP_TOLERANCE or 0 <= decrease < DECREASE_TOLERANCE * self.p:
                return theta, f, g, iteration
            step = scoring
            if size < 1e-3 and size > 0.3 * previous:  # scoring crawls: Newton
                newton = np.linalg.lstsq(self._hessian(theta, g), -g, rcond=None)[0]
                step = newton if float(g @ newton) < 0 else scoring
            previous = size
            slope = float(g @ step)
            if slope >= 0:
                step, slope = -g, -float(g @ g)
            for _ in range(40):
                trial = theta + step
                f_trial = self.objective(trial)
                if f_trial <= f + 1e-4 * slope:
                    break
                step, slope = step / 2.0, slope / 2.0
            else:
                return theta, f, g, iteration  # F cannot be lowered along the step: converged or stuck
            theta, f = trial, f_trial
            g = self.gradient(theta)
        theta, f, g = self._polish(theta)
        return theta, f, g, MAX_ITERATIONS

    def _hessian(self, theta: np.ndarray, g: np.ndarray) -> np.ndarray:
        """∂²F/∂θ² by forward differences of the analytic gradient."""
        h = 1e-6 * np.maximum(np.abs(theta), 1.0)
        hess = np.empty((self.npar, self.npar))
        for k in range(self.npar):
            step = theta.copy()
            step[k] += h[k]
            hess[:, k] = (self.gradient(step) - g) / h[k]
        return np.asarray(0.5 * (hess + hess.T))

    def _polish(self, theta: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        """BFGS with the analytic gradient where Fisher scoring stalls (a hard, near-boundary case)."""
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = optimize.minimize(
                self.objective, theta, jac=self.gradient, method="BFGS",
                options={"maxiter": 5000, "gtol": GRADIENT_TOLERANCE},
            )  # fmt: skip
        x = np.asarray(res.x)
        return x, self.objective(x), self.gradient(x)


def fit_ml(model: LavaanModel, observed: list[str], s: np.ndarray, n: int) -> tuple[RamModel, MLFit]:
    """Fit ``model`` to the N-divisor covariance matrix ``s`` of ``observed`` from ``n`` rows."""
    ram = RamModel(model, observed, s, n)
    return ram, ram.fit()
