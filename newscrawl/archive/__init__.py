"""The raw archive: fetched pages as WARC files, their index, and re-reading them.

Layout under the dataset directory:

    _archive/warc/<run_id>-<worker>-<seq>.warc.gz     finished WARC 1.1 files (gzip per record)
    _archive/index/<run_id>-<worker>-<seq>.idx        its index: Parquet, one row per page
    _archive/_tmp/<name>.warc.gz.partial              the file being written (never read)

A WARC is written under `_tmp/`, then fsynced and renamed into `warc/`; only then is its
index part written (atomically, like the dataset's parts). So a reader of the index finds
only pages whose WARC is complete. A run killed mid-file leaves a `.partial` file: the next
writer cuts it after its last complete record and finishes it (`ArchiveWriter.open`), so no
fetched page is lost and no torn file is ever visible.

No Scrapy here: the crawl adapts its responses (crawl/archiving.py); import and reextract
read WARC files with the same reader.
"""

from __future__ import annotations

ARCHIVE_DIR = "_archive"
WARC_DIR = "warc"
INDEX_DIR = "index"
TMP_DIR = "_tmp"
PARTIAL_SUFFIX = ".partial"
