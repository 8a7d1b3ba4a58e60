"""Golden records from their source records: survivorship plus merged consent.

One function shared by the nightly golden asset (every golden record, or the
ones whose records changed) and the retention sweep (the golden records that
lost some of their records), so a golden record is built the same way
whoever builds it.
"""

from __future__ import annotations

import polars as pl

from governance.consent import merge_consent
from nayose_config import NayoseConfig
from resolution.survivorship import survive


def build_golden(records: pl.DataFrame, crosswalk: pl.DataFrame, config: NayoseConfig) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Golden records (survivorship + merged consent) and their lineage.

    In: source records (`record_key`, `source_system`, `source_record_id`,
    std_* and consent columns), the crosswalk (`record_key` -> `golden_id`)
    of the golden ids to build, the project's config (survivorship rules,
    consent purposes, timezone). Out: (golden records, lineage), one golden
    record per golden id of `crosswalk` that has a record in `records`."""
    survived = survive(records, crosswalk, config.survivorship)
    consent = merge_consent(records, crosswalk, config.privacy.purposes, config.timezone)
    return survived.golden_records.join(consent, on="golden_id", how="left"), survived.lineage
