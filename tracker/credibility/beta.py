"""The Beta posterior behind every score: pure maths, no Django (checked against scipy in tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

INTERVAL = 0.90


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, by the modified Lentz method."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            delta = d * c
            h *= delta
        if abs(delta - 1.0) < eps:
            return h
    raise ArithmeticError(f"the incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_incomplete_beta(*, x: float, a: float, b: float) -> float:
    """I_x(a, b): the cumulative distribution function of Beta(a, b) at x."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast below the mean; above it, by symmetry I_x(a,b) = 1 - I_1-x(b,a).
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(*, p: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = p, by bisection of [0, 1].

    The CDF is increasing, so halving the bracket cannot fail; each step first tries a Newton
    step (CDF over density) and takes it when it lands inside the bracket, which cuts ~40
    halvings to a handful without giving up the guarantee.
    """
    lo, hi = 0.0, 1.0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    x = a / (a + b)
    for _ in range(200):
        error = regularized_incomplete_beta(x=x, a=a, b=b) - p
        if abs(error) < 1e-14:
            break
        if error < 0:
            lo = x
        else:
            hi = x
        if hi - lo < 1e-13:
            break
        density = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta)
        newton = x - error / density if density > 0.0 else lo
        x = newton if lo < newton < hi else (lo + hi) / 2.0
    return x


@dataclass(frozen=True)
class Score:
    score: float
    lower: float
    upper: float


@lru_cache(maxsize=100_000)
def beta_score(*, for_count: float, against_count: float) -> Score:
    """Mean and 90% credible interval of Beta(1 + for, 1 + against) (uniform prior)."""
    a, b = 1.0 + for_count, 1.0 + against_count
    tail = (1.0 - INTERVAL) / 2.0
    mean = a / (a + b)
    lower = beta_quantile(p=tail, a=a, b=b)
    upper = beta_quantile(p=1.0 - tail, a=a, b=b)
    # Bisection leaves ~1e-12 of slack; keep the stored row inside its own check constraint.
    return Score(score=mean, lower=min(lower, mean), upper=max(upper, mean))


def number(value: float) -> str:
    """A count of statements as a reader reads it: 1, 2.75, 0.5."""
    return f"{round(value, 2):g}"
