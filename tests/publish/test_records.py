"""`records.detail_lines`: an audit event's details as a person reads them (the editor's pledge
history, `lofte pledge history`), the records' states for the chain left out unless asked."""

from __future__ import annotations

from lofte.publish.records import detail_lines

SNAPSHOT = {"id": 3, "state": "confirmed", "version": 2, "quote_sha256": "ab12", "area": None}


def test_an_edit_shows_each_changed_field_before_and_after_not_the_snapshots() -> None:
    details = {
        "changes": {
            "area": {"before": None, "after": "Miljö och klimat"},
            "start": {"before": 10, "after": 12},
        },
        "pledges": [SNAPSHOT],
    }
    assert detail_lines(details) == [("area", "– → Miljö och klimat"), ("start", "10 → 12")]


def test_a_state_change_is_one_line_and_an_unset_reason_is_left_out() -> None:
    details = {"before": "candidate", "after": "rejected", "reason": None, "pledges": [SNAPSHOT]}
    assert detail_lines(details) == [(None, "candidate → rejected")]
    details["reason"] = "Dubblett"
    assert detail_lines(details)[-1] == ("reason", "Dubblett")


def test_a_document_edit_pairs_the_before_and_after_records() -> None:
    details = {
        "changed": ["date", "title"],
        "before": {"date": "2024-03", "title": "Gammal"},
        "after": {"date": "2024-03-05", "title": "Ny"},
    }
    assert detail_lines(details) == [("date", "2024-03 → 2024-03-05"), ("title", "Gammal → Ny")]


def test_a_verdict_keeps_its_rationale_and_lists_its_evidence() -> None:
    details = {
        "status": "kept",
        "verdict_id": 4,
        "evidence_ids": [7, 9],
        "verdict": {"id": 4, "status": "kept", "rationale": "Invigd i maj.", "published": True},
        "pledges": [SNAPSHOT],
    }
    assert detail_lines(details) == [
        ("status", "kept"),
        ("verdict_id", "4"),
        ("evidence_ids", "7, 9"),
        ("rationale", "Invigd i maj."),
    ]


def test_the_snapshots_written_out_when_asked() -> None:
    lines = detail_lines(
        {"before": "suggested", "evidence": [{"id": 5, "review_state": "accepted"}]}, snapshots=True
    )
    assert lines == [("before", "suggested"), ("evidence", "(id 5, review_state accepted)")]
    assert detail_lines({"pledges": [SNAPSHOT]}, snapshots=True) == [
        ("pledges", "(id 3, state confirmed, version 2, quote_sha256 ab12, area –)")
    ]
    assert detail_lines(None) == [] and detail_lines({"flag": False}) == [("flag", "false")]


def test_words_put_values_in_a_readers_words_and_the_rest_stays_as_stored() -> None:
    """A date record's value and precision become one date, other fields of the record stay."""

    def words(key: str | None, value: object) -> str | None:
        if value is True:
            return "ja"
        if isinstance(value, dict):
            return f"{value['precision']}:{value['value']}"
        return "Uppfyllt" if (key, value) == ("status", "kept") else None

    details = {
        "before": {"date": None},
        "after": {"date": {"precision": "month", "provenance": "explicit", "value": "2024-03-01"}},
        "verdict": {"status": "kept", "published": True, "pledge_id": 4},
        "status": "odd",
    }
    assert detail_lines(details, snapshots=True, words=words) == [
        # where a worded date was read is left out (review: "provenance path" on a Swedish
        # page); as stored, below, it stays
        ("date", "– → month:2024-03-01"),
        ("verdict", "status Uppfyllt, published ja, pledge_id 4"),
        ("status", "odd"),
    ]
    assert detail_lines(details, snapshots=True)[0] == (
        "date",
        "– → precision month, provenance explicit, value 2024-03-01",
    )


def test_a_long_list_is_written_out_in_part_and_the_rest_counted() -> None:
    """Hostile-input probe: an extraction's event names every pledge it made; 760,000 made the
    admins' audit page 127 MB and 24 s. A list shows its first LIST_ITEMS_SHOWN items."""
    from lofte.publish.records import LIST_ITEMS_SHOWN

    details = {"pledges": list(range(LIST_ITEMS_SHOWN + 7))}
    [(label, text)] = detail_lines(details, snapshots=True)
    assert label == "pledges" and text.endswith(f"{LIST_ITEMS_SHOWN - 1}, … (+7)")
    assert detail_lines({"ids": [1, 2]}) == [("ids", "1, 2")]
    snapshots = {"pledges": [{"id": n, "state": "candidate"} for n in range(8)]}
    [(_, written)] = detail_lines(snapshots, snapshots=True)
    assert written.count("(id ") == 5 and written.endswith("… (+3)")  # QA: a 10,200-char row
