"""Pledge review: each change keeps the quote verbatim, is audited, and detects conflicts."""

from __future__ import annotations

import pytest

from lofte.errors import AlreadySavedError, ConflictError, ValidationError
from lofte.model import PledgeState
from lofte.review import pledges as review
from lofte.store import audit
from lofte.store import documents as document_store
from lofte.store import pledges as pledge_store
from lofte.store.db import Store
from lofte.store.schema import DocumentRow, PledgeRow

from .fixtures import pledge_row, program_document

BODY = (
    "För att Sjövik ska växa kommer vi:\n"
    "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik.\n"
    "Sänka taxan för kulturskolan med 25 procent.\n"
)


def _pledge(store: Store, text: str) -> int:
    """A pledge quoting `text`, in a program document of its own."""
    return pledge_row(store, program_document(store, BODY), text, area="Bostäder")


def _events(store: Store, pledge_id: int) -> list[str]:
    with store.session() as s:
        return [e.action for e in audit.list_events(s, "pledge", pledge_id)]


def test_confirm_and_reject_are_audited(store: Store) -> None:
    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    confirmed = review.confirm(store, pid, actor="anna")
    assert confirmed.state is PledgeState.CONFIRMED and confirmed.version == 2
    rejected = review.reject(store, pid, reason="dubblett", actor="bo", expected_version=2)
    assert rejected.state is PledgeState.REJECTED
    assert _events(store, pid) == ["pledge.confirm", "pledge.reject"]
    with store.session() as s:
        last = audit.list_events(s, "pledge", pid)[-1]
    assert last.actor == "bo" and last.details["reason"] == "dubblett"


def test_a_stale_version_is_a_conflict_and_changes_nothing(store: Store) -> None:
    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    review.edit(store, pid, area="Bygga och bo", actor="anna", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        review.edit(store, pid, area="Stadsplanering", actor="bo", expected_version=1)
    with store.session() as s:
        assert pledge_store.get_pledge(s, pid).area == "Bygga och bo"
    assert _events(store, pid) == ["pledge.edit"]


def test_edit_moves_the_span_and_the_quote_follows(store: Store) -> None:
    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    start = BODY.index(text)
    edited = review.edit(
        store, pid, end=start + len("Bygga 500 nya bostäder före 2026. "), actor="tester"
    )
    assert edited.quote == "Bygga 500 nya bostäder före 2026."  # trailing space trimmed
    assert BODY[edited.start : edited.end] == edited.quote
    with pytest.raises(ValidationError, match="outside the document"):
        review.edit(store, pid, end=len(BODY) + 5, actor="tester")
    with pytest.raises(ValidationError, match="nothing to change"):
        review.edit(store, pid, actor="tester")


def test_split_makes_children_with_verbatim_quotes(store: Store) -> None:
    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    cut = BODY.index("Öppna")
    with pytest.raises(ValidationError, match="inside the pledge"):
        review.split(store, pid, [0], actor="tester")
    inside = BODY.index("simhall") + 3  # QA: a cut inside a word made "sim" and "hall …"
    with pytest.raises(ValidationError, match="inside the word 'simhall'"):
        review.split(store, pid, [inside], actor="tester")
    children = review.split(store, pid, [cut], actor="anna")
    assert [c.quote for c in children] == [
        "Bygga 500 nya bostäder före 2026.",
        "Öppna en ny simhall i Norrvik.",
    ]
    assert all(c.parent_id == pid and BODY[c.start : c.end] == c.quote for c in children)
    assert all(c.extractor == "editor" for c in children)
    assert _events(store, pid) == ["pledge.split"]


def test_merge_spans_the_pledges_and_rejects_the_originals(store: Store) -> None:
    a = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    b = _row(store, a, "Öppna en ny simhall i Norrvik.")
    merged = review.merge(store, [a, b], actor="anna")
    assert merged.quote == BODY[merged.start : merged.end]
    assert merged.quote.startswith("Bygga") and merged.quote.endswith("Norrvik.")
    with store.session() as s:
        originals = [pledge_store.get_pledge(s, i) for i in (a, b)]
    assert {p.state for p in originals} == {PledgeState.REJECTED}
    assert all(p.attributes["merged_into"] == merged.id for p in originals)
    with pytest.raises(ValidationError, match="at least two"):
        review.merge(store, [a], actor="tester")


def _row(store: Store, like: int, text: str, parent: int | None = None) -> int:
    """Another pledge of `like`'s document, quoting `text`."""
    with store.session() as s:
        first = s.get(PledgeRow, like)
        assert first is not None
        doc_id = first.document_id
    return pledge_row(store, doc_id, text, parent=parent, confidence=0.5)


def test_merging_a_group_takes_its_parts_and_a_pledge_between_is_refused(store: Store) -> None:
    """QA: merging a confirmed group left its confirmed parts counted beside the merged pledge
    (the meter counted the commitment twice), and two pledges far apart swallowed the ones
    between them."""
    group = _pledge(store, "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik.")
    parts = [
        _row(store, group, "Bygga 500 nya bostäder före 2026.", parent=group),
        _row(store, group, "Öppna en ny simhall i Norrvik.", parent=group),
    ]
    taxa = _row(store, group, "Sänka taxan för kulturskolan med 25 procent.")
    intro = _row(store, group, "För att Sjövik ska växa kommer vi:")
    # the intro and the taxa pledge have the group (and its parts) between them
    with pytest.raises(ValidationError, match=rf"pledges {group}, {parts[0]}, {parts[1]} lie"):
        review.merge(store, [intro, taxa], actor="anna")
    merged = review.merge(store, [group, taxa], actor="anna")
    with store.session() as s:
        rows = {p.id: p for p in pledge_store.list_pledges(s)}
        events = audit.pledge_events(s, merged.id)
    live = {i for i, p in rows.items() if p.state is not PledgeState.REJECTED}
    assert live == {merged.id, intro}  # the parts went with their group
    assert all(rows[i].attributes["merged_into"] == merged.id for i in [group, taxa, *parts])
    assert events[-1].details["parts"] == parts
    with store.session() as s:  # the merged ones' histories end with the merge (QA)
        assert [e.action for e in audit.pledge_events(s, taxa)][-1] == "pledge.merge"
        assert [e.action for e in audit.pledge_events(s, parts[0])][-1] == "pledge.merge"
    # two parts of one group can still be merged (the group encloses them: not between)
    other = _row(store, group, "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik.")
    a = _row(store, other, "Bygga 500 nya bostäder före 2026.", parent=other)
    b = _row(store, other, "Öppna en ny simhall i Norrvik.", parent=other)
    assert review.merge(store, [a, b], actor="anna").parent_id == other
    # a part made by a split has the split in its history
    made = review.split(store, intro, [BODY.index("Sjövik")], actor="anna")
    with store.session() as s:
        assert [e.action for e in audit.pledge_events(s, made[-1].id)] == ["pledge.split"]


def test_merge_refuses_when_one_pledge_changed_meanwhile(store: Store) -> None:
    a = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    with store.session() as s:
        row = s.get(PledgeRow, a)
        start = BODY.index("Öppna")
        other = PledgeRow(
            tracker_id=row.tracker_id,
            document_id=row.document_id,
            start=start,
            end=start + 30,
            quote=BODY[start : start + 30],
            attributes={},
            confidence=0.5,
            stage="extract",
            stage_version="1",
        )
        s.add(other)
        s.flush()
        b = other.id
    review.confirm(store, b, actor="bo")  # b is now at version 2
    with pytest.raises(ConflictError):
        review.merge(store, [a, b], actor="anna", expected_versions={a: 1, b: 1})
    with store.session() as s:
        assert pledge_store.get_pledge(s, a).state is PledgeState.CANDIDATE


def test_a_split_pledge_cannot_be_split_again(store: Store) -> None:
    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    review.split(store, pid, [BODY.index("Öppna")], actor="tester")
    with pytest.raises(ValidationError, match="already split"):
        review.split(store, pid, [BODY.index("500")], actor="tester")


def test_split_where_the_editor_typed_bars(store: Store) -> None:
    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    children = review.split_marked(
        store, pid, text.replace(" Öppna", " |Öppna"), expected_version=1, actor="tester"
    )
    assert [c.quote for c in children] == [
        "Bygga 500 nya bostäder före 2026.",
        "Öppna en ny simhall i Norrvik.",
    ]
    other = _pledge_in(store, "Sänka taxan för kulturskolan med 25 procent.")
    with pytest.raises(ValidationError, match="do not change the text"):
        review.split_marked(
            store, other, "Sänka | taxan för musikskolan med 25 procent.", actor="tester"
        )
    with pytest.raises(ValidationError, match="at least one"):
        review.split_marked(
            store, other, "Sänka taxan för kulturskolan med 25 procent.", actor="tester"
        )


def _pledge_in(store: Store, text: str, parent: int | None = None) -> int:
    """Another pledge in the document made by `_pledge`, a candidate; `parent` makes it a part."""
    with store.session() as s:
        first = s.query(PledgeRow).first()
        start = BODY.index(text)
        row = PledgeRow(
            tracker_id=first.tracker_id,
            document_id=first.document_id,
            parent_id=parent,
            start=start,
            end=start + len(text),
            quote=text,
            attributes={},
            confidence=0.9,
            stage="extract",
            stage_version="1",
        )
        s.add(row)
        s.flush()
        return row.id


def _group_with_parts(store: Store) -> tuple[int, list[int]]:
    """An extracted list item split into parts, all unreviewed: a group of candidates."""
    group = _pledge(store, "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik.")
    texts = ("Bygga 500 nya bostäder före 2026.", "Öppna en ny simhall i Norrvik.")
    return group, [_pledge_in(store, text, parent=group) for text in texts]


def test_confirming_a_group_confirms_its_unreviewed_parts_so_it_is_counted(store: Store) -> None:
    from lofte.review.audit import verify

    group, (housing, pool) = _group_with_parts(store)
    review.reject(store, pool, reason="inte ett löfte", actor="bo")
    review.confirm(store, group, actor="anna")
    with store.session() as s:
        rows = {i: pledge_store.get_pledge(s, i) for i in (group, housing, pool)}
        checked = pledge_store.checkable_ids(
            (p.id, p.parent_id, p.state.value) for p in rows.values()
        )
        report = verify(s)
    assert rows[housing].state is PledgeState.CONFIRMED and rows[housing].version == 2
    assert rows[pool].state is PledgeState.REJECTED  # a decided part keeps its decision
    assert checked == {housing}  # the confirmed item is counted, through its live part
    assert _events(store, housing) == ["pledge.confirm"]
    with store.session() as s:
        (event,) = audit.list_events(s, "pledge", housing)
        assert event.actor == "anna" and event.details["group"] == group
        assert pledge_store.was_confirmed(s, housing)
    assert report.ok, report  # every changed part's state is in the chain


def test_confirming_a_pledge_without_parts_changes_nothing_else(store: Store) -> None:
    group, parts = _group_with_parts(store)
    review.confirm(store, parts[0], actor="anna")
    with store.session() as s:
        assert pledge_store.get_pledge(s, group).state is PledgeState.CANDIDATE
        assert pledge_store.get_pledge(s, parts[1]).state is PledgeState.CANDIDATE


def test_confirming_a_group_reaches_candidate_parts_of_its_parts(store: Store) -> None:
    group, (housing, pool) = _group_with_parts(store)
    nested_id = _pledge_in(store, "Öppna en ny simhall", parent=pool)  # a part of a part
    _, confirmed_parts = review.confirm_group(store, group, actor="anna")
    assert sorted(confirmed_parts) == sorted([housing, pool, nested_id])
    with store.session() as s:
        states = {i: pledge_store.get_pledge(s, i).state for i in (housing, pool, nested_id)}
    assert set(states.values()) == {PledgeState.CONFIRMED}
    assert _events(store, nested_id) == ["pledge.confirm"]


def test_deciding_a_pledge_again_writes_nothing(store: Store) -> None:
    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    review.confirm(store, pid, actor="anna")
    with pytest.raises(AlreadySavedError, match="already confirmed"):
        review.confirm(store, pid, actor="bo", expected_version=1)  # the form anna also saw
    review.reject(store, pid, reason="dubblett", actor="anna", expected_version=2)
    with pytest.raises(AlreadySavedError, match="already rejected"):
        review.reject(store, pid, reason="dubblett", actor="bo")
    # another reason is no repeat: said, not dropped (QA: two rejects at once)
    with pytest.raises(ConflictError, match="rejected already, with another reason"):
        review.reject(store, pid, reason="igen", actor="bo")
    with store.session() as s:
        assert pledge_store.get_pledge(s, pid).version == 3
    assert _events(store, pid) == ["pledge.confirm", "pledge.reject"]


def test_confirming_a_group_again_takes_only_its_new_candidate_parts(store: Store) -> None:
    group, (housing, pool) = _group_with_parts(store)
    review.confirm(store, group, actor="anna")
    later = _pledge_in(store, "Öppna en ny simhall", parent=pool)  # a part made since
    again, parts = review.confirm_group(store, group, actor="bo")
    assert parts == [later] and again.version == 2  # the group itself is not written again
    assert _events(store, group) == ["pledge.confirm"]
    assert _events(store, later) == ["pledge.confirm"]
    with pytest.raises(AlreadySavedError):
        review.confirm_group(store, group, actor="bo")


def test_a_reject_reason_is_kept_on_one_line_and_a_too_long_one_is_refused(
    store: Store,
) -> None:
    """The same rule as for an evidence decision's reason (review/reasons.py)."""
    from lofte.review.reasons import MAX_REASON_LENGTH

    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    with pytest.raises(ValidationError, match=f"at most {MAX_REASON_LENGTH}"):
        review.reject(store, pid, reason="x" * (MAX_REASON_LENGTH + 1), actor="anna")
    assert _events(store, pid) == []  # refused before anything was written
    review.reject(store, pid, reason="  Ett mål,\n  inget löfte. ", actor="anna")
    with store.session() as s:
        (event,) = audit.list_events(s, "pledge", pid)
        assert pledge_store.get_pledge(s, pid).state is PledgeState.REJECTED
    assert event.details["reason"] == "Ett mål, inget löfte."


@pytest.mark.parametrize("name", [".", " .. "])
def test_an_area_named_dot_or_dot_dot_is_refused(store: Store, name: str) -> None:
    """Its feed's address (/areas/NAME/feed.xml) would be resolved away by every client."""
    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    with pytest.raises(ValidationError, match="cannot be named"):
        review.edit(store, pid, area=name, actor="anna")
    assert review.edit(store, pid, area="...", actor="anna").area == "..."  # not a dot segment


def test_the_merge_form_offers_only_pledges_a_merge_takes(store: Store) -> None:
    """QA: it offered a part's own group and pledges with another between, and its first
    choice gave a 422."""
    from lofte.publish.editor_pages import editor_pledge

    first = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    middle = _pledge_in(store, "Öppna en ny simhall i Norrvik.")
    last = _pledge_in(store, "Sänka taxan för kulturskolan med 25 procent.")
    with store.session() as s:
        offered = [p["id"] for p in editor_pledge(s, first)["neighbours"]]
    assert offered == [middle] and last not in offered  # `middle` lies between
    review.merge(store, [first, middle], actor="tester")  # what is offered merges


def test_the_merge_form_does_not_offer_a_part_its_own_group(store: Store) -> None:
    from lofte.publish.editor_pages import editor_pledge

    group, parts = _group_with_parts(store)
    with store.session() as s:
        offered = [p["id"] for p in editor_pledge(s, parts[0])["neighbours"]]
    assert group not in offered and parts[1] in offered


def test_an_editor_s_new_span_gets_its_own_attributes_and_pages(store: Store) -> None:
    """QA: a split's parts had no attributes at all (no deadline, no precision), and an edited
    span kept the deadline of the text it no longer quotes; and no pledge had a page."""
    line_2 = BODY.index("Bygga"), BODY.index("\nSänka")
    line_3 = BODY.index("Sänka"), len(BODY) - 1
    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    with store.session() as s:
        pledge = s.get(PledgeRow, pid)
        assert pledge is not None
        pledge.attributes = {"rank": 0.81, "precision": "specific", "deadline": "före 2026"}
        doc = s.get(DocumentRow, pledge.document_id)
        assert doc is not None  # a PDF program's blocks: line 2 on page 4, line 3 on 4–5
        doc.structure = {"extra": {"block_pages": [[*line_2, 3, 3], [*line_3, 3, 4]]}}
    first, second = review.split(store, pid, [BODY.index("Öppna")], actor="anna")
    assert first.attributes["deadline"] == "före 2026" and first.attributes["pages"] == [4, 4]
    assert second.attributes["deadline"] is None and second.attributes["type"] == "action"
    assert second.attributes["rank"] == 0.81  # the classifier's, of the text split
    edited = review.edit(store, first.id, end=BODY.index(" före"), actor="anna")
    assert edited.quote == "Bygga 500 nya bostäder" and edited.attributes["deadline"] is None
    assert edited.attributes["quantity"] == "500 nya bostäder"
    merged = review.merge(store, [first.id, second.id], actor="anna")
    assert merged.attributes["deadline"] == "före 2026" and merged.attributes["pages"] == [4, 4]
    wide = review.edit(store, merged.id, end=line_3[1], actor="anna")  # on to page 5
    assert wide.attributes["pages"] == [4, 5]


def test_a_pledge_merged_away_is_not_confirmed_while_its_merge_stands(store: Store) -> None:
    """QA: confirmed again after a merge, its sentence counted twice on the public meter."""
    a = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    b = _pledge_in(store, "Öppna en ny simhall i Norrvik.")
    merged = review.merge(store, [a, b], actor="anna")
    with pytest.raises(ValidationError, match=f"merged into pledge {merged.id}"):
        review.confirm(store, b, actor="bertil")
    review.reject(store, merged.id, actor="anna")  # the merge undone: the parts may stand
    assert review.confirm(store, b, actor="bertil").state is PledgeState.CONFIRMED


def test_a_rated_pledge_is_not_split(store: Store) -> None:
    """QA: a kept pledge split left the meter (its parts unrated) while its page said kept."""
    from lofte.model import VerdictStatus
    from lofte.review.verdicts import set_verdict

    text = "Bygga 500 nya bostäder före 2026. Öppna en ny simhall i Norrvik."
    pid = _pledge(store, text)
    review.confirm(store, pid, actor="anna")
    set_verdict(store, pid, VerdictStatus.NOT_CHECKABLE, "Går inte att pröva.", actor="anna")
    with pytest.raises(ValidationError, match="which a split would leave"):
        review.split(store, pid, [BODY.index("Öppna")], actor="anna")
    assert _events(store, pid)[-1] != "pledge.split"


def test_an_editor_adds_a_missed_pledge_by_words_or_offsets(store: Store) -> None:
    """A person can always add what the machine missed (QA: there was no way)."""
    pid = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    with store.session() as s:
        doc_id = pledge_store.get_pledge(s, pid).document_id
    added = review.add(store, doc_id, quote="Sänka taxan för\n kulturskolan", actor="anna")
    assert added.quote == "Sänka taxan för kulturskolan" and added.state is PledgeState.CONFIRMED
    assert added.area == "Bostäder" and added.extractor == "editor"
    assert added.attributes["type"] == "action"
    with pytest.raises(ValidationError, match=f"pledge {added.id} already quotes"):
        review.add(store, doc_id, start=added.start, end=added.end, actor="bo")
    start = BODY.index("Öppna")
    by_offsets = review.add(store, doc_id, start=start, end=start + 5, area="Idrott", actor="bo")
    assert by_offsets.quote == "Öppna" and by_offsets.area == "Idrott"
    with pytest.raises(ValidationError, match="more than once"):
        review.add(store, doc_id, quote=".", actor="anna")  # ("för": whole words only)
    with pytest.raises(ValidationError, match="does not hold these words"):
        review.add(store, doc_id, quote="Sänka skatten", actor="anna")
    with store.session() as s:
        s.get(DocumentRow, doc_id).kind = "news"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="not a program"):
        review.add(store, doc_id, quote="Öppna en ny simhall", actor="anna")
    assert _events(store, added.id) == ["pledge.add"]


def test_a_merge_moves_the_best_suggestion_per_document_to_the_merged_pledge(
    store: Store,
) -> None:
    """QA: the merged pledge started with no suggestions, its parts' out of sight with them.
    Per document the best-scored suggestion moves; decided evidence stays where it was."""
    from lofte.store.schema import EvidenceRow

    a = _pledge(store, "Bygga 500 nya bostäder före 2026.")
    b = _row(store, a, "Öppna en ny simhall i Norrvik.")
    with store.session() as s:
        tracker_id = s.get(PledgeRow, a).tracker_id  # type: ignore[union-attr]
        news = []
        for i in range(2):
            raw = document_store.put_raw(s, f"nyhet {i}".encode(), "text/plain")
            doc = DocumentRow(
                tracker_id=tracker_id,
                origin=f"nyhet-{i}.txt",
                item_key="",
                kind="news",
                title=f"Nyhet {i}",
                body=f"Simhallen i Norrvik och bostäderna, nyhet {i}.",
                content_hash=f"n{i}",
                raw_sha256=raw,
                stage="parse:test",
                stage_version="1",
            )
            s.add(doc)
            s.flush()
            news.append(doc.id)

        def evidence(pledge: int, document: int, score: float, state: str = "suggested") -> int:
            row = EvidenceRow(
                pledge_id=pledge,
                document_id=document,
                start=0,
                end=10,
                score=score,
                features={},
                stance="mentions",
                review_state=state,
                stage="link",
                stage_version="1",
            )
            s.add(row)
            s.flush()
            return row.id

        weaker = evidence(a, news[0], 0.6)
        stronger = evidence(b, news[0], 0.8)
        decided = evidence(a, news[1], 0.9, "rejected")  # an editor said no: it stays
        other = evidence(b, news[1], 0.5)
    merged = review.merge(store, [a, b], actor="anna")
    with store.session() as s:
        where = {e.id: e.pledge_id for e in s.query(EvidenceRow)}
        event = audit.list_events(s, "pledge", merged.id)[-1]
    assert where[stronger] == merged.id and where[other] == merged.id
    assert where[weaker] == a and where[decided] == a
    assert event.details["suggestions_moved"] == sorted([stronger, other])


SECTIONS = (
    "Skola och förskola\n\n"
    "Vi vill bygga en ny skola i Norrvik. Vi ska anställa fler lärare.\n\n"
    "Kultur i hela kommunen\n\n"
    "Biblioteken ska ha öppet på söndagar.\n\n"
    "Rösta på Sjöviks parti!\n\n"
    "Det är hög tid. Vi ska sänka skatten för pensionärer.\n"
)


def test_a_pledge_added_gets_the_area_of_the_heading_it_stands_under(store: Store) -> None:
    """Newsroom QA: a pledge added under V's "Rösta på Vänsterpartiet!" took the area of the
    last pledge before it that had one. It gets the area extraction gives the place: none under
    a call to vote, the section's title in a section with no pledge yet, and the pledge
    before it's (as an editor named it) under the same heading."""
    doc = program_document(store, SECTIONS)
    pledge_row(store, doc, "Vi vill bygga en ny skola i Norrvik.", area="Skolan (omdöpt)")
    under_vote = review.add(store, doc, quote="Vi ska sänka skatten", actor="anna")
    assert under_vote.area is None
    fresh_section = review.add(store, doc, quote="Biblioteken ska ha öppet", actor="anna")
    assert fresh_section.area == "Kultur i hela kommunen"
    same_section = review.add(store, doc, quote="Vi ska anställa fler lärare.", actor="anna")
    assert same_section.area == "Skolan (omdöpt)"


def test_words_found_in_two_places_are_added_at_the_place_chosen(store: Store) -> None:
    """Newsroom QA: the web form could not choose between two places of the same sentence.
    The refusal names the places; words with a start add the pledge at that place."""
    from lofte.errors import AmbiguousQuoteError

    body = "Skola\n\nVi ska bygga en simhall.\n\nIdrott\n\nVi ska bygga en simhall.\n"
    doc = program_document(store, body)
    with pytest.raises(AmbiguousQuoteError) as refused:
        review.add(store, doc, quote="Vi ska bygga en simhall.", actor="anna")
    second = body.rindex("Vi ska")
    assert refused.value.places == [
        (body.index("Vi ska"), body.index(".") + 1),
        (second, len(body) - 1),
    ]
    added = review.add(store, doc, quote="Vi ska bygga\nen simhall.", start=second, actor="anna")
    assert (added.start, added.end, added.area) == (second, len(body) - 1, "Idrott")
    with pytest.raises(ValidationError, match="words at 3 are not these"):
        review.add(store, doc, quote="Vi ska bygga en simhall.", start=3, actor="anna")


def test_of_words_in_two_places_the_one_no_pledge_quotes_is_taken(store: Store) -> None:
    """Chromium QA: a place inside a confirmed pledge was offered, then refused, and the
    choice was gone. Only free places are offered; one free place is taken."""
    from lofte.errors import AmbiguousQuoteError

    body = "Skola\n\nVi ska bygga en simhall.\n\nIdrott\n\nVi ska bygga en simhall.\n"
    doc = program_document(store, body)
    pledge_row(store, doc, "Vi ska bygga en simhall.", state="confirmed")  # the first place
    added = review.add(store, doc, quote="en simhall", actor="anna")
    assert added.start == body.rindex("en simhall")
    with pytest.raises(ValidationError, match="overlaps pledge|quotes|already"):
        review.add(store, doc, quote="bygga en simhall", actor="anna")  # both places taken
    third = program_document(store, body + "\nVi ska bygga en simhall.\n", slug="tre")
    pledge_row(store, third, "Vi ska bygga en simhall.", state="confirmed")
    with pytest.raises(AmbiguousQuoteError) as refused:
        review.add(store, third, quote="en simhall", actor="anna")
    assert len(refused.value.places) == 2  # of three, the two free


def test_words_that_overlap_themselves_are_found_in_each_place(store: Store) -> None:
    """Review: "mer och mer" stands twice in "mer och mer och mer" (overlapping); only the
    first was found, and the pledge was added there without asking."""
    from lofte.errors import AmbiguousQuoteError

    body = "Pengar\n\nVi vill ha mer och mer och mer pengar.\n"
    doc = program_document(store, body)
    with pytest.raises(AmbiguousQuoteError) as refused:
        review.add(store, doc, quote="mer och mer", actor="anna")
    first = body.index("mer och mer")
    assert [a for a, _ in refused.value.places] == [first, first + len("mer och ")]
