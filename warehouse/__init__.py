"""Where a project's files live, and how they are written (atomically)."""

from warehouse.locking import WarehouseBusy, WarehouseChanged, generation, holding_warehouse_lock, warehouse_lock
from warehouse.paths import ProjectPaths
from warehouse.publication import Publication, recover_publication
from warehouse.staging import Staging, StagingMissing
from warehouse.store import (
    HISTORY_TABLES,
    publish_warehouse,
    read_table,
    read_tables,
    write_parquet_atomically,
    write_text_atomically,
)

__all__ = [
    "HISTORY_TABLES",
    "WarehouseBusy",
    "WarehouseChanged",
    "generation",
    "holding_warehouse_lock",
    "warehouse_lock",
    "ProjectPaths",
    "Publication",
    "recover_publication",
    "Staging",
    "StagingMissing",
    "publish_warehouse",
    "read_table",
    "read_tables",
    "write_parquet_atomically",
    "write_text_atomically",
]
