"""Factor rotations, implemented here after the algorithms of ``stats::varimax``, ``psych::Promax``,
``psych::kaiser`` and ``GPArotation::GPFoblq`` (factor_analyzer is GPL and may not be used)."""

from __future__ import annotations

import numpy as np

from carebridge.lib.stats._threads import single_threaded
from carebridge.lib.stats.errors import StatsInputError


@single_threaded
def varimax(
    loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5
) -> tuple[np.ndarray, np.ndarray]:
    """Kaiser's varimax as R's ``stats::varimax``; returns (rotated loadings, rotation matrix)."""
    x = loadings.copy()
    p, nc = x.shape
    if nc < 2:
        return x, np.eye(nc)
    sc = np.sqrt((x**2).sum(axis=1)) if normalize else np.ones(p)
    x = x / sc[:, None]
    tt = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ tt
        b = x.T @ (z**3 - z @ np.diag((z**2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        tt = u @ vt
        d_past, d = d, float(s.sum())
        if d < d_past * (1 + eps):
            break
    return (x @ tt) * sc[:, None], tt


def promax(loadings: np.ndarray, *, m: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """psych::Promax: varimax, then a least-squares fit to the target L*|L|^(m-1); returns
    (pattern loadings, rotation matrix, factor correlations)."""
    x, rot = varimax(loadings)
    q = x * np.abs(x) ** (m - 1)
    u = np.linalg.lstsq(x, q, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u @ np.diag(np.sqrt(d))
    z = x @ u
    u = rot @ u
    ui = np.linalg.inv(u)
    return z, u, ui @ ui.T


def kaiser_promax(loadings: np.ndarray, *, m: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """psych::kaiser(f, rotate = "Promax"), what ``psych::fa(rotate = "promax")`` does: Promax of the
    rows scaled to unit length (Kaiser normalisation), then scaled back; returns (pattern loadings,
    rotation matrix, factor correlations)."""
    h = np.sqrt((loadings**2).sum(axis=1))
    pattern, rot, phi = promax(loadings / h[:, None], m=m)
    return pattern * h[:, None], rot, phi


def _quartimin(lam: np.ndarray) -> tuple[float, np.ndarray]:
    """GPArotation's vgQ.oblimin with gamma = 0: criterion and gradient."""
    k = lam.shape[1]
    x = (lam**2) @ (np.ones((k, k)) - np.eye(k))
    return float(np.sum(lam**2 * x) / 4.0), lam * x


@single_threaded
def oblimin(
    loadings: np.ndarray, *, eps: float = 1e-5, max_iter: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient-projection oblique rotation (Bernaards & Jennrich 2005, GPArotation::GPFoblq) with
    the quartimin criterion; returns (pattern loadings, factor correlations)."""
    a = loadings
    k = a.shape[1]
    tmat = np.eye(k)
    al = 1.0
    lam = a @ np.linalg.inv(tmat).T
    f, gq = _quartimin(lam)
    g = -(lam.T @ gq @ np.linalg.inv(tmat)).T
    for _ in range(max_iter):
        gp = g - tmat @ np.diag(np.sum(tmat * g, axis=0))
        s = float(np.sqrt(np.sum(gp**2)))
        if s < eps:
            break
        al *= 2.0
        for _ in range(11):
            x = tmat - al * gp
            tmatt = x / np.sqrt(np.sum(x**2, axis=0))
            lam_t = a @ np.linalg.inv(tmatt).T
            ft, gq_t = _quartimin(lam_t)
            if f - ft > 0.5 * s**2 * al:
                break
            al /= 2.0
        tmat, f, lam = tmatt, ft, lam_t
        g = -(lam.T @ gq_t @ np.linalg.inv(tmat)).T
    else:
        raise StatsInputError("Oblimin rotation did not converge in 1000 iterations.")
    return lam, tmat.T @ tmat
