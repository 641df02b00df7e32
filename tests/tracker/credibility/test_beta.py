"""The Beta maths of tracker/credibility/beta.py checked against scipy.stats.beta, an oracle."""

from __future__ import annotations

import pytest

from tracker.credibility import beta

stats = pytest.importorskip("scipy.stats", reason="scipy is a development-only oracle")

# (for, against) as records accumulate them: whole statements, the partial ratings' quarters,
# a long record and a lopsided one.
RECORDS = [
    (0, 0),
    (1, 0),
    (0, 1),
    (2.75, 0.25),
    (0.5, 0.5),
    (3, 7),
    (12.25, 1.75),
    (150, 3),
    (400, 390),
    (0.25, 60),
]


@pytest.mark.parametrize("for_count, against_count", RECORDS)
def test_the_cdf_agrees_with_scipy(for_count, against_count):
    a, b = 1 + for_count, 1 + against_count
    for x in (0.001, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999):
        ours = beta.regularized_incomplete_beta(x=x, a=a, b=b)
        assert ours == pytest.approx(stats.beta.cdf(x, a, b), abs=1e-10), x


@pytest.mark.parametrize("for_count, against_count", RECORDS)
def test_the_quantiles_agree_with_scipy(for_count, against_count):
    a, b = 1 + for_count, 1 + against_count
    for p in (0.001, 0.05, 0.5, 0.95, 0.999):
        assert beta.beta_quantile(p=p, a=a, b=b) == pytest.approx(
            stats.beta.ppf(p, a, b), abs=1e-9
        ), p


@pytest.mark.parametrize("for_count, against_count", RECORDS)
def test_the_score_is_the_posterior_mean_with_its_90_percent_interval(for_count, against_count):
    a, b = 1 + for_count, 1 + against_count
    score = beta.beta_score(for_count=for_count, against_count=against_count)
    assert score.score == pytest.approx(stats.beta.mean(a, b), abs=1e-12)
    lower, upper = stats.beta.interval(beta.INTERVAL, a, b)
    assert score.lower == pytest.approx(lower, abs=1e-9)
    assert score.upper == pytest.approx(upper, abs=1e-9)
    assert score.lower <= score.score <= score.upper
