"""Dataset storage: Parquet parts, the dataset card, the writer lock, compaction, loading."""
