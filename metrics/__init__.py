"""The time-series store: hypertables or partitions, COPY writer with spool and replay, rollups."""
