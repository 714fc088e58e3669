"""`lofte import` takes what an older Löfte exported (docs/cli.md: schema 1.0 and up).

data/lofte-0003-demo-export.json.gz (30 kB) is the JSON export (schema 1.0) of the store in
tests/store/data/lofte-0003-demo.db.gz, written by commit ca4e543 (fictional demo content
only); see tests/store/test_upgrade.py for how that store was made, then:

    PYTHONPATH=/tmp/old/src python -m lofte --db sqlite:////tmp/old/old.db export --format json -o e.json
    gzip -9 -c e.json > data/lofte-0003-demo-export.json.gz
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from sqlalchemy import text

from lofte.publish import importer
from lofte.store.db import Store

OLD_EXPORT = Path(__file__).parent / "data" / "lofte-0003-demo-export.json.gz"


def _old_export(tmp_path: Path) -> Path:
    path = tmp_path / "old-export.json"
    with gzip.open(OLD_EXPORT) as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_an_export_of_schema_1_0_with_local_origins_imports(store: Store, tmp_path: Path) -> None:
    data = importer.read_export(_old_export(tmp_path))
    assert data["schema_version"] == "1.0"
    report = importer.import_export(store, data)
    assert {k: report.counts[k] for k in ("trackers", "sources", "documents", "pledges")} == {
        "trackers": 1,
        "sources": 5,
        "documents": 50,
        "pledges": 67,
    }
    assert report.counts["evidence"] == 69 and report.counts["verdicts"] == 7
    with store.session() as s:
        # a local file's path is not published since 1.3: read as 1.3 would have written it
        # (a document needs a unique origin for its identity: the importer names it)
        origins = s.execute(text("SELECT origin FROM documents")).scalars().all()
        assert all(o.startswith("imported:") for o in origins)
        assert (
            s.execute(text("SELECT count(*) FROM sources WHERE origin IS NOT NULL")).scalar() == 0
        )
        assert s.execute(text("SELECT count(*) FROM verdicts WHERE published")).scalar() == 7


def test_a_web_origin_of_an_old_export_is_kept(tmp_path: Path) -> None:
    data = importer.read_export(_old_export(tmp_path))
    data["documents"][0]["origin"] = "https://example.org/valprogram"
    data["sources"][0]["origin"] = "file:///etc/passwd"
    importer.check_export(data)
    assert data["documents"][0]["origin"] == "https://example.org/valprogram"
    assert data["sources"][0]["origin"] is None
