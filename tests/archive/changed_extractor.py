"""A stand-in for an improved extractor (NEWSCRAWL_EXTRACT_TASK=tests.archive.changed_extractor
.extract_task): the real one, then every text gains a closing line and the rows say so."""

from __future__ import annotations

from newscrawl.crawl.pool import extract_task as current_task
from newscrawl.dedup.keys import content_hash
from newscrawl.discovery import Candidate
from newscrawl.extract import Extraction, SiteContext
from newscrawl.extract.text import count_words

TASK = "tests.archive.changed_extractor.extract_task"
VERSION_MARK = "; test-change"
CLOSING = "This story was extracted again by a better extractor."


def extract_task(body: bytes, url: str, content_type: str | None, hint: Candidate | None,
                 site: SiteContext, run_id: str) -> Extraction:
    result = current_task(body, url, content_type, hint, site, run_id)
    if result.record is not None:
        record = result.record
        record["text"] = f"{record['text']}\n\n{CLOSING}"
        record["word_count"] = count_words(record["text"])
        record["content_hash"] = content_hash(record["text"])
        record["extractor_version"] += VERSION_MARK
    return result
