"""Security operations (no Dagster): role-based file access, Parquet
encryption at rest, backup and restore, security log export."""
