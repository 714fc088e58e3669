"""Pledge extraction from a program document (stage `extract`): pure, no database.

Candidate policy (issue 10): extract proposes generously and the classifier *ranks*; nothing a
program commits to is dropped silently.

1. **List items.** Every list and numbered item is a candidate (method "structure"), except
   page furniture, tables of contents, and the items of a list after a non-commitment colon
   ("I programmet finns sju områden …:", links to other programs, "Det här har vi gjort:")
   that carry no commitment signal of their own. A list under a commitment lead-in ("… kommer
   vi:", "Vi vill:") keeps that lead-in across a chart label or a short caption.
2. **Sentences.** Every other sentence (prose too, also in sections that have a pledge list)
   is a candidate when it has a commitment signal (`cues.commitment_signal`: a modal or
   volitional construction, a target year or deadline, an amount in an action construction;
   method "cue"), or, without a cue, when the classifier is sure of it: a score at or above
   `UNSIGNALLED_BAR` and its threshold (method "classifier").
3. **Ranking.** Each candidate's `attributes["rank"]` is the classifier's score (of its best
   commitment sentence) and `attributes["precision"]` is "specific" at or above the threshold,
   else "vague". `confidence` is the rank; a list item under a commitment lead-in blends in the
   structure prior: (STRUCTURE_PRIOR + rank) / 2. Without a classifier the rank is the prior of
   the method and precision is None. Each scored sentence is passed its `classify.Context`.
4. **Splits.** A list item whose sentences are not all commitments, or which holds several, is
   a parent; each commitment sentence (a cue, the head of an item under a commitment lead-in,
   or a classifier score at its threshold) is in
   exactly one child, and the rest (explanation, rhetoric) in none. "Och att …" fragments stay
   with the sentence before. Prose sentences are candidates of their own.
5. **Never candidates:** headings, lone bullets and markers, page numbers, running heads
   (short lines repeated on three or more pages), table-of-contents lines, questions, lead-ins
   ending in ":", and any text with fewer than three letters.

Areas are the nearest preceding section heading as printed (whitespace normalised, trailing
colon dropped), or, in a document without headings, the subject of the list's lead-in
("För att bidra till god hälsa … kommer vi:" → "Bidra till god hälsa …"). A chart's label is
no section heading (`areas.caption_label`, or a label over a figure line such as "31 miljarder
per år. …"): the section around it goes on. The cover title of a PDF program (the headings of
a first page without prose) and a chapter that repeats it give no area.

A quote never ends inside a quotation: sentences the splitter cut between an opening and a
closing quotation mark (”…”, "…", “…”, «…», »…») are one clause, when the mark closes within
a bounded window.

Attributes (`attributes.pledge_attributes`) are computed from a candidate's commitment
sentences only, with the program's term (`Term.after_election(year of the document's date)`).

Every candidate's quote is `doc.body[start:end]`; a child's span lies inside its parent's and
its `parent` is the parent's index in the returned list.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BudgetError, ConfigError
from ..language.segment import Block, document_blocks, page_reference, split_sentences
from ..model import ParsedDocument
from .areas import caption_label, intro_label, is_commitment_intro, readable, vote_appeal
from .attributes import Term, pledge_attributes
from .classify import Context
from .cues import commitment_signal, letters

EXTRACTOR = "extract"
EXTRACTOR_VERSION = "6"  # 3: a PDF program's pledges carry their pages; 4: quotations kept whole,
# caption and cover-title areas dropped, fewer "om" read as conditions, "vid mandatperiodens
# slut" a deadline; 5: sentences naming no policy ("Så ska det inte vara.") and "Få" as "few"
# give no cue, a one-letter word ("i.") ends a sentence before a capital, a call to vote
# ("Rösta på …!") is no area, a clause opened by "då" alone is a main clause; 6: a run of white
# space counts once against the sentence cap, a written call to vote ending in "!" is a heading,
# a text program's first heading that is its title is no area

# sentences and their contexts -> pledge probabilities (`classify.score_sentences`)
Scorer = Callable[[Sequence[str], Sequence[Context]], Sequence[float]]
# `on_step(unit, done, total)` of `extract_pledges`: how far it has gone through one document.
# The caller may raise in it (a time budget): the stage then stops there and returns nothing.
Step = Callable[[str, int, int], None]
READ = "characters read"  # of the body: segmented, split into sentences, cues found
SCORED = "sentences scored"  # by the scorer, once the whole body is read
# A step is reported at least every this many characters read, and between two calls of the
# scorer: never more than a few seconds apart, so a 45 MB program's progress moves and a time
# budget stops it soon after it runs out (QA: "0 of 1 documents" for the whole run).
STEP_CHARS = 65_536
# Characters of sentences scored in one call of the scorer: some 250 sentences, of which the
# e5 second opinion reads about a quarter, one batch of 64 (fewer, smaller batches cost more
# on a busy machine). e5 reads about 2 ms a token here: 25,000 characters, some 6,000 tokens,
# take 12 s at worst. A sentence's score does not depend on the others scored with it.
SCORE_CHUNK_CHARS = 25_000
_ASSEMBLY_STEP = 1_024  # units assembled between two steps

STRUCTURE_PRIOR = 0.9  # a list item under a commitment lead-in, before the classifier's view
LIST_PRIOR = 0.6  # a list item without a lead-in: structure says little
CUE_PRIOR = 0.5  # a sentence with a commitment signal, without a classifier
DEFAULT_THRESHOLD = 0.5  # for a caller's own scorer without a threshold
# A sentence with no commitment cue becomes a candidate only when the classifier is this sure
# (or more, when its own threshold is higher). On the dev set the shipped model admitted 14
# cue-less sentences at its threshold 0.5, 11 of them descriptions (0.51 to 0.86) and 3 pledges
# (0.51 to 0.69): below this bar it adds more noise than pledges.
UNSIGNALLED_BAR = 0.9
_MIN_LETTERS = 3  # fewer letters: a bullet, a page number, a chart figure
_BRIDGE_CHARS = 120  # a paragraph this short between two lists does not end a pledge list
_BRIDGE_BLOCKS = 3
_RUNNING_HEAD_REPEATS = 3
_RUNNING_HEAD_WORDS = 8
_FIGURE_WORDS = 6  # a chart's figure line under its label: "31 miljarder per år."
# A sentence opened by one of these is a fragment of the one before ("Och att …"); "Men" only
# as "Men inte …"/"Men att …": "Men motståndet är stort." is a sentence of its own, and was
# glued onto the pledge before it (QA: 12 quotes of the four 2022 manifestos).
_CONNECTOR = re.compile(
    r"^(?:och|samt|eller|liksom|men\s+(?:inte|att|även|också|bara))\b", re.IGNORECASE
)


@dataclass(frozen=True)
class PledgeCandidate:
    """A pledge proposed by the extractor; `parent` indexes the list it was returned in."""

    start: int
    end: int
    quote: str
    area: str | None
    parent: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0
    method: str = "structure"  # "structure" | "cue" | "classifier"


@dataclass
class _Group:
    """Consecutive list items of one kind and what introduced them."""

    items: list[Block]
    verdict: str = "open"  # "pledge", "reject" (another colon), "contents" or "open"
    intro: str | None = None  # the lead-in sentence


# A sentence longer than this is no sentence but a text without sentence ends (a 5 MB line;
# QA): never a candidate, nor scored. The four 2022 manifestos' longest pledge has 943.
MAX_CLAUSE_CHARS = 2_000
_WORD = re.compile(r"\S+")


def _too_long(body: str, start: int, end: int) -> bool:
    """Whether `body[start:end]` is over MAX_CLAUSE_CHARS with each run of whitespace counted
    as one space (QA: "Vi vill anställa 500 poliser", 5,000 spaces, "i Sjövik." was lost as a
    text without sentence ends). Stops counting at the cap: no copy of a 5 MB line."""
    if end - start <= MAX_CLAUSE_CHARS:
        return False
    length = -1
    for word in _WORD.finditer(body, start, end):
        length += word.end() - word.start() + 1
        if length > MAX_CLAUSE_CHARS:
            return True
    return False


# Named in the error when a document yields more candidates than the caller allows.
MAX_CANDIDATES_SETTING = "LOFTE_MAX_PLEDGES_PER_DOCUMENT"


def _too_many(doc: ParsedDocument, limit: int) -> BudgetError:
    """QA: a 45 MB program of one pledge repeated took ten minutes and 4.4 GB to extract, and
    stored 760,000 identical candidates."""
    return BudgetError(
        doc.title or doc.item_key,
        f"more than {limit:,} candidate pledges, far more than any program holds: not "
        f"extracted ({MAX_CANDIDATES_SETTING})",
    )


@dataclass
class _Unit:
    """A list item or a sentence that may become a candidate, with its sentences."""

    start: int
    end: int
    area: str | None
    method: str  # "structure" (list item) or "sentence" (decided by cues and scores)
    clauses: list[tuple[int, int]]
    signals: list[str | None]
    contexts: list[Any]
    prior: float = CUE_PRIOR
    keep_unsignalled: bool = True  # a list item is a candidate even without a signal


def default_scorer() -> tuple[Scorer, float]:
    """The shipped sentence classifier and its threshold.

    A missing model file is a broken install, not "no classifier": ConfigError says so rather
    than quietly extracting less.
    """
    from . import classify  # looked up at call time, so a test can put another in its place

    try:
        model = classify.load_classifier()
    except FileNotFoundError as exc:
        raise ConfigError(
            f"the pledge classifier's model is missing ({exc.filename}); train it, or extract "
            "with use_classifier=False (structure only)"
        ) from exc
    return classify.score_sentences, float(model.threshold)


# -- list structure ---------------------------------------------------------------------------


def _kind(marker: str) -> str:
    return "number" if marker[:1].isdigit() or marker[1:2].isdigit() else marker


def _groups(blocks: list[Block]) -> tuple[list[_Group], dict[int, int]]:
    """List groups in order, and for each list-item block index its group's index."""
    groups: list[_Group] = []
    member: dict[int, int] = {}
    open_group: _Group | None = None
    for i, b in enumerate(blocks):
        if b.kind == "noise":
            continue
        if b.kind != "list_item" or b.level:  # numbered titles open sections, not lists
            open_group = None
            continue
        if open_group is None or _kind(open_group.items[-1].marker) != _kind(b.marker):
            open_group = _Group([])
            groups.append(open_group)
        open_group.items.append(b)
        member[i] = len(groups) - 1
    return groups, member


def _last_sentence(body: str, b: Block) -> str:
    spans = split_sentences(body, b.start, b.end)
    return body[spans[-1][0] : spans[-1][1]] if spans else ""


def _looks_like_contents(body: str, group: _Group) -> bool:
    refs = sum(page_reference(body[b.start : b.end], max_digits=3) is not None for b in group.items)
    return len(group.items) >= 3 and refs * 2 >= len(group.items)


def _judge(blocks: list[Block], body: str, groups: list[_Group], member: dict[int, int]) -> None:
    """Set each group's verdict and lead-in from the blocks before it."""
    index = {id(b): i for i, b in enumerate(blocks)}
    for group in groups:
        if _looks_like_contents(body, group) or any(b.toc for b in group.items):
            group.verdict = "contents"
            continue
        i = index[id(group.items[0])] - 1
        while i >= 0 and blocks[i].kind == "noise":
            i -= 1
        prev = blocks[i] if i >= 0 else None
        if prev and prev.kind in ("paragraph", "heading") and not prev.toc:
            lead = _last_sentence(body, prev)
            if lead.endswith(":"):
                group.intro = lead
                group.verdict = "pledge" if is_commitment_intro(lead) else "reject"
                continue
        earlier = _bridged_group(blocks, body, i, member, groups)
        if earlier is not None and earlier.verdict == "pledge":
            group.verdict, group.intro = "pledge", earlier.intro


def _bridged_group(
    blocks: list[Block], body: str, i: int, member: dict[int, int], groups: list[_Group]
) -> _Group | None:
    """The list just before block `i` when only a chart or box stands between, else None.

    A box is a heading or page noise, with at most short paragraphs ("31 miljarder per år.");
    prose alone between two lists ends the first.
    """
    seen = 0
    boxed = False
    while i >= 0 and seen <= _BRIDGE_BLOCKS:
        b = blocks[i]
        if b.kind == "list_item" and i in member:
            return groups[member[i]] if boxed else None
        if b.kind == "list_item" or (b.kind == "heading" and b.level == 1):
            return None  # a numbered title or a new chapter
        if b.kind == "paragraph" and (
            b.end - b.start > _BRIDGE_CHARS or body[b.start : b.end].rstrip().endswith(":")
        ):
            return None
        boxed = boxed or b.kind in ("heading", "noise")
        seen += b.kind != "noise"
        i -= 1
    return None


# -- furniture --------------------------------------------------------------------------------


def _running_heads(body: str, blocks: list[Block]) -> set[str]:
    """Short lines that recur as blocks of their own: a running head or foot, not content."""
    counts = Counter(
        " ".join(body[b.start : b.end].split()).casefold()
        for b in blocks
        if b.kind in ("paragraph", "list_item")
        and len(body[b.start : b.end].split()) <= _RUNNING_HEAD_WORDS
    )
    return {text for text, n in counts.items() if n >= _RUNNING_HEAD_REPEATS}


def _furniture(text: str, heads: set[str]) -> bool:
    """A lone bullet, a page number, a chart figure or a running head."""
    flat = " ".join(text.split())
    return (
        letters(flat) < _MIN_LETTERS
        or flat.casefold() in heads
        or (page_reference(flat, bare_digits=3) == 0)
    )


# -- units ------------------------------------------------------------------------------------


# What a quotation mark does when no quotation is open (the mark it then waits for): Swedish
# ”…” and »…» (or »…«) open with their closer, English “…” and French «…» with their own pair.
_QUOTE_OPENS = {'"': '"', "”": "”", "“": "”", "«": "»", "»": "»"}
_QUOTE_CLOSES = {'"': '"', "”": "”", "»": "»«"}  # the closer awaited -> the marks that close it
# A quotation left open this far past its sentence is a stray mark, not a quoted passage.
_QUOTE_WINDOW = 600


def _open_quote(text: str, waiting: str | None) -> str | None:
    """The closing mark still awaited after `text`, given the one awaited before it."""
    for ch in text:
        if waiting is None:
            waiting = _QUOTE_OPENS.get(ch)
        elif ch in _QUOTE_CLOSES.get(waiting, waiting):
            waiting = None
    return waiting


def _within_quotes(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences joined where the splitter cut inside a quotation (”Alla barn. Alla dagar.”):
    a sentence whose quotation opens and does not close takes the sentences up to the one that
    closes it, when that one ends within `_QUOTE_WINDOW` characters of it; a mark that
    nothing closes in time (a stray one) joins nothing. Each sentence is scanned at most once
    per span that reaches back to it within the window: linear in the text."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        waiting = _open_quote(body[s:e], None)
        j = i
        while waiting is not None and j + 1 < len(spans) and spans[j + 1][1] - s <= _QUOTE_WINDOW:
            j += 1
            waiting = _open_quote(body[spans[j][0] : spans[j][1]], waiting)
        if waiting is None and j > i:
            out.append((s, spans[j][1]))
            i = j + 1
        else:
            out.append((s, e))
            i += 1
    return out


def _clauses(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences, with fragments ("Och att …", a lower-case run-on) joined to the sentence
    before; "Och skatterna ska …" has a commitment of its own and stays a sentence. A quotation
    is never cut: the sentences inside one are one clause (`_within_quotes`)."""
    out: list[tuple[int, int]] = []
    for s, e in _within_quotes(body, split_sentences(body, start, end)):
        text = body[s:e]
        if out and (text[:1].islower() or (_CONNECTOR.match(text) and not commitment_signal(text))):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _area(b: Block, path: tuple[str, ...], group: _Group | None, sectioned: bool) -> str | None:
    if sectioned and path:
        return readable(path[-1])
    if sectioned and b.section:
        return None  # under the cover title or a caption only: no area
    if group and group.intro:
        return intro_label(group.intro)
    return None


def _cover_titles(doc: ParsedDocument, blocks: list[Block]) -> set[str]:
    """The program's cover title: the headings of a first page that holds no text but
    headings and furniture (`block_pages` of a PDF program; a text without pages has none).

    It names the program, not a policy area; a chapter that repeats it (the introduction
    "VÅRT SVERIGE KAN BÄTTRE" under the same cover title) is no area either.
    """
    spans = sorted(tuple(int(v) for v in b) for b in doc.extra.get("block_pages", ()))
    if not spans:
        return set()
    starts = [s[0] for s in spans]
    titles: set[str] = set()
    for b in blocks:
        at = bisect_right(starts, b.start) - 1
        if b.kind == "noise" or at < 0 or spans[at][1] <= b.start:
            continue
        page = spans[at][2]
        if page > 0:
            break
        if b.kind != "heading":
            return set()  # the first page has prose or a list: no cover page
        titles.add(_label_key(doc.body[b.start : b.end]))
    return titles


def _label_key(text: str) -> str:
    return readable(text).casefold()


def _chart_label(body: str, blocks: list[Block], i: int) -> bool:
    """A section heading that labels a chart: its words are a caption (`areas.caption_label`),
    or the text under it opens with a figure line ("Långtidsarbetslösheten kostar" over
    "31 miljarder per år. Det motsvarar …")."""
    b = blocks[i]
    if caption_label(body[b.start : b.label_end]):
        return True
    if b.kind != "heading":
        return False
    j = i + 1
    while j < len(blocks) and blocks[j].kind == "noise":
        j += 1
    nxt = blocks[j] if j < len(blocks) else None
    if nxt is None or nxt.kind != "paragraph":
        return False
    spans = split_sentences(body, nxt.start, nxt.end)
    first = body[spans[0][0] : spans[0][1]] if spans else ""
    return first[:1].isdigit() and len(first.split()) <= _FIGURE_WORDS


def _area_paths(doc: ParsedDocument, blocks: list[Block]) -> list[tuple[str, ...]]:
    """Each block's section path as far as it names policy areas: the path of
    `segment.document_blocks` without chart labels, the cover title and calls to vote.

    A chart label interrupts the section it stands in (the list around it goes on under the
    section's own title); the cover title, a chapter that repeats it, and a call to vote
    ("Rösta på …!", `areas.vote_appeal`) open a stretch without an area until the next section
    title.
    """
    body = doc.body
    covers = _cover_titles(doc, blocks)
    # a text program's first heading when it is its title names the program, not an area (a
    # PDF's cover is told by its page: `_cover_titles`); a later heading of those words does
    titled = -1
    if doc.title and not doc.extra.get("block_pages"):
        first = next((i for i, b in enumerate(blocks) if b.level), -1)
        label = body[blocks[first].start : blocks[first].label_end] if first >= 0 else ""
        titled = first if _label_key(label) == _label_key(doc.title) else -1
    top: str | None = None
    sub: str | None = None
    out: list[tuple[str, ...]] = []
    for i, b in enumerate(blocks):
        if b.level:
            label = " ".join(body[b.start : b.label_end].split())
            if i == titled or _label_key(label) in covers or vote_appeal(label):
                top, sub = (None, None) if b.level == 1 else (top, None)
            elif not _chart_label(body, blocks, i):
                if b.level == 1:
                    top, sub = label, None
                else:
                    sub = label
        out.append(tuple(x for x in (top, sub) if x))
    return out


def _lead_in_areas(
    blocks: list[Block], groups: list[_Group], member: dict[int, int]
) -> dict[int, str | None]:
    """For a document without section headings: each prose block's area is the subject of the
    pledge list its prose leads up to.

    Such a program (the seed's text of a PDF whose section titles were pictures) sets out each
    area as prose followed by "För att … kommer vi:" and the list; the prose after one list and
    before the next lead-in belongs to the next list's area. Any other list (areas, links) or a
    heading in between ends the run, so the prose before it gets no area.
    """
    out: dict[int, str | None] = {}
    upcoming: str | None = None
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if b.kind == "noise":
            continue
        if i in member:
            group = groups[member[i]]
            if group.items[0] is b:  # passing a list backwards: the prose before leads to it
                pledged = group.verdict == "pledge" and group.intro
                upcoming = intro_label(group.intro) if pledged and group.intro else None
            continue
        if b.kind == "heading" or b.kind == "list_item":
            upcoming = None
            continue
        out[i] = upcoming
    return out


def _block_areas(
    doc: ParsedDocument, blocks: list[Block], groups: list[_Group], member: dict[int, int]
) -> list[str | None]:
    """Each block's policy area: its section's title, else the subject of its list's lead-in
    or, in a program without section titles, of the list its prose leads up to."""
    sectioned = any(b.level for b in blocks)
    paths = _area_paths(doc, blocks) if sectioned else []
    lead_in = {} if sectioned else _lead_in_areas(blocks, groups, member)
    return [
        _area(b, paths[i] if paths else (), groups[member[i]] if i in member else None, sectioned)
        or lead_in.get(i)
        for i, b in enumerate(blocks)
    ]


def areas_at(doc: ParsedDocument, offsets: Sequence[int]) -> list[str | None]:
    """The area extraction gives a pledge starting at each of `offsets` of `doc`, by the same
    rules (newsroom QA: a pledge an editor added under V's "Rösta på Vänsterpartiet!" took the
    area of the last pledge before it that had one, where extraction gives none)."""
    blocks = document_blocks(doc)
    groups, member = _groups(blocks)
    _judge(blocks, doc.body, groups, member)
    areas = _block_areas(doc, blocks, groups, member)
    starts = [b.start for b in blocks]
    return [areas[at] if (at := bisect_right(starts, o) - 1) >= 0 else None for o in offsets]


def _units(
    doc: ParsedDocument, prose: str, limit: int = 0, on_step: Step | None = None
) -> list[_Unit]:
    """The document's units; BudgetError once more than `limit` of them (0: no limit) are
    sure to become candidates, before the rest of a huge document is gone through.
    `on_step(READ, …)` between the passes over the whole body and as the units are read."""
    body = doc.body
    total = len(body)
    reported = 0

    def read(at: int) -> None:  # a step every STEP_CHARS characters, not at every sentence
        nonlocal reported
        if on_step is not None and at - reported >= STEP_CHARS:
            reported = at
            on_step(READ, at, total)

    def passed() -> None:  # a pass over the whole body: seconds for a 45 MB program
        if on_step is not None:
            on_step(READ, 0, total)

    passed()
    blocks = document_blocks(doc)
    passed()
    groups, member = _groups(blocks)
    _judge(blocks, body, groups, member)
    passed()
    areas = _block_areas(doc, blocks, groups, member)
    passed()
    heads = _running_heads(body, blocks)
    passed()
    since = doc.date.value.year if doc.date is not None else None  # the election year
    units: list[_Unit] = []
    previous = ""
    certain = 0  # units that become candidates whatever their scores: list items, cues

    def sentences(
        b: Block, start: int, group: _Group | None
    ) -> tuple[list[tuple[int, int]], list[str | None], list[Any]]:
        nonlocal previous
        clauses, signals, contexts = [], [], []
        in_list = b.kind == "list_item"
        for k, (s, e) in enumerate(_clauses(body, start, b.end)):
            read(e)  # a paragraph of a million sentences is read step by step too
            if _too_long(body, s, e):
                continue  # no sentence: a run of text without a sentence end
            text = body[s:e]
            clauses.append((s, e))
            signal = commitment_signal(text, in_list=in_list and k == 0, since=since)
            if k == 0 and group is not None and group.verdict == "pledge" and not signal:
                signal = "lead-in"  # the item completes "Vi vill:": its head is the pledge
            signals.append(signal)
            contexts.append(
                Context(
                    previous=previous,
                    in_list=in_list,
                    list_intro=(group.intro or "") if group else "",
                    heading=readable(b.section[-1]) if b.section else "",
                    position=k,
                )
            )
            previous = text
        return clauses, signals, contexts

    for i, b in enumerate(blocks):
        read(b.start)
        if b.kind in ("noise", "heading") or b.toc:
            continue
        group = groups[member[i]] if i in member else None
        area = areas[i]
        text = body[b.start : b.end]
        if _furniture(text, heads) or (group and group.verdict == "contents"):
            continue
        if group is not None:  # an item of a list
            clauses, signals, contexts = sentences(b, b.start, group)
            if not clauses:
                continue  # only text too long to be sentences
            if group.verdict == "reject" and not any(signals):
                continue  # a list of areas or links after another kind of colon
            prior = STRUCTURE_PRIOR if group.verdict == "pledge" else LIST_PRIOR
            certain += 1
            if limit and certain > limit:
                raise _too_many(doc, limit)
            units.append(
                _Unit(b.start, b.end, area, "structure", clauses, signals, contexts, prior=prior)
            )
            continue
        if prose == "none":
            continue
        # a paragraph, or a numbered title's prose after its title
        start = b.label_end if b.kind == "list_item" else b.start
        clauses, signals, contexts = sentences(b, start, None)
        for span, signal, ctx in zip(clauses, signals, contexts, strict=True):
            if letters(body[span[0] : span[1]]) >= _MIN_LETTERS and not _furniture(
                body[span[0] : span[1]], heads
            ):
                certain += bool(signal)
                if limit and certain > limit:
                    raise _too_many(doc, limit)
                units.append(
                    _Unit(
                        span[0],
                        span[1],
                        area,
                        "sentence",
                        [span],
                        [signal],
                        [ctx],
                        keep_unsignalled=False,
                    )
                )
    if on_step is not None:
        on_step(READ, total, total)
    return units


# -- assembly ---------------------------------------------------------------------------------


# The attributes a pledge's own span gives it (its text and its place), as against the
# classifier's rank and precision: an editor's new span (a split's part, a merge, an edited
# span) gets these afresh (QA: a split's parts had none, an edited span kept the old deadline).
SPAN_ATTRIBUTES = frozenset(
    ("type", "quantity", "deadline", "deadline_year", "conditional", "checkable", "pages")
)


class PageSpans:
    """Where a PDF program's reader put each page's text (`block_pages`: body start, end, first
    and last page, 0-based), indexed once per document: a span's pages are found by bisection,
    not by a scan of every block per candidate."""

    def __init__(self, doc: ParsedDocument) -> None:
        blocks = sorted(tuple(int(v) for v in b) for b in doc.extra.get("block_pages", ()))
        self._starts = [b[0] for b in blocks]
        self._ends = [b[1] for b in blocks]  # ascending too: the blocks do not overlap
        self._pages = [(b[2], b[3]) for b in blocks]

    def of(self, start: int, end: int) -> dict[str, list[int]]:
        """`{"pages": [first, last]}`, 1-based, of the span; empty for a text without pages.
        QA: a coder could not cite or check the page of any pledge."""
        on = self._pages[bisect_right(self._ends, start) : bisect_left(self._starts, end)]
        if not on:
            return {}
        return {"pages": [min(a for a, _ in on) + 1, max(b for _, b in on) + 1]}


def span_pages(doc: ParsedDocument, start: int, end: int) -> dict[str, list[int]]:
    """The pages of one span of `doc` (see `PageSpans`)."""
    return PageSpans(doc).of(start, end)


def span_attributes(doc: ParsedDocument, start: int, end: int) -> dict[str, Any]:
    """The `SPAN_ATTRIBUTES` of a span of `doc`: what its text says (with the program's term)
    and the pages it stands on."""
    return pledge_attributes(doc.body[start:end], _term(doc)) | span_pages(doc, start, end)


def _term(doc: ParsedDocument) -> Term | None:
    """The term after the election in the program's year: relative deadlines resolve to it.

    A program is dated in its election year (`lofte ingest --date 2022`); an undated one has
    no term, and its relative deadlines keep their words without a year.
    """
    return Term.after_election(doc.date.value.year) if doc.date is not None else None


def _score(scorer: Scorer, texts: list[str], contexts: list[Context]) -> list[float]:
    values = [float(v) for v in scorer(texts, contexts)]
    if len(values) != len(texts):
        raise ValueError(f"the scorer returned {len(values)} scores for {len(texts)} texts")
    return values


def _chunks(spans: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """`spans` in order, cut into runs of about SCORE_CHUNK_CHARS characters (at least one)."""
    chunk: list[tuple[int, int]] = []
    size = 0
    for span in spans:
        chunk.append(span)
        size += span[1] - span[0]
        if size >= SCORE_CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _score_all(
    scorer: Scorer, body: str, spans: dict[tuple[int, int], Any], on_step: Step | None
) -> dict[tuple[int, int], float]:
    """Each span's score, a chunk at a time (`SCORE_CHUNK_CHARS`), with a step before each."""
    keys = list(spans)
    values: list[float] = []
    for chunk in _chunks(keys):
        if on_step is not None:
            on_step(SCORED, len(values), len(keys))
        values += _score(scorer, [body[s:e] for s, e in chunk], [spans[k] for k in chunk])
    if on_step is not None:
        on_step(SCORED, len(values), len(keys))
    return dict(zip(keys, values, strict=True))


def extract_pledges(
    doc: ParsedDocument,
    scorer: Scorer | None = None,
    *,
    threshold: float | None = None,
    use_classifier: bool = True,
    prose: str = "all",
    max_candidates: int = 0,
    on_step: Step | None = None,
) -> list[PledgeCandidate]:
    """Pledge candidates of a program document, ordered by position, parents before children.

    `scorer` maps sentences (and their `classify.Context`s) to pledge probabilities; by default
    the shipped classifier when present. `use_classifier=False` keeps to structure and cues.
    `prose` is "all" (sentences anywhere) or "none" (list items only). More than
    `max_candidates` candidates (0: no limit) raise BudgetError, as early as can be told.
    `on_step(unit, done, total)` is called every few seconds at most: `READ` characters of the
    body, then `SCORED` sentences; whatever it raises stops the stage (a caller's time budget).
    """
    if prose not in ("all", "none"):
        raise ValueError(f"prose must be 'all' or 'none', not {prose!r}")
    if use_classifier and scorer is None:
        scorer, default_threshold = default_scorer()
        threshold = default_threshold if threshold is None else threshold
    if not use_classifier:
        scorer = None
    cut = DEFAULT_THRESHOLD if threshold is None else threshold
    bar = max(cut, UNSIGNALLED_BAR)
    body = doc.body
    units = _units(doc, prose, max_candidates, on_step)
    scores: dict[tuple[int, int], float] = {}
    if scorer is not None and units:
        spans: dict[tuple[int, int], Any] = {}
        for u in units:
            for span, ctx in zip(u.clauses, u.contexts, strict=True):
                spans.setdefault(span, ctx)
        scores = _score_all(scorer, body, spans, on_step)
    term = _term(doc)
    pages = PageSpans(doc)
    out: list[PledgeCandidate] = []
    for n, unit in enumerate(units, 1):
        if on_step is not None and n % _ASSEMBLY_STEP == 0:  # attributes of 20,000 candidates
            on_step(SCORED, len(scores), len(scores))
        # inside a list item (a candidate anyway) the threshold picks its commitments; a prose
        # sentence without a cue needs the bar to become a candidate at all
        need = cut if unit.keep_unsignalled else bar
        parts = [
            c
            for c, signal in zip(unit.clauses, unit.signals, strict=True)
            if signal or (scores.get(c, 0.0) >= need and _may_commit(body[c[0] : c[1]]))
        ]
        if not parts and not unit.keep_unsignalled:
            continue
        rated = parts or unit.clauses
        score = max((scores[c] for c in rated if c in scores), default=None)
        method = unit.method
        if method == "sentence":
            method = "cue" if unit.signals[0] else "classifier"
        split = len(parts) >= 2 or (len(parts) == 1 and len(unit.clauses) > 1)
        parent = len(out)
        own = parts if parts else unit.clauses
        out.append(
            _candidate(
                body,
                unit.start,
                unit.end,
                unit.area,
                None,
                method,
                score,
                cut,
                unit.prior,
                pledge_attributes(_joined(body, own), term) | pages.of(unit.start, unit.end),
            )
        )
        if split:
            for s, e in parts:
                out.append(
                    _candidate(
                        body,
                        s,
                        e,
                        unit.area,
                        parent,
                        method,
                        scores.get((s, e)),
                        cut,
                        unit.prior,
                        pledge_attributes(body[s:e], term) | pages.of(s, e),
                    )
                )
        if max_candidates and len(out) > max_candidates:
            raise _too_many(doc, max_candidates)
    return out


def _may_commit(text: str) -> bool:
    """Questions and lead-ins ("Därför vill vi att:") commit to nothing, whatever their score."""
    return not text.rstrip().endswith(("?", ":"))


def _joined(body: str, spans: list[tuple[int, int]]) -> str:
    return " ".join(body[s:e] for s, e in spans)


def _candidate(
    body: str,
    start: int,
    end: int,
    area: str | None,
    parent: int | None,
    method: str,
    score: float | None,
    cut: float,
    prior: float,
    attributes: dict[str, Any],
) -> PledgeCandidate:
    if score is None:  # no classifier: the method's prior ranks
        rank, precision, confidence = prior, None, prior
    else:
        rank = round(score, 4)
        precision = "specific" if rank >= cut else "vague"
        confidence = (
            (prior + score) / 2 if method == "structure" and prior == STRUCTURE_PRIOR else score
        )
    return PledgeCandidate(
        start=start,
        end=end,
        quote=body[start:end],
        area=area,
        parent=parent,
        attributes={**attributes, "rank": round(rank, 4), "precision": precision},
        confidence=round(confidence, 4),
        method=method,
    )
