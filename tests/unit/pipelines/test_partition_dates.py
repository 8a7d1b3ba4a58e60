"""Which --date a run takes: every zone's today, nothing later (pipelines.cli.refuse_unknown_partition)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pipelines.cli import CliError, refuse_unknown_partition

# the zones furthest ahead of and behind Tokyo, Tokyo, and one a few hours ahead of it
ZONES = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Europe/Berlin", "Pacific/Pago_Pago"]


@pytest.mark.parametrize("zone", ZONES)
def test_today_in_the_projects_zone_is_a_partition(zone: str) -> None:
    today = datetime.now(ZoneInfo(zone)).date()
    refuse_unknown_partition(today.isoformat(), zone)
    refuse_unknown_partition((today - timedelta(days=1)).isoformat(), zone)


@pytest.mark.parametrize("zone", ZONES)
def test_tomorrow_in_the_projects_zone_is_refused_naming_its_today(zone: str) -> None:
    today = datetime.now(ZoneInfo(zone)).date()
    with pytest.raises(CliError) as refused:
        refuse_unknown_partition((today + timedelta(days=1)).isoformat(), zone)
    assert f"to {today.isoformat()} (today in {zone})" in str(refused.value)


def test_a_day_before_the_first_partition_is_refused() -> None:
    with pytest.raises(CliError, match="partitions run from 2020-01-01"):
        refuse_unknown_partition(date(2019, 12, 31).isoformat(), "Asia/Tokyo")



def test_the_nightly_job_runs_on_the_projects_days(tmp_path) -> None:
    """The assets' partitions and the 02:00 schedule follow the project's zone, not Tokyo's."""
    from pipelines.project_definitions import NIGHTLY_JOB, build_definitions

    (tmp_path / "nayose.yaml").write_text(
        "timezone: Pacific/Kiritimati\nsources:\n  - name: crm\n    path: x.csv\n    format: csv\n    id: id\n    fields: {email: e}\n"
    )
    definitions = build_definitions(tmp_path)
    days = definitions.resolve_job_def(NIGHTLY_JOB).partitions_def
    assert days.timezone == "Pacific/Kiritimati"
    assert days.get_last_partition_key() == datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    (schedule,) = definitions.schedules
    assert definitions.resolve_schedule_def(schedule.name).execution_timezone == "Pacific/Kiritimati"
