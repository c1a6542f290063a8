""""Buy till you die" models for customer lifetime value, in numpy/scipy.

- BG/NBD (Fader, Hardie and Lee 2005): while alive a customer buys as a Poisson process with rate
  lambda ~ Gamma(r, alpha); after each purchase they drop out with probability p ~ Beta(a, b).
- Gamma-Gamma (Fader, Hardie and Lee 2005b): the value of a customer's repeat purchases is
  Gamma(p, nu) with nu ~ Gamma(q, v), independent of how often they buy.

The formulas are those of the Lifetimes package (``BetaGeoFitter``, ``GammaGammaFitter``,
``utils._customer_lifetime_value``), so results agree with it to optimiser precision. Fits are
maximum likelihood with L-BFGS-B on log parameters and analytic gradients, over rows weighted by
how many customers share them: a million customers collapse to the distinct (frequency, recency,
T) rows, which is what makes the fit take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special
from threadpoolctl import threadpool_limits

#: Lifetimes' conversion of a month into the model's time unit (its ``freq`` argument)
PERIODS_PER_MONTH = {"day": 30.0, "week": 4.345, "month": 1.0}
#: a fit has converged when no log-parameter moves the mean log-likelihood by more than this per unit
GRADIENT_TOLERANCE = 1e-5


@dataclass
class Fit:
    """A fitted model: parameters by name, total log-likelihood, customers it was fitted on."""

    params: dict[str, float]
    log_likelihood: float
    customers: int
    converged: bool
    message: str


def _dot(a, b) -> float:
    """Sum of a * b. Not ``a @ b``: OpenBLAS spreads a long dot product over threads, which on a
    busy machine made each likelihood evaluation twenty times slower."""
    return float(np.sum(a * b))


def _minimise(neg_ll, x0: np.ndarray) -> optimize.OptimizeResult:
    """Minimise a (value, gradient) function of log parameters to a tight tolerance."""
    # four parameters: BLAS threads only add hand-offs, which a busy machine makes costly
    with threadpool_limits(1, user_api="blas"):
        res = optimize.minimize(neg_ll, x0, jac=True, method="L-BFGS-B", bounds=[(-25.0, 25.0)] * len(x0),
                                options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 2000, "maxcor": 20})
    # at such a tight tolerance the line search can stall in rounding noise right at the optimum:
    # what matters is that the gradient (of the mean log-likelihood) vanishes there
    res.success = bool(res.success or np.max(np.abs(res.jac)) < GRADIENT_TOLERANCE)
    if res.success:
        _polish(neg_ll, res)
    return res


def _polish(neg_ll, res, steps: int = 4, h: float = 1e-4) -> None:
    """Newton steps from where L-BFGS stopped (the Hessian by central differences of the analytic
    gradient), kept while the gradient shrinks. L-BFGS stops anywhere the gradient is small, and
    along the flat ridge of a model whose parameters trade off (Gamma-Gamma's q near 1) that leaves
    the parameters some 1e-6 apart when the same sums are added in another order (another engine);
    Newton lands both on the optimum itself."""
    x, grad = res.x.copy(), np.asarray(res.jac, float)
    for _ in range(steps):
        n = len(x)
        hess = np.empty((n, n))
        for i in range(n):
            e = np.zeros(n)
            e[i] = h
            hess[:, i] = (neg_ll(x + e)[1] - neg_ll(x - e)[1]) / (2 * h)
        hess = (hess + hess.T) / 2
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return
        if not np.all(np.isfinite(step)) or np.max(np.abs(step)) > 1.0:
            return
        trial = np.clip(x - step, -25.0, 25.0)
        value, new_grad = neg_ll(trial)
        if not np.isfinite(value) or np.max(np.abs(new_grad)) >= np.max(np.abs(grad)):
            return
        x, grad = trial, np.asarray(new_grad, float)
        res.x, res.jac, res.fun = x, grad, value
        if np.max(np.abs(grad)) < 1e-13:
            return


def collapse(*columns):
    """Identical rows of ``columns`` (equal-length arrays) as (distinct rows, how many customers
    share each, the row of each customer): fit and score once per distinct row. Non-negative
    whole numbers (the summary's frequency, recency and T) pack into one integer key, one sort;
    anything else takes a lexsort (np.unique(axis=...) copies into a structured array, slower)."""
    cols = [np.asarray(c, float) for c in columns]
    spans = [c.max() + 1 if len(c) else 1 for c in cols]
    whole = all(len(c) == 0 or (c.min() >= 0 and np.all(c == np.floor(c))) for c in cols)
    if whole and np.prod(spans, dtype=float) < 2 ** 62:
        key = np.zeros(len(cols[0]), np.int64)
        for c, span in zip(cols, spans):
            key = key * int(span) + c.astype(np.int64)
        order = np.argsort(key, kind="stable")
        starts = np.ones(len(order), bool)
        starts[1:] = np.diff(key[order]) != 0
    else:
        order = np.lexsort(cols[::-1])
        starts = np.ones(len(order), bool)
        starts[1:] = np.any([np.diff(c[order]) != 0 for c in cols], axis=0)
    group = np.cumsum(starts) - 1
    inverse = np.empty(len(order), np.int64)
    inverse[order] = group
    firsts = order[starts]
    return [c[firsts] for c in cols], np.bincount(group), inverse


# ------------------------------------------------------------------------------------------ BG/NBD
class _Values:
    """An array as its distinct values and where each row's value is: a transcendental function
    of a parameter and the value is then evaluated once per distinct value (a few hundred) rather
    than once per row (up to a million), and gathered."""

    def __init__(self, values):
        self.full = np.asarray(values, float)
        self.unique, self.index = np.unique(self.full, return_inverse=True)

    def map(self, f):
        return f(self.unique)[self.index]


def bgnbd_log_likelihood(params, x, t_x, T, weights=None, gradient: bool = False):
    """Per-row BG/NBD log-likelihood (Lifetimes' formula); with ``gradient`` also the weighted
    total's gradient with respect to (r, alpha, a, b)."""
    rows = tuple(v if isinstance(v, _Values) else _Values(v) for v in (x, t_x, T))
    return _bgnbd(params, *rows, weights, gradient)


def _bgnbd(params, vx: _Values, vt: _Values, vT: _Values, weights, gradient: bool):
    """The likelihood as log(A + B) = log A + softplus(log B - log A): one exp-like function per
    row (two with the gradient), and every function of x alone evaluated per distinct x."""
    r, alpha, a, b = params
    x = vx.full
    rx = r + x
    la_T, la_t = vT.map(lambda u: np.log(alpha + u)), vt.map(lambda u: np.log(alpha + u))
    # log of the "dropped out after the last purchase" term over the "still alive" term
    d = np.where(x > 0, vx.map(lambda u: np.log(a) - np.log(b + np.maximum(u, 1) - 1)) - rx * (la_t - la_T), -np.inf)
    ll = (vx.map(lambda u: special.gammaln(r + u) + special.gammaln(b + u) - special.gammaln(a + b + u))
          - special.gammaln(r) + r * np.log(alpha) + special.gammaln(a + b) - special.gammaln(b)
          - rx * la_T + np.logaddexp(0, d))
    if not gradient:
        return ll
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    total = w.sum()
    wx = np.bincount(vx.index, w, len(vx.unique))  # weight per distinct x
    ux = vx.unique
    wp = w * special.expit(d)  # weight of the dropped-out term
    wpx = np.bincount(vx.index, wp, len(ux))
    inv_T, inv_t = vT.map(lambda u: 1 / (alpha + u)), vt.map(lambda u: 1 / (alpha + u))
    psi_ab, psi_abx = special.digamma(a + b), special.digamma(a + b + ux)
    d_r = (_dot(wx, special.digamma(r + ux)) + total * (np.log(alpha) - special.digamma(r))
           - _dot(w, la_T) - _dot(wp, la_t - la_T))
    d_alpha = total * r / alpha - _dot(w * rx, inv_T) - _dot(wp * rx, inv_t - inv_T)
    d_a = _dot(wx, psi_ab - psi_abx) + wp.sum() / a
    d_b = (_dot(wx, psi_ab + special.digamma(b + ux) - special.digamma(b) - psi_abx)
           - _dot(wpx, 1.0 / (b + np.maximum(ux, 1) - 1)))
    return ll, np.array([d_r, d_alpha, d_a, d_b])


def fit_bgnbd(x, t_x, T, weights=None) -> Fit:
    """Maximum-likelihood BG/NBD parameters (r, alpha, a, b). Time is rescaled so that the longest
    T is 10 while fitting (as Lifetimes does), which keeps the optimiser well conditioned."""
    x, t_x, T = (np.asarray(v, float) for v in (x, t_x, T))
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    scale = 10.0 / T.max()
    rows = _Values(x), _Values(t_x * scale), _Values(T * scale)
    n = w.sum()

    def neg(log_params):
        params = np.exp(log_params)
        ll, grad = _bgnbd(params, *rows, w, gradient=True)
        return -_dot(w, ll) / n, -(grad * params) / n

    res = _minimise(neg, np.zeros(4))
    r, alpha, a, b = np.exp(res.x)
    params = {"r": r, "alpha": alpha / scale, "a": a, "b": b}
    ll = _dot(w, _bgnbd(list(params.values()), rows[0], _Values(t_x), _Values(T), None, False))
    return Fit(params, ll, int(n), bool(res.success), str(res.message))


def expected_purchases(params, t, x, t_x, T):
    """Expected purchases in the next ``t`` periods (a number) of a customer with frequency ``x``,
    recency ``t_x`` and age ``T`` (Lifetimes' conditional_expected_number_of_purchases_up_to_time)."""
    return _expected_purchases(params, [t], x, t_x, T)[0]


def _expected_purchases(params, ts, x, t_x, T) -> list:
    """expected_purchases for several horizons ``ts``. The costly hypergeometric term depends on
    (x, T) only: it is evaluated once per distinct pair and horizon."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = np.broadcast_arrays(*(np.asarray(v, float) for v in (x, t_x, T)))
    (ux, uT), _, where = collapse(x.ravel(), T.ravel())
    first = (a + b + x - 1) / (a - 1)
    denominator = 1 + (x > 0) * (a / (b + x - 1)) * ((alpha + T) / (alpha + t_x)) ** (r + x)
    _a, _b, _c = r + ux, b + ux, a + b + ux - 1
    out = []
    for t in ts:
        t = float(t)
        if t == 0:
            out.append(np.zeros(x.shape))
            continue
        z = t / (alpha + uT + t)
        with np.errstate(divide="ignore", invalid="ignore"):
            hyp = np.log(special.hyp2f1(_a, _b, _c, z))
            alt = np.log(special.hyp2f1(_c - _a, _c - _b, _c, z)) + (_c - _a - _b) * np.log(1 - z)
        hyp = np.where(np.isinf(hyp), alt, hyp)
        second = 1 - np.exp(hyp + (r + ux) * np.log((alpha + uT) / (alpha + t + uT)))
        out.append(first * second[where.ravel()].reshape(x.shape) / denominator)
    return out


def probability_alive(params, x, t_x, T):
    """Probability that a customer with history (x, t_x, T) has not dropped out."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    x, t_x, T = np.asarray(x, float), np.asarray(t_x, float), np.asarray(T, float)
    log_div = (r + x) * np.log((alpha + T) / (alpha + t_x)) + np.log(a / (b + np.maximum(x, 1) - 1))
    return np.where(x == 0, 1.0, special.expit(-log_div))


# ------------------------------------------------------------------------------------- Gamma-Gamma
def gamma_gamma_log_likelihood(params, x, m, weights=None, gradient: bool = False):
    """Per-row Gamma-Gamma log-likelihood of mean repeat spend ``m`` over ``x`` repeat purchases;
    with ``gradient`` also the weighted total's gradient with respect to (p, q, v)."""
    m = np.asarray(m, float)
    return _gamma_gamma(params, _Values(x), m, np.log(m), weights, gradient)


def _gamma_gamma(params, vx: _Values, m, log_m, weights, gradient: bool):
    """Every function of x alone evaluated per distinct x; per row only log(x m + v)."""
    p, q, v = params
    x, ux = vx.full, vx.unique
    xm_v = x * m + v
    log_xm_v = np.log(xm_v)
    ll = (vx.map(lambda u: special.gammaln(p * u + q) - special.gammaln(p * u) + p * u * np.log(u))
          - special.gammaln(q) + q * np.log(v) + (p * x - 1) * log_m - (p * x + q) * log_xm_v)
    if not gradient:
        return ll
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    total, wx = w.sum(), np.bincount(vx.index, w, len(ux))
    psi = special.digamma(p * ux + q)
    wxm = w * x
    d_p = _dot(wx * ux, psi - special.digamma(p * ux) + np.log(ux)) + _dot(wxm, log_m - log_xm_v)
    d_q = _dot(wx, psi) + total * (np.log(v) - special.digamma(q)) - _dot(w, log_xm_v)
    d_v = total * q / v - _dot(p * wxm + q * w, 1 / xm_v)
    return ll, np.array([d_p, d_q, d_v])


def fit_gamma_gamma(x, m, weights=None) -> Fit:
    """Maximum-likelihood Gamma-Gamma parameters (p, q, v) over repeat buyers (x > 0, m > 0)."""
    x, m = np.asarray(x, float), np.asarray(m, float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, float)
    n = w.sum()
    scale = 1.0 / np.average(m, weights=w)  # spend in units of its mean while fitting
    vx, sm = _Values(x), m * scale
    log_sm = np.log(sm)

    def neg(log_params):
        params = np.exp(log_params)
        ll, grad = _gamma_gamma(params, vx, sm, log_sm, w, gradient=True)
        return -_dot(w, ll) / n, -(grad * params) / n

    res = _minimise(neg, np.array([0.0, np.log(2.0), 0.0]))
    p, q, v = np.exp(res.x)
    params = {"p": p, "q": q, "v": v / scale}
    ll = _dot(w, _gamma_gamma(list(params.values()), vx, m, np.log(m), None, False))
    return Fit(params, ll, int(n), bool(res.success), str(res.message))


def expected_average_spend(params, x, m):
    """Expected value of a customer's future purchases given x repeat purchases of mean value m:
    a weighted mean of their own average and the population's (Lifetimes'
    conditional_expected_average_profit)."""
    p, q, v = (params[k] for k in ("p", "q", "v"))
    x, m = np.asarray(x, float), np.asarray(m, float)
    weight = p * x / (p * x + q - 1)
    return (1 - weight) * (v * p / (q - 1)) + weight * m


# --------------------------------------------------------------------------------------------- CLV
def discounted_clv(params, x, t_x, T, spend, months: int, unit: str, monthly_discount: float):
    """Value of the purchases expected in each of the next ``months`` months, times ``spend`` per
    purchase, discounted at ``monthly_discount`` per month (Lifetimes' customer_lifetime_value)."""
    factor = PERIODS_PER_MONTH[unit]
    upto = _expected_purchases(params, [month * factor for month in range(months + 1)], x, t_x, T)
    return sum(spend * (upto[month] - upto[month - 1]) / (1 + monthly_discount) ** month
               for month in range(1, months + 1))


def fit_gamma_gamma_by_sums(xs, counts, mean_m: float, sum_log_m: float, sum_x_log_m: float, sums) -> Fit:
    """``fit_gamma_gamma`` over repeat buyers whose rows stay where they are (an engine other than
    DuckDB): the likelihood and its gradient need, per row, only log(x m + v) and 1 / (x m + v),
    so each evaluation asks ``sums(scale, v)`` for (sum log(x m scale + v), sum x log(x m scale + v),
    sum 1 / (x m scale + v), sum x / (x m scale + v)) over the rows (one aggregate query), and
    everything of x alone comes from its distinct values ``xs`` and how many rows have each
    (``counts``); ``mean_m``, ``sum_log_m`` and ``sum_x_log_m`` are the rows' own sums. The same
    maximum as ``fit_gamma_gamma`` on the rows (the sums are added in another order)."""
    ux, wx = np.asarray(xs, float), np.asarray(counts, float)
    n = wx.sum()
    scale = 1.0 / mean_m
    # in units of the mean spend: log(m scale) = log m + log scale
    s_log, s_xlog = sum_log_m + n * np.log(scale), sum_x_log_m + _dot(wx, ux) * np.log(scale)
    cache: dict = {}

    def at(params, scale_, s_log_, s_xlog_):
        p, q, v = params
        key = (scale_, float(v))
        if key not in cache:
            cache[key] = tuple(float(s) for s in sums(scale_, float(v)))
        a0, a1, b0, b1 = cache[key]
        g = special.gammaln(p * ux + q) - special.gammaln(p * ux) + p * ux * np.log(ux)
        ll = _dot(wx, g) + n * (q * np.log(v) - special.gammaln(q)) + p * s_xlog_ - s_log_ - p * a1 - q * a0
        psi = special.digamma(p * ux + q)
        d_p = _dot(wx * ux, psi - special.digamma(p * ux) + np.log(ux)) + s_xlog_ - a1
        d_q = _dot(wx, psi) + n * (np.log(v) - special.digamma(q)) - a0
        d_v = n * q / v - (p * b1 + q * b0)
        return ll, np.array([d_p, d_q, d_v])

    def neg(log_params):
        params = np.exp(log_params)
        ll, grad = at(params, scale, s_log, s_xlog)
        return -ll / n, -(grad * params) / n

    res = _minimise(neg, np.array([0.0, np.log(2.0), 0.0]))
    p, q, v = np.exp(res.x)
    params = {"p": p, "q": q, "v": v / scale}
    ll = at(list(params.values()), 1.0, sum_log_m, sum_x_log_m)[0]
    return Fit(params, ll, int(n), bool(res.success), str(res.message))
