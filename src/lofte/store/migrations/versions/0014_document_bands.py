"""issue 14: near-duplicate lookup through the database, not a whole tracker in memory

Revision ID: 0014
Revises: 0013

document_bands: the 16 LSH bucket keys of each document's MinHash, looked up by (tracker, key)
when a new text is ingested. Ingest held every stored signature of a tracker in memory
instead (about 3 kB a document: 1 GB at 300,000 documents) and read them all on every call.

Filled here for every stored document: from its kept MinHash, or for a row stored before
revision 0008 that has none and is long enough to compare, from its text (the MinHash is kept
too). The keys must be the ones ingest computes, so the function is imported, not copied: a
change to it needs a migration that fills the table again.
"""

from array import array

import sqlalchemy as sa
from alembic import op

from lofte.pipeline.dedup import band_keys, minhash_signature

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MIN_WORDS = 25  # ingest_prepare.NEAR_DUPLICATE_MIN_WORDS when this revision was written
CHUNK = 2000

documents = sa.table(
    "documents",
    sa.column("id", sa.Integer),
    sa.column("tracker_id", sa.Integer),
    sa.column("title", sa.Text),
    sa.column("body", sa.Text),
    sa.column("minhash", sa.LargeBinary),
)


def upgrade() -> None:
    bands = op.create_table(
        "document_bands",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("tracker_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tracker_id"], ["trackers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "band"),
    )
    op.create_index("ix_document_bands_lookup", "document_bands", ["tracker_id", "key"])
    assert bands is not None
    bind = op.get_bind()
    last = 0
    while True:
        query = (
            sa.select(documents.c.id, documents.c.tracker_id, documents.c.minhash)
            .where(documents.c.id > last)
            .order_by(documents.c.id)
            .limit(CHUNK)
        )
        rows = [(r[0], r[1], r[2]) for r in bind.execute(query)]
        if not rows:
            break
        last = rows[-1][0]
        _fill(bind, bands, rows)


def _fill(bind: sa.Connection, bands: sa.Table, rows: list[tuple[int, int, bytes | None]]) -> None:
    missing = [doc_id for doc_id, _, minhash in rows if minhash is None]
    texts = {}
    if missing:
        query = sa.select(documents.c.id, documents.c.title, documents.c.body)
        texts = {
            i: f"{t}\n{b}" for i, t, b in bind.execute(query.where(documents.c.id.in_(missing)))
        }
    values = []
    for doc_id, tracker_id, minhash in rows:
        if minhash is None:
            text = texts[doc_id]
            if len(text.split()) < MIN_WORDS:
                continue  # too short to compare: never looked up
            signature = minhash_signature(text)
            bind.execute(
                documents.update()
                .where(documents.c.id == doc_id)
                .values(minhash=signature.tobytes())
            )
        else:
            signature = array("I")
            signature.frombytes(minhash)
        values += [
            {"document_id": doc_id, "band": band, "tracker_id": tracker_id, "key": key}
            for band, key in enumerate(band_keys(signature))
        ]
    if values:
        bind.execute(bands.insert(), values)


def downgrade() -> None:
    op.drop_index("ix_document_bands_lookup", table_name="document_bands")
    op.drop_table("document_bands")
