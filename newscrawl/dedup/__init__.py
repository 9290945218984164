"""Deduplication: content keys, the cross-run crawl state and the near-duplicate index."""
