import pytest

from quality_checks.thresholds import evaluate_source_threshold


@pytest.mark.parametrize(
    ("rejected", "total", "status"),
    [(0, 100, "pass"), (2, 100, "pass"), (3, 100, "warn"), (10, 100, "warn"), (11, 100, "fail"), (0, 0, "pass")],
)
def test_status_by_rate(rejected, total, status):
    outcome = evaluate_source_threshold("crm", rejected, total, warn=0.02, fail=0.10)
    assert outcome.status == status
    assert "crm" in outcome.message


def test_refuses_impossible_input():
    with pytest.raises(ValueError):
        evaluate_source_threshold("crm", 5, 4, warn=0.1, fail=0.2)
    with pytest.raises(ValueError):
        evaluate_source_threshold("crm", 1, 4, warn=0.3, fail=0.2)
