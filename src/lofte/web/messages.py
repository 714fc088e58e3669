"""The library's error messages in the page's language.

The library (`lofte.review`, `lofte.store`) raises its errors in English, for the CLI and the
API. Pages show them through the `msg` filter, which gives the Swedish wording of each known
message (its values kept) when the page is Swedish, and an English wording where the library's
text names a code value (a status) or reads like a log line; an unknown message stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from ..publish.numbers import grouped
from ..publish.records import RECORDS_SHOWN, SPREAD, detail_lines
from .i18n import DETAIL_KEYS, STRINGS, translate
from .templating import details, swedish

# the not-found kinds a reader can reach by an address: (pattern, Swedish, English)
_NOT_FOUND = (
    (
        r"^no pledge with id (?P<id>\d+)( in tracker .*)?$",
        "Det finns inget löfte med nummer {id}.",
        "There is no pledge number {id}.",
    ),
    (
        r"^no document (with id )?(?P<id>\d+)( in tracker .*)?$",
        "Det finns inget dokument med nummer {id}.",
        "There is no document number {id}.",
    ),
    (
        r"^no tracker named '(?P<slug>[^']*)'$",
        "Det finns ingen mätare som heter '{slug}'.",
        "There is no tracker named '{slug}'.",
    ),
    (
        r"^the tracker '(?P<slug>[^']*)' was deleted on (?P<day>\d{4}-\d{2}-\d{2})$",
        "Mätaren '{slug}' togs bort {day}: dess sidor och data finns inte längre här.",
        "The tracker '{slug}' was deleted on {day}: its pages and data are no longer here.",
    ),
    (
        r"^no tracker with id (?P<id>\d+)$",
        "Det finns ingen mätare med nummer {id}.",
        "There is no tracker number {id}.",
    ),
    (
        r"^no evidence with id (?P<id>-?\d+)$",
        "Det finns inget belägg med nummer {id}.",
        "There is no evidence number {id}.",
    ),
    (
        r"^no verdict with id (?P<id>\d+)$",
        "Det finns ingen bedömning med nummer {id}.",
        "There is no verdict number {id}.",
    ),
    (
        r"^no party '(?P<party>[^']*)' in tracker .*$",
        "Det finns inget parti '{party}' i den här mätaren.",
        "There is no party '{party}' in this tracker.",
    ),
    (
        r"^no archived copy .*$",
        "Det finns ingen sådan arkiverad kopia.",
        "There is no such archived copy.",
    ),
)

# the editors' settings pages (notifications, sources, the tracker's settings), whose
# library messages are written for the CLI: (pattern, Swedish, English)
_URL = r"^(?:webhook )?URL (?P<url>.+): "
_SETTINGS = (
    (
        r"^not an e-mail address: '(?P<value>.*)'$",
        "'{value}' är ingen e-postadress.",
        "'{value}' is not an e-mail address.",
    ),
    (
        r"^give an e-mail address, a webhook URL or both$",
        "Ange en e-postadress, en webhook-adress eller båda.",
        "Give an e-mail address, a webhook URL or both.",
    ),
    (
        r"^the webhook secret needs at least (?P<n>\d+) characters$",
        "Webhookens hemlighet måste ha minst {n} tecken.",
        "The webhook secret needs at least {n} characters.",
    ),
    (
        r"^the webhook secret is too long \(at most (?P<n>\d+) characters\)$",
        "Webhookens hemlighet är för lång (högst {n} tecken).",
        "The webhook secret is too long (at most {n} characters).",
    ),
    (
        r"^(?P<name>.+) is not an editor: only editors get digests$",
        "{name} är inte redaktör: bara redaktörer får sammanfattningar.",
        "{name} is not an editor: only editors get digests.",
    ),
    (
        _URL + r"give one http\(s\) URL without spaces$",
        "Adressen {url}: ange en http(s)-adress utan mellanslag.",
        "The URL {url}: give one http(s) URL without spaces.",
    ),
    (
        _URL + r"only http\(s\) URLs are used$",
        "Adressen {url}: bara http(s)-adresser används.",
        "The URL {url}: only http(s) URLs are used.",
    ),
    (
        _URL + r"the URL names no host$",
        "Adressen {url} anger ingen värd.",
        "The URL {url} names no host.",
    ),
    (
        _URL + r"URLs with credentials are not used$",
        "Adressen {url} innehåller inloggningsuppgifter; sådana adresser används inte.",
        "The URL {url} holds credentials; such URLs are not used.",
    ),
    (  # the rest: a URL neither urllib nor httpx can read (their reason is in English)
        _URL + r"(?P<why>.+)$",
        "Adressen {url} går inte att läsa som en webbadress.",
        "The URL {url} cannot be read as a web address ({why}).",
    ),
    (
        r"^source '(?P<name>.*)' is paused already$",
        "Källan '{name}' är redan pausad.",
        "The source '{name}' is paused already.",
    ),
    (
        r"^tracker '(?P<slug>[^']*)' is archived \(no longer followed up\): its sources do not "
        r"run; `lofte tracker unarchive \S+` first$",
        "Mätaren {slug} är arkiverad och följs inte längre upp, så dess källor körs inte. Ta "
        "tillbaka den från arkivet först.",
        "Tracker {slug} is archived and no longer followed up, so its sources do not run. "
        "Bring it back from the archive first.",
    ),
    (
        r"^source '(?P<name>.*)' is not paused already$",
        "Källan '{name}' är redan igång.",
        "The source '{name}' is running already.",
    ),
    (
        r"^a tracker needs a name$",
        "En mätare behöver ett namn.",
        "A tracker needs a name.",
    ),
    (
        r"^actor '(?P<name>.*)'…: at most (?P<n>\d+) characters$",
        "Aktören '{name}'… är för lång: högst {n} tecken.",
        "The actor '{name}'… is too long: at most {n} characters.",
    ),
    (
        r"^the term ends \((?P<end>[\d-]+)\) before it starts \((?P<start>[\d-]+)\)$",
        "Mandatperioden slutar ({end}) innan den börjar ({start}).",
        "The term ends ({end}) before it starts ({start}).",
    ),
    (
        r"^term start: use YYYY-MM-DD$",
        "Mandatperioden börjar: skriv datumet som ÅÅÅÅ-MM-DD.",
        "Term starts: write the date as YYYY-MM-DD.",
    ),
    (
        r"^term end: use YYYY-MM-DD$",
        "Mandatperioden slutar: skriv datumet som ÅÅÅÅ-MM-DD.",
        "Term ends: write the date as YYYY-MM-DD.",
    ),
    (
        r"^tracker '(?P<slug>.*)' is archived already$",
        "Mätaren {slug} är redan arkiverad.",
        "Tracker {slug} is archived already.",
    ),
    (
        r"^tracker '(?P<slug>.*)' is not archived already$",
        "Mätaren {slug} är inte arkiverad.",
        "Tracker {slug} is not archived.",
    ),
    (
        r"^type the tracker's slug '(?P<slug>.*)' to confirm deleting it$",
        "Skriv mätarens kortnamn ({slug}) för att bekräfta att den ska raderas.",
        "Type the tracker's short name ({slug}) to confirm deleting it.",
    ),
    (
        r"^tracker '(?P<slug>.*)' is public: archive it first .*$",
        "Mätaren {slug} är publik: arkivera den först.",
        "Tracker {slug} is public: archive it first.",
    ),
    (
        r"^tracker '(?P<slug>.*)' was changed by someone else since you loaded it; .*$",
        # the page keeps the input and shows the other change: reloading would lose it
        "Mätaren {slug} har ändrats av någon annan sedan du öppnade sidan. Det du skrev står "
        "kvar: se efter vad den andra ändringen gjorde och spara sedan igen.",
        "Tracker {slug} was changed by someone else since you opened the page. What you wrote "
        "is still here: look at the other change, then save again.",
    ),
    (
        r"^the form's state is malformed: reload the page and send the form from there$",
        "Formuläret är skadat: ladda om sidan och skicka formuläret därifrån.",
        "The form is damaged: reload the page and send the form from there.",
    ),
)

# A text over its length limit (review.reasons.checked_length; QA: "are kept" read as if the
# text were cut, and nothing is saved); the numbers are grouped as the page's language writes
# them ("20,001", "20 001": `message`)
_LENGTH = r"(?P<chars>\d+) characters; at most (?P<limit>\d+) are allowed, nothing was saved$"
_NOT_SAVED_SV = "; inget sparades."
_NOT_SAVED_EN = "; nothing was saved."

# the page that attaches evidence by hand (a document, an address, a file)
_ATTACH = (
    (
        r"^pledge (?P<id>\d+) is rejected: it takes no evidence$",
        "Löfte {id} är avvisat och tar inte emot belägg.",
        "Pledge {id} is rejected: it takes no evidence.",
    ),
    (
        r"^evidence (?P<id>\d+) is not in tracker (?P<slug>\S+)$",
        "Belägg {id} finns inte i mätaren {slug}.",
        "Evidence {id} is not in tracker {slug}.",
    ),
    (
        r"^document (?P<doc>\d+) is in tracker (?P<theirs>\S+), "
        r"pledge (?P<id>\d+) in (?P<slug>\S+)$",
        "Dokument {doc} finns i mätaren {theirs}, löfte {id} i {slug}.",
        "Document {doc} is in tracker {theirs}, pledge {id} in {slug}.",
    ),
    (
        r"^document (?P<doc>\d+) is the program pledge (?P<id>\d+) comes from$",
        "Dokument {doc} är programmet som löfte {id} kommer från.",
        "Document {doc} is the program pledge {id} comes from.",
    ),
    (
        r"^url '(?P<value>.*)' is not an absolute http\(s\) address without credentials or "
        r"spaces, of at most (?P<n>\d+) characters$",
        "'{value}' är ingen fullständig http(s)-adress utan inloggningsuppgifter och mellanslag, "
        "med högst {n} tecken.",
        "'{value}' is not a full http(s) address without login details or spaces, of at most "
        "{n} characters.",
    ),
    (
        r"^not an http\(s\) address: '(?P<value>.*)'$",
        "'{value}' är ingen http(s)-adress.",
        "'{value}' is not an http(s) address.",
    ),
    (
        # QA: shown in English on the Swedish pledge page
        r"^evidence (?P<ev>\d+) is a source of the current verdict of pledge (?P<id>\d+) "
        r"\((?P<status>\w+)\): set a new verdict without it first$",
        "Belägg {ev} är en källa till löfte {id}s nuvarande bedömning ({status}): sätt först "
        "en ny bedömning utan det.",
        "Evidence {ev} is a source of the current verdict of pledge {id} ({status}): set a new "
        "verdict without it first.",
    ),
    (
        r"^verdict (?P<new>\d+), about the same moment, was published after draft "
        r"(?P<id>\d+) was saved: save the draft's verdict again to make it the newer one$",
        "Bedömning {new}, om samma tidpunkt, publicerades efter att utkast {id} sparades: spara "
        "utkastets bedömning igen för att göra den till den nyare.",
        "Verdict {new}, about the same moment, was published after draft {id} was saved: save "
        "the draft's verdict again to make it the newer one.",
    ),
    (
        r"^evidence (?P<ev>\d+) is a source of pledge (?P<id>\d+)'s published verdicts? "
        r"(?P<ids>\d+(?:, \d+)*): a published verdict's sources stay in its history; a new "
        r"verdict can say the evidence did not hold$",
        "Belägg {ev} är en källa till publicerade bedömningar av löfte {id} ({ids}): en "
        "publicerad bedömnings källor står kvar i dess historik. En ny bedömning kan säga att "
        "belägget inte höll.",
        "Evidence {ev} is a source of published verdicts of pledge {id} ({ids}): a published "
        "verdict's sources stay in its history. A new verdict can say the evidence did not hold.",
    ),
    (
        r"^document (?P<doc>\d+) is already evidence (?P<ev>\d+) of pledge (?P<id>\d+) "
        r"\((?P<state>\w+)\)$",
        "Dokument {doc} är redan belägg {ev} för löfte {id} ({state}).",
        "Document {doc} is already evidence {ev} of pledge {id} ({state}).",
    ),
    (
        r"^the passage '(?P<passage>.*)' is not in document (?P<doc>\d+) \(as whole words\): "
        r"copy it from the text$",
        "Stycket '{passage}' finns inte i dokument {doc} (som hela ord): kopiera det ur texten.",
        "The passage '{passage}' is not in document {doc} (as whole words): copy it from the text.",
    ),
    (
        r"^the passage '(?P<passage>.*)' is not in the document \(as whole words\): "
        r"copy it from the text$",
        "Stycket '{passage}' finns inte i dokumentet (som hela ord): kopiera det ur texten.",
        "The passage '{passage}' is not in the document (as whole words): copy it from the text.",
    ),
    (
        r"^the passage has " + _LENGTH,
        "Stycket har {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        "The passage has {chars} characters; at most {limit} are allowed" + _NOT_SAVED_EN,
    ),
)

# publishing a draft verdict (store.verdicts): QA, shown in English on the Swedish pledge page
_STANDS = r"no longer accepted: save the verdict again with the evidence that stands$"
_PUBLISH = (
    (
        r"^verdict (?P<verdict>\d+) cites evidence (?P<ev>\d+), " + _STANDS,
        "Bedömning {verdict} hänvisar till belägg {ev}, som inte längre är godtaget: spara "
        "bedömningen igen med de belägg som står kvar.",
        "Verdict {verdict} cites evidence {ev}, which is no longer accepted: save the verdict "
        "again with the evidence that stands.",
    ),
    (
        r"^verdict (?P<verdict>\d+) cites evidence (?P<ev>\d+(?:, \d+)+), " + _STANDS,
        "Bedömning {verdict} hänvisar till belägg {ev}, som inte längre är godtagna: spara "
        "bedömningen igen med de belägg som står kvar.",
        "Verdict {verdict} cites evidence {ev}, which are no longer accepted: save the verdict "
        "again with the evidence that stands.",
    ),
)

# Deleting a document (review/documents.delete_document); `named` lists records in English
# ("evidence 5 of pledge 3, pledge 4 and 2 more"), put in Swedish by `_named_sv`
_WITHDRAW = (
    r"accepted evidence \((?P<named>.+)\): withdraw it first \(`lofte reject-evidence \d+ "
    r"--any-state`, or Withdraw on the pledge's page\)$"
)
_DELETE = (
    (
        r"^type the document's id (?P<id>\d+) to confirm deleting it$",
        "Skriv dokumentets nummer {id} för att bekräfta att det ska raderas.",
        "Type the document's number {id} to confirm deleting it.",
    ),
    (
        r"^document (?P<id>\d+) is " + _WITHDRAW,
        "Dokument {id} är godtaget som belägg ({named}): dra tillbaka det först, med knappen "
        "Dra tillbaka på löftets sida.",
        "Document {id} is accepted evidence ({named}): withdraw it first, with Withdraw on the "
        "pledge's page.",
    ),
    (
        r"^document (?P<id>\d+) is the program of pledges with " + _WITHDRAW,
        "Dokument {id} är programmet för löften med godtagna belägg ({named}): dra tillbaka "
        "dem först, med knappen Dra tillbaka på löftets sida.",
        "Document {id} is the program of pledges with accepted evidence ({named}): withdraw it "
        "first, with Withdraw on the pledge's page.",
    ),
    (
        r"^document (?P<id>\d+) is the program of rated pledges \((?P<named>.+)\): their "
        r"verdicts keep it$",
        "Dokument {id} är programmet för bedömda löften ({named}): bedömningarna behåller det.",
        "Document {id} is the program of rated pledges ({named}): their verdicts keep it.",
    ),
    (
        r"^document (?P<id>\d+) is the program of confirmed pledges \((?P<named>.+)\): reject "
        r"them first \(`lofte pledge reject \d+`, or Reject on the pledge's page\)$",
        "Dokument {id} är programmet för bekräftade löften ({named}): avvisa dem först, på "
        "löftenas sidor.",
        "Document {id} is the program of confirmed pledges ({named}): reject them first, on "
        "the pledges' pages.",
    ),
    (
        r"^document (?P<id>\d+) cannot be deleted: (?P<named>.+) cited it, and a verdict's "
        r"sources stay in its pledge's timeline$",
        "Dokument {id} kan inte raderas: {named} hänvisade till det, och en bedömnings källor "
        "står kvar i löftets historik.",
        "Document {id} cannot be deleted: {named} cited it, and a verdict's sources stay in its "
        "pledge's timeline.",
    ),
    (
        r"^document (?P<id>\d+) not deleted: a `lofte link` run is linking (?P<slug>\S+) "
        r"\((?P<who>.+)\); try again when it has finished$",
        "Dokument {id} raderades inte: en körning av lofte link länkar {slug} just nu ({who}). "
        "Försök igen när den är klar.",
        "Document {id} was not deleted: a lofte link run is linking {slug} now ({who}). Try "
        "again when it has finished.",
    ),
)


def _named_sv(named: str) -> str:
    """A list of records as the library names them, in Swedish."""
    for pattern, wording in _NAMED_SV:
        named = pattern.sub(wording, named)
    return named


def _run_sv(who: str) -> str:
    """A link run as `linking_claim.describe` names it, in Swedish (QA: the web's refusal
    named it in English, "process 41 on host-a since …")."""
    found = re.fullmatch(r"process (\d+) on (.+) since (.+) UTC", who)
    if found:
        return f"process {found[1]} på {found[2]} sedan {found[3]} UTC"
    return "en annan körning" if who == "another run" else who


_NAMED_SV = [
    (re.compile(p), sv)
    for p, sv in (
        (r"\bof pledge\b", "till löfte"),
        (r"\bpledge\b", "löfte"),
        (r"\bverdict\b", "bedömning"),
        (r"\bevidence\b", "belägg"),
        (r" and (\d+) more$", r" och \1 till"),
    )
]

# A file an editor uploads that no reader can take: `InputError` reads "<file name>: <why>"
# (the page gives the name, not the stored origin `upload:<hash>/<name>`).
_UPLOAD = (
    (
        r"^(?P<name>.+): the file is empty$",
        "{name}: filen är tom.",
        "{name}: the file is empty.",
    ),
    (
        r"^(?P<name>.+): the PDF is truncated \(no end-of-file marker\); download it again$",
        "{name}: PDF-filen är avkortad (slutmarkören saknas); ladda ner den igen.",
        "{name}: the PDF is truncated (no end-of-file marker); download it again.",
    ),
    (
        r"^(?P<name>.+): the PDF is encrypted with a password; decrypt it first$",
        "{name}: PDF-filen är skyddad med lösenord; lås upp den först.",
        "{name}: the PDF is encrypted with a password; decrypt it first.",
    ),
    (
        r"^(?P<name>.+): the PDF is damaged and cannot be opened \(.*\)$",
        "{name}: PDF-filen är skadad och går inte att öppna.",
        "{name}: the PDF is damaged and cannot be opened.",
    ),
    (
        r"^(?P<name>.+): not a PDF file \(no %PDF header\)$",
        "{name}: filen är ingen PDF (den saknar PDF-huvud).",
        "{name}: the file is not a PDF (it has no PDF header).",
    ),
    (
        r"^(?P<name>.+): no reader accepts this binary data \(a zip file: unpack an archive "
        r"and ingest its folder; save a Word, Excel or OpenDocument file as PDF or text\)$",
        "{name}: filen är en zip-fil, som Löfte inte läser: packa upp ett arkiv och läs in "
        "dess mapp; spara en Word-, Excel- eller OpenDocument-fil som PDF eller text.",
        "{name}: the file is a zip file, which Löfte does not read: unpack an archive and "
        "ingest its folder; save a Word, Excel or OpenDocument file as PDF or text.",
    ),
    (  # text with control bytes (`decode.binary_reason`)
        r"^(?P<name>.+): no reader accepts this binary data \((?P<controls>[\d,]+) control bytes "
        r"such as NUL or ESC in its first (?P<head>[\d,]+) bytes; text has next to none\)$",
        "{name}: filen har {controls} styrtecken, som NUL eller ESC, bland sina första {head} "
        "byte och läses därför inte som text (text har nästan inga): ta bort dem och läs in "
        "filen igen.",
        "{name}: the file has {controls} control bytes, such as NUL or ESC, in its first {head} "
        "bytes, so it is not read as text (text has next to none): remove them and ingest it "
        "again.",
    ),
    (
        r"^(?P<name>.+): no reader accepts this (?:binary data|text)$",
        "{name}: Löfte kan inte läsa filens format (PDF, HTML, RSS/Atom, Markdown, text, CSV "
        "och JSON går).",
        "{name}: Löfte cannot read this file's format (PDF, HTML, RSS/Atom, Markdown, text, CSV "
        "and JSON can be read).",
    ),
    (
        r"^(?P<name>.+): (?P<n>[\d,]+) bytes is over the limit of (?P<max>[\d,]+) "
        r"\(LOFTE_MAX_INPUT_BYTES\)$",
        "{name}: filen är {n} byte, över gränsen på {max} (LOFTE_MAX_INPUT_BYTES).",
        "{name}: the file is {n} bytes, over the limit of {max} (LOFTE_MAX_INPUT_BYTES).",
    ),
    (
        r"^pledges (?P<ids>[\d, ]+) lie between the pledges to merge: merge them too, or merge "
        r"neighbours only$",
        "Löftena {ids} ligger mellan dem som ska slås ihop: slå ihop dem också, eller bara "
        "grannar.",
        "Pledges {ids} lie between the pledges to merge: merge them too, or merge neighbours only.",
    ),
    (
        r"^pledge (?P<id>\d+) lies between the pledges to merge: merge it too, or merge "
        r"neighbours only$",
        "Löfte {id} ligger mellan dem som ska slås ihop: slå ihop det också, eller bara grannar.",
        "Pledge {id} lies between the pledges to merge: merge it too, or merge neighbours only.",
    ),
    # a new or moved span (review/spans.py); the page names the words, not their offsets
    # in the document's text (QA: "Texten 19–25" told an editor nothing)
    (
        r"^the span (?P<span>\d+–\d+) overlaps pledge (?P<ids>\d+), which quotes these words "
        r"already: .*$",
        "Orden du valde överlappar löfte {ids}, som redan citerar dem: redigera eller "
        "avvisa det först, eller välj andra ord.",
        "The words you chose overlap pledge {ids}, which quotes them already: edit or "
        "reject it first, or choose other words.",
    ),
    (
        r"^the span (?P<span>\d+–\d+) overlaps pledges (?P<ids>[\d, …]+), which quote these "
        r"words already: .*$",
        "Orden du valde överlappar löftena {ids}, som redan citerar dem: redigera eller "
        "avvisa dem först, eller välj andra ord.",
        "The words you chose overlap pledges {ids}, which quote them already: edit or "
        "reject them first, or choose other words.",
    ),
    (
        r"^the span's (?P<bound>start|end) at (?P<at>\d+) falls inside the word '(?P<word>.*)'"
        r": start and end between words \(at (?P<a>\d+) or (?P<b>\d+)\)$",
        "Textens {bound_sv} vid {at} hamnar mitt i ordet '{word}': börja och sluta mellan "
        "ord (vid {a} eller {b}).",
        "The span's {bound} at {at} falls inside the word '{word}': start and end between "
        "words (at {a} or {b}).",
    ),
    (
        r"^the cut at (?P<at>\d+) falls inside the word '(?P<word>.*)': cut between words "
        r"\(at (?P<a>\d+) or (?P<b>\d+)\)$",
        "Delningen vid {at} hamnar mitt i ordet '{word}': dela mellan ord (vid {a} eller {b}).",
        "The cut at {at} falls inside the word '{word}': cut between words (at {a} or {b}).",
    ),
    (
        r"^pledges? (?P<ids>[\d, ]+) ha(?:s|ve) a verdict or accepted evidence, which a merge "
        r"would leave with rejected pledges: .*$",
        "Löfte {ids} har en bedömning eller godtagna belägg, som en sammanslagning skulle lämna "
        "kvar hos avvisade löften: slå bara ihop löften utan sådana (avvisa hellre en dubblett).",
        "Pledge {ids} has a verdict or accepted evidence, which a merge would leave with "
        "rejected pledges: merge only pledges without them (reject a duplicate instead).",
    ),
    (
        r"^pledge (?P<ids>\d+) has a verdict or accepted evidence, which a split would leave "
        r"with a group the meter counts only through its new parts: .*$",
        "Löfte {ids} har en bedömning eller godtagna belägg, som en delning skulle lämna kvar "
        "hos en grupp som mätaren bara räknar genom sina nya delar: dela löften innan de bedöms.",
        "Pledge {ids} has a verdict or accepted evidence, which a split would leave with a "
        "group the meter counts only through its new parts: split pledges before they are rated.",
    ),
    (
        r"^pledge (?P<id>\d+) was merged into pledge (?P<merged>\d+), which quotes it: .*$",
        "Löfte {id} är sammanslaget i löfte {merged}, som citerar det: redigera eller dela löfte "
        "{merged} i stället, eller avvisa det först.",
        "Pledge {id} was merged into pledge {merged}, which quotes it: edit or split pledge "
        "{merged} instead, or reject it first.",
    ),
    (
        r"^party '(?P<party>.*)' is not one of the tracker's actors: (?P<actors>.*)$",
        "Partiet '{party}' är inte en av mätarens aktörer: {actors}.",
        "The party '{party}' is not one of the tracker's actors: {actors}.",
    ),
)

# Fetching an address an editor attaches: `InputError` reads "<url>: <why>"; the why of the
# common failures in words, the rest (httpx's own reasons) stays as the library wrote it.
_FETCH = (
    (
        r"^(?P<url>\S+): HTTP (?P<code>\d{3})\b.*$",
        "Adressen {url} svarade med HTTP {code}: inget hämtades.",
        "The address {url} answered HTTP {code}: nothing was fetched.",
    ),
    (
        r"^(?P<url>\S+): (?:cannot read \S+: )?timed out after (?P<s>[\d.]+) s\b.*$",
        "Adressen {url} svarade inte inom {s} sekunder.",
        "The address {url} did not answer within {s} seconds.",
    ),
    (
        r"^(?P<url>\S+): (?:cannot connect|cannot read \S+): .*$",  # the robots.txt is first
        "Det gick inte att nå {url}.",
        "Could not reach {url}.",
    ),
    (
        r"^(?P<url>\S+): robots\.txt of (?P<host>\S+) does not allow fetching \S+$",
        "Webbplatsens robots.txt ({host}) tillåter inte att {url} hämtas.",
        "The site's robots.txt ({host}) does not allow fetching {url}.",
    ),
    (  # the address asked for itself (a redirect's is named, below)
        r"^(?P<url>\S+): refused: (?P<why>.+)$",
        "Löfte hämtar inte {url}: bara offentliga http(s)-adresser utan inloggningsuppgifter "
        "hämtas (eller de som webbplatsens administratör har tillåtit).",
        "Löfte does not fetch {url}: {why}.",
    ),
    (
        r"^(?P<url>\S+): refused (?P<current>\S+): (?P<why>.+)$",
        "Löfte hämtar inte {current}: bara offentliga http(s)-adresser utan inloggningsuppgifter "
        "hämtas (eller de som webbplatsens administratör har tillåtit).",
        "Löfte does not fetch {current}: {why}.",
    ),
    (
        r"^(?P<url>\S+): gave up: the deadline of (?P<s>[\d.]+) s for one fetch .*$",
        "Hämtningen av {url} tog längre än {s} sekunder (LOFTE_FETCH_DEADLINE) och avbröts.",
        "Fetching {url} took longer than {s} seconds (LOFTE_FETCH_DEADLINE) and was stopped.",
    ),
    (
        r"^(?P<url>\S+): more than (?P<n>\d+) redirects$",
        "Adressen {url} skickade vidare fler än {n} gånger.",
        "The address {url} redirected more than {n} times.",
    ),
    (
        r"^(?P<url>\S+): (?P<robots>\S+) answered HTTP (?P<code>\d{3}); not fetching until .*$",
        "Webbplatsens {robots} svarade med HTTP {code}: Löfte hämtar inget därifrån förrän den "
        "svarar.",
        "The site's {robots} answered HTTP {code}: Löfte fetches nothing there until it answers.",
    ),
    # what was fetched cannot be read (the readers' reasons for an address; an upload's origin
    # is no address and keeps the library's words)
    (
        r"^(?P<url>https?://\S+): no reader accepts this (?:binary data|text)$",
        "Adressen {url} gav inget som Löfte kan läsa (text, HTML, PDF eller ett flöde).",
        "The address {url} gave nothing Löfte can read (text, HTML, PDF or a feed).",
    ),
    (
        r"^(?P<url>https?://\S+): it holds (?P<n>\d+) documents \(a feed or a listing page\) "
        r"and none shares a word with pledge (?P<id>\d+): .*$",
        "Adressen {url} är ett flöde eller en lista med {n} dokument, och inget av dem har något "
        "ord gemensamt med löfte {id}: lägg till inläggets egen adress.",
        "The address {url} is a feed or a listing of {n} documents, and none of them shares a "
        "word with pledge {id}: attach the item's own address.",
    ),
    (
        r"^(?P<url>https?://\S+): unpacked, it is larger than (?P<n>[\d,]+) bytes "
        r"\(LOFTE_MAX_INPUT_BYTES\)$",
        "Sidan {url} är packad och större än gränsen på {n} byte (LOFTE_MAX_INPUT_BYTES) "
        "när den packas upp.",
        "The page {url} is packed and larger than the limit of {n} bytes "
        "(LOFTE_MAX_INPUT_BYTES) once unpacked.",
    ),
    (
        r"^(?P<url>https?://\S+): unreadable gzip: .*$",
        "Adressen {url} gav en trasig gzip-fil.",
        "The address {url} gave a broken gzip file.",
    ),
    (
        r"^(?P<url>https?://\S+): the input (?:is empty|holds no text)$",
        "Adressen {url} innehåller ingen text.",
        "The address {url} holds no text.",
    ),
    (
        r"^(?P<url>https?://\S+): the [\w-]+ reader found no documents$",
        "Löfte hittade ingen text att spara på {url}.",
        "Löfte found no text to store at {url}.",
    ),
    (
        r"^(?P<url>https?://\S+): stopped after (?P<s>[\d.]+) s: more than the time budget .*$",
        "Att läsa {url} tog längre än tidsgränsen för en källa ({s} sekunder, "
        "LOFTE_INPUT_TIME_BUDGET).",
        "Reading {url} took longer than the time budget of one input ({s} seconds, "
        "LOFTE_INPUT_TIME_BUDGET).",
    ),
    (
        r"^(?P<url>\S+): (?:the download passed|the server announces [\d,]+ bytes, over) "
        r"the limit of (?P<n>[\d,]+) bytes.*$",
        "Sidan {url} är större än gränsen på {n} byte (LOFTE_MAX_INPUT_BYTES).",
        "The page {url} is larger than the limit of {n} bytes (LOFTE_MAX_INPUT_BYTES).",
    ),
)

# The codes of the addresses' and the forms' fields (page=…, min_rank=…) and of their values, as
# a reader knows them: a message about a bad value names the field and the choices in words,
# never by their codes. A field: (Swedish, English), definite form; a value: the i18n keys that
# may name it, the first that exists wins (the labels the page's own form shows).
FIELDS: dict[str, tuple[str, str]] = {
    "page": ("sidnumret", "the page number"),
    "per_page": ("antalet per sida", "the number per page"),
    "status": ("statusen", "the status"),
    "sort": ("ordningen", "the order"),
    "state": ("läget", "the state"),
    "score band": ("poängen", "the score"),
    "band": ("poängen", "the score"),
    "precision": ("precisionen", "the precision"),
    "min_rank": ("den lägsta rangen", "the minimum rank"),
    "document": ("dokumentet", "the document"),
    "document_id": ("dokumentets nummer", "the document number"),
    "decision": ("beslutet", "the decision"),
    "action": ("åtgärden", "the action"),
    "expected_version": ("löftets version i formuläret", "the pledge's version in the form"),
    "evidence": ("beläggets nummer", "the evidence number"),
    "start": ("citatets början", "the quote's start"),
    "end": ("citatets slut", "the quote's end"),
    "pledge": ("löftets nummer", "the pledge number"),
    "version": ("versionen", "the version"),
    "value": ("värdet", "the value"),
    "from": ("startdatumet", "the start date"),
    "to": ("slutdatumet", "the end date"),
}
_VALUE_KEYS = (
    "status_{}",
    "sort_{}",
    "queue_sort_{}",
    "review_state_{}",
    "state_{}",
    "band_{}",
    "pledge_precision_{}",
    "{}",
)
_DECISIONS = {"accept", "reject", "all"}
_VALUES = {"set": "set_deadline", "clear": "clear_deadline", "confirm": "confirm"}


def field_label(name: str, lang: str, *, first: bool = False) -> str:
    """A field's name in words (its code, quoted, when it has none)."""
    sv, en = FIELDS.get(name, (f"'{name}'", f"'{name}'"))
    label = sv if lang == "sv" else en
    return label[:1].upper() + label[1:] if first else label


def changed_field_label(name: str, lang: str) -> str:
    """A field another editor's change named, in words (its code when it has none)."""
    sv, en = DETAIL_KEYS.get(name) or (name, name)  # the history's labels, conflicts' fields too
    return sv if lang == "sv" else en


def _value_label(value: str, lang: str) -> str:
    if value in _VALUES:
        return translate(_VALUES[value], lang)
    for pattern in _VALUE_KEYS:
        key = pattern.format(value)
        if key == value and value not in _DECISIONS:
            continue  # a bare key only for the few verbs: "area" is no value's label
        if key in STRINGS:
            return translate(key, lang)
    return f"'{value}'"


def choices_label(text: str, lang: str) -> str:
    """ "a, b or c" (a library's list of codes) as their labels, joined in `lang`."""
    values = [v.strip() for v in re.split(r",\s*|\s+or\s+", text) if v.strip()]
    labels = [_value_label(v, lang) for v in values]
    if len(labels) < 2:
        return "".join(labels)
    last = " eller " if lang == "sv" else " or "
    return ", ".join(labels[:-1]) + last + labels[-1]


# messages about one field's value (web/edge.py, the filters' parsers): (pattern, Swedish,
# English); `field` and `Field` are the field's label, `choices` its values' labels
_FIELD_MESSAGES = (
    (
        r"^(?P<field>\w+) must be a whole number$",
        "{Field} måste vara ett heltal.",
        "{Field} must be a whole number.",
    ),
    (
        r"^(?P<field>\w+) is out of range$",
        "{Field} ligger utanför det tillåtna intervallet.",
        "{Field} is outside the allowed range.",
    ),
    (
        r"^(?P<field>\w+) must be at least (?P<n>-?\d+)$",
        "{Field} måste vara minst {n}.",
        "{Field} must be at least {n}.",
    ),
    (
        r"^page must be 1 or more$",
        "Sidnumret måste vara minst 1.",
        "The page number must be at least 1.",
    ),
    (
        r"^(?P<field>\w+) must be at most (?P<n>-?\d+)$",
        "{Field} får vara högst {n}.",
        "{Field} must be at most {n}.",
    ),
    (
        r"^expected_version is missing$",
        "Formuläret saknar löftets version: ladda om sidan och skicka formuläret därifrån.",
        "The form lacks the pledge's version: reload the page and send the form from there.",
    ),
    (r"^(?P<field>\w+) is missing$", "{Field} saknas.", "{Field} is missing."),
    (r"^(?P<field>\w+) is invalid$", "{Field} är ogiltigt.", "{Field} is invalid."),
    (
        r"^min_rank must be a number from 0 to 1$",
        "Den lägsta rangen måste vara ett tal från 0 till 1.",
        "The minimum rank must be a number from 0 to 1.",
    ),
    (
        r"^document must be a document id, not '(?P<value>.*)'$",
        "Dokumentet anges med sitt nummer, inte '{value}'.",
        "The document is given by its number, not '{value}'.",
    ),
    (
        r"^give a deadline \(YYYY-MM-DD\), or clear it$",
        "Skriv en tidsfrist (ÅÅÅÅ-MM-DD), eller ta bort den.",
        "Write a deadline (YYYY-MM-DD), or clear it.",
    ),
    (
        r"^a deadline's year must be (?P<lo>\d+)–(?P<hi>\d+), not (?P<year>\d+)$",
        "En tidsfrists år ska vara {lo}–{hi}, inte {year}.",
        "A deadline's year must be {lo}–{hi}, not {year}.",
    ),
    (
        r"^a deadline is a date YYYY-MM-DD, not '(?P<value>.*)'$",
        "En tidsfrist är ett datum som ÅÅÅÅ-MM-DD, inte '{value}'.",
        "A deadline is a date as YYYY-MM-DD, not '{value}'.",
    ),
    (
        r"^unknown (?P<field>[\w ]+) '(?P<value>.*)': use (?P<choices>.+)$",
        "Okänt värde för {field}: '{value}'. Välj ett av: {choices}.",
        "Unknown value for {field}: '{value}'. Choose one of: {choices}.",
    ),
    (
        r"^(?P<field>\w+) must be (?P<choices>\w+(?:, \w+)* or \w+)$",
        "{Field} måste vara {choices}.",
        "{Field} must be {choices}.",
    ),
)

# Words a program holds more than once: the form offers each place as a choice, so the
# message speaks of those places, never of character offsets or of a start and an end the
# web form has no field for (QA)
_MORE_THAN_ONCE = r"^the document holds these words more than once \(at \d+ and \d+\): .*$"
_MORE_THAN_ONCE_SV = (
    "De här orden står på mer än ett ställe i programmet. Välj nedan vilket ställe du menar, "
    "eller ta med mer av meningen."
)
_MORE_THAN_ONCE_EN = (
    "These words stand in more than one place in the program. Choose below which place you "
    "mean, or include more of the sentence."
)
_NOT_AT_PLACE = r"^the document's words at \d+ are not these: give the start of one of the places$"
_NOT_AT_PLACE_SV = (
    "Orden står inte längre på det valda stället. Skicka dem igen för att välja bland ställena "
    "där de står."
)
_NOT_AT_PLACE_EN = (
    "The words no longer stand at the place chosen. Send them again to choose among the places "
    "where they stand."
)

# (English pattern, Swedish wording with the pattern's named groups)
_SWEDISH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), sv) for p, sv, _ in _NOT_FOUND] + [
    (re.compile(p), sv)
    for p, sv in (
        (r"^choose a status$", "Välj en status."),
        (r"^write a rationale$", "Skriv en motivering."),
        (
            r"^a verdict '(?P<status>\w+)' needs at least one accepted piece of evidence$",
            "Bedömningen {status} kräver minst ett godtaget belägg.",
        ),
        (
            r"^a verdict '(?P<status>\w+)' needs the reason it cannot be checked in its rationale$",
            "Bedömningen {status} kräver att skälet står i motiveringen.",
        ),
        (
            r"^a verdict '(?P<status>\w+)' needs a rationale$",
            "Bedömningen {status} kräver en motivering.",
        ),
        (
            r"^pledge (?P<id>\d+) is (?P<pledge_state>\w+), not confirmed: only a confirmed .*$",
            "Löfte {id} är inte bekräftat (läge: {pledge_state}). Bara ett bekräftat löfte kan "
            "bedömas: bekräfta det först.",
        ),
        (
            r"^pledge (?P<id>\d+) is (?P<pledge_state>\w+), not confirmed: its verdicts .*$",
            "Löfte {id} är inte bekräftat (läge: {pledge_state}); dess bedömningar kan inte "
            "publiceras.",
        ),
        (
            r"^pledge (?P<id>\d+) is not rated already: a 'not_rated' verdict without a .*$",
            "Löfte {id} är redan inte bedömt: Ej bedömt utan motivering skulle inte säga "
            "något. Skriv varför det inte är bedömt.",
        ),
        (
            r"^the reason has " + _LENGTH,
            "Skälet har {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        ),
        (
            r"^the rationale has " + _LENGTH,
            "Motiveringen har {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        ),
        (
            r"^the area has " + _LENGTH,
            "Politikområdets namn har {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        ),
        (
            r"^the topic has " + _LENGTH,
            "Ämnet har {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        ),
        # adding a pledge the extractor missed (review.pledges.add)
        (
            r"^the quote has " + _LENGTH,
            "Löftets ord är {chars} tecken; högst {limit} är tillåtna" + _NOT_SAVED_SV,
        ),
        (r"^the pledge's words are empty$", "Skriv löftets ord."),
        (
            r"^the document does not hold these words: copy them from its text$",
            "Dokumentet innehåller inte de orden: kopiera dem ur dess text.",
        ),
        (_MORE_THAN_ONCE, _MORE_THAN_ONCE_SV),
        (_NOT_AT_PLACE, _NOT_AT_PLACE_SV),
        (
            r"^pledge (?P<id>\d+) already quotes these words: review it$",
            "Löfte {id} citerar redan de orden: granska det.",
        ),
        (
            r"^document (?P<doc>\d+) was corrected by someone else meanwhile: reload it$",
            "Någon annan rättade dokument {doc} medan du arbetade: sidan visar nu deras "
            "uppgifter, dina står kvar i formuläret. Spara igen om du fortfarande vill.",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': expected YYYY, YYYY-MM or YYYY-MM-DD$",
            "Ogiltigt datum '{value}': skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD.",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': the year must be (?P<years>.+)$",
            "Ogiltigt datum '{value}': året måste vara {years}.",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': no such month or day$",
            "Ogiltigt datum '{value}': det finns ingen sådan månad eller dag.",
        ),
        (
            r"^the as-of date (?P<date>[\d-]+) is in the future$",
            "Datumet i Gäller per ({date}) ligger i framtiden: en bedömning gäller det som "
            "redan har hänt.",
        ),
        (
            r"^the as-of date (?P<date>[\d-]+) is before the program the pledge comes from "
            r"\((?P<program>[\d-]+)\)$",
            "Datumet i Gäller per ({date}) ligger före programmet som löftet kommer från "
            "({program}): stämmer årtalet?",
        ),
        (
            r"^the deadline (?P<date>[\d-]+) is before the program the pledge comes from "
            r"\((?P<program>[\d-]+)\)$",
            "Tidsfristen ({date}) ligger före programmet som löftet kommer från ({program}): "
            "stämmer årtalet?",
        ),
        (
            r"^pledge (?P<id>\d+) was rejected already, with another reason: yours was not "
            r"recorded$",
            "Löfte {id} var redan avvisat, med en annan motivering: din sparades inte.",
        ),
        (
            r"^evidence (?P<id>\d+) is not accepted; accept it first$",
            "Belägg {id} är inte godtaget; godta det först.",
        ),
        (
            r"^evidence (?P<id>\d+) belongs to pledge (?P<other>\d+), not (?P<pledge>\d+)$",
            "Belägg {id} hör till löfte {other}, inte {pledge}.",
        ),
        (
            r"^pledge (?P<id>\d+) is split into parts \((?P<parts>[\d, ]+)\), which are checked "
            r"instead: rate the parts$",
            "Löfte {id} är uppdelat i delar ({parts}), som bedöms i stället: bedöm delarna.",
        ),
        (
            r"^pledge (?P<id>\d+) is split into parts \((?P<parts>[\d, ]+)\), which are checked "
            r"instead: give the evidence to a part$",
            "Löfte {id} är uppdelat i delar ({parts}), som bedöms i stället: ge belägget till en "
            "av delarna.",
        ),
        (
            r"^evidence (?P<id>\d+) was already (?P<state>\w+), perhaps by someone else; reload$",
            "Belägg {id} har redan avgjorts ({state}), kanske av någon annan; ladda om sidan.",
        ),
        (
            r"^evidence (?P<id>\d+) was already (?P<state>\w+) by (?P<who>.+)$",
            "Belägg {id} har redan avgjorts ({state}) av {who}.",
        ),
        (
            r"^pledge (?P<id>\d+) was changed by someone else .*$",
            # the page keeps the input and shows the other change: reloading would lose it
            "Löfte {id} har ändrats av någon annan sedan du öppnade sidan. Det du skrev står "
            "kvar: se efter vad den andra ändringen gjorde och skicka sedan igen.",
        ),
        (
            r"^this record was changed by someone else while your change was being saved; .*$",
            "Någon annan ändrade samma sak medan din ändring sparades. Det du skrev står kvar: "
            "se efter vad den andra ändringen gjorde och skicka sedan igen.",
        ),
        (
            r"^pledge (?P<id>\d+) is rejected: it gets no verdict$",
            "Löfte {id} är avvisat och får ingen bedömning.",
        ),
        (
            r"^pledge (?P<id>\d+) is already split; edit or reject its parts instead$",
            "Löfte {id} är redan delat; ändra eller avvisa delarna i stället.",
        ),
        (
            r"^only add '\|' where the pledge is to be split; do not change the text$",
            "Lägg bara till '|' där löftet ska delas; ändra inte texten.",
        ),
        (
            r"^put at least one '\|' where the pledge is to be split$",
            "Sätt minst ett '|' där löftet ska delas.",
        ),
        (
            r"^the quote holds '\|' itself: .*$",
            "Citatet innehåller själv '|': dela det med `lofte pledge split`.",
        ),
        (
            r"^cut points must lie inside the pledge's span .*$",
            "Delningen måste ligga inne i löftet.",
        ),
        (
            r"^span .* lies outside the document .*$",
            "Citatets början och slut ligger utanför dokumentet.",
        ),
        (r"^the span holds no text$", "Mellan citatets början och slut finns ingen text."),
        (
            r"^the span's end .* must come after its start .*$",
            "Citatets slut måste komma efter dess början.",
        ),
        (
            r"^an area cannot be named '(?P<name>\.\.?)': its feed could not be addressed$",
            "Ett område kan inte heta '{name}': dess flöde skulle inte gå att nå.",
        ),
        (
            r"^a party cannot be named '(?P<name>\.\.?)': its page could not be addressed$",
            "Ett parti kan inte heta '{name}': dess sida skulle inte gå att nå.",
        ),
        (
            r"^nothing to change: .*$",
            "Inget att ändra: ange en ny början eller ett nytt slut på citatet, ett område, "
            "ett ämne eller nya attribut.",
        ),
        (r"^merge needs at least two pledges$", "Det krävs minst två löften för att slå samman."),
        (r"^choose at least one pledge to merge with$", "Välj minst ett löfte att slå samman med."),
        (r"^choose pledges from the list$", "Välj löften ur listan."),
        (
            r"^only pledges of the same document can be merged$",
            "Bara löften ur samma dokument kan slås samman.",
        ),
        (r"^choose at least one suggestion$", "Markera minst ett förslag."),
    )
]
_SWEDISH += [
    (re.compile(p), sv)
    for p, sv, _ in (*_SETTINGS, *_ATTACH, *_PUBLISH, *_DELETE, *_FETCH, *_UPLOAD, *_FIELD_MESSAGES)
]


# (English pattern, better English wording): those naming a code value (a status, a state)
# get its display name; the rest read well as they are
_ENGLISH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), en)
    for p, _, en in (
        *_NOT_FOUND,
        *_SETTINGS,
        *_ATTACH,
        *_PUBLISH,
        *_DELETE,
        *_FETCH,
        *_UPLOAD,
        *_FIELD_MESSAGES,
    )
] + [
    (re.compile(p), en)
    for p, en in (
        (
            r"^a verdict '(?P<status>\w+)' needs at least one accepted piece of evidence$",
            "The verdict {status} needs at least one accepted piece of evidence.",
        ),
        (
            r"^a verdict '(?P<status>\w+)' needs the reason it cannot be checked in its rationale$",
            "The verdict {status} needs the reason it cannot be checked in its rationale.",
        ),
        (
            r"^a verdict '(?P<status>\w+)' needs a rationale$",
            "The verdict {status} needs a rationale.",
        ),
        (r"^choose a status$", "Choose a status."),
        (_MORE_THAN_ONCE, _MORE_THAN_ONCE_EN),
        (_NOT_AT_PLACE, _NOT_AT_PLACE_EN),
        (
            r"^the as-of date (?P<date>[\d-]+) is in the future$",
            "The as-of date ({date}) is in the future: a verdict rates what has already happened.",
        ),
        (
            r"^the as-of date (?P<date>[\d-]+) is before the program the pledge comes from "
            r"\((?P<program>[\d-]+)\)$",
            "The as-of date ({date}) is before the program the pledge comes from ({program}): "
            "is the year right?",
        ),
        (
            r"^the deadline (?P<date>[\d-]+) is before the program the pledge comes from "
            r"\((?P<program>[\d-]+)\)$",
            "The deadline ({date}) is before the program the pledge comes from ({program}): "
            "is the year right?",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': expected YYYY, YYYY-MM or YYYY-MM-DD$",
            "Invalid date '{value}': write YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': the year must be (?P<years>.+)$",
            "Invalid date '{value}': the year must be {years}.",
        ),
        (
            r"^invalid date '(?P<value>[^']*)': no such month or day$",
            "Invalid date '{value}': there is no such month or day.",
        ),
        (
            r"^pledge (?P<id>\d+) was rejected already, with another reason: yours was not "
            r"recorded$",
            "Löfte {id} var redan avvisat, med en annan motivering: din sparades inte.",
        ),
        (
            r"^evidence (?P<id>\d+) is not accepted; accept it first$",
            "Evidence {id} is not accepted: accept it first.",
        ),
        (
            r"^evidence (?P<id>\d+) belongs to pledge (?P<other>\d+), not (?P<pledge>\d+)$",
            "Evidence {id} belongs to pledge {other}, not {pledge}.",
        ),
        (
            r"^evidence (?P<id>\d+) was already (?P<state>\w+), perhaps by someone else; reload$",
            "Evidence {id} has been decided already ({state}), perhaps by someone else; "
            "reload the page.",
        ),
        (
            r"^evidence (?P<id>\d+) was already (?P<state>\w+) by (?P<who>.+)$",
            "Evidence {id} has been decided already ({state}) by {who}.",
        ),
        (
            r"^pledge (?P<id>\d+) is rejected: it gets no verdict$",
            "Pledge {id} is rejected: it gets no verdict.",
        ),
        (
            r"^pledge (?P<id>\d+) was changed by someone else .*$",
            "Pledge {id} was changed by someone else since you opened the page. What you wrote "
            "is still here: look at the other change, then send again.",
        ),
        (
            r"^this record was changed by someone else while your change was being saved; .*$",
            "Someone else changed the same thing while your change was being saved. What you "
            "wrote is still here: look at the other change, then send again.",
        ),
        (
            r"^pledge (?P<id>\d+) is (?P<pledge_state>\w+), not confirmed: only a confirmed .*$",
            "Pledge {id} is not confirmed (state: {pledge_state}). Only a confirmed pledge gets a "
            "verdict: confirm it first.",
        ),
        (
            r"^pledge (?P<id>\d+) is (?P<pledge_state>\w+), not confirmed: its verdicts .*$",
            "Pledge {id} is not confirmed (state: {pledge_state}); its verdicts cannot be "
            "published.",
        ),
        (
            r"^pledge (?P<id>\d+) is not rated already: a 'not_rated' verdict without a .*$",
            "Pledge {id} is not rated already: Not rated without a rationale would say nothing. "
            "Write why it is not rated.",
        ),
        (
            r"^the (?P<what>reason|rationale|area|topic) has " + _LENGTH,
            "The {what} has {chars} characters; at most {limit} are allowed" + _NOT_SAVED_EN,
        ),
        (
            r"^the quote has " + _LENGTH,
            "The pledge's words are {chars} characters; at most {limit} are allowed"
            + _NOT_SAVED_EN,
        ),
    )
]


def known(text: str) -> bool:
    """Whether `text` is a library message with a Swedish wording."""
    return any(pattern.match(text) for pattern, _ in _SWEDISH)


def message(text: str, lang: str) -> str:
    """`text` (a library error message) in `lang`; unknown messages are returned unchanged."""
    for pattern, wording in _SWEDISH if lang == "sv" else _ENGLISH:
        found = pattern.match(text)
        if found:
            values = found.groupdict()
            if "status" in values:  # a code value: its label
                values["status"] = translate(f"status_{values['status']}", lang)
            if "pledge_state" in values:
                values["pledge_state"] = translate(f"state_{values['pledge_state']}", lang).lower()
            if "state" in values:  # one piece of evidence's state, in the singular
                values["state"] = translate(f"evidence_state_{values['state']}", lang)
            if "field" in values:  # a URL's or a form's code: its name in words
                values["Field"] = field_label(values["field"], lang, first=True)
                values["field"] = field_label(values["field"], lang)
            if "choices" in values:
                values["choices"] = choices_label(values["choices"], lang)
            if "named" in values and lang == "sv":
                values["named"] = _named_sv(values["named"])
            if "who" in values and lang == "sv":
                values["who"] = _run_sv(values["who"])
            if "bound" in values:  # a span's start or end
                values["bound_sv"] = {"start": "början", "end": "slut"}[values["bound"]]
            # a text's length and its limit (`_LENGTH`), control bytes in a file's head
            for key in ("chars", "limit", "controls", "head"):
                if key in values:
                    values[key] = grouped(int(values[key].replace(",", "")), lang)
            return wording.format(**values)
    if lang != "sv" and known(text):
        # a message the library words well in English: as a sentence ("Choose pledges from
        # the list.", not "choose pledges from the list")
        return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")
    return text


@pass_context
def _msg(context: Context, text: Any) -> str:
    return message(str(text), str(context.get("lang") or "sv"))


def refused(
    errors: Mapping[str, Any],
    forms: Mapping[str, Mapping[str, Sequence[str]]],
    about: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Where a page's errors lead and which fields they describe (QA: every field of a refused
    form named the form's first error, and the summary's links led to the messages, not to
    the fields). `errors`: an error's key ("verdict", "verdict-2": a form's first and second
    error; its element's id is "err-" and the key) to its library message; `about`: an
    error's key to the values it is about (`ValidationError.fields`); `forms`: each form's key
    to those values' names to their fields' ids ("*": every error of a form of one field). The
    answer: `links`, an error's key to the id of the first field it is about (the summary's
    link focuses that field; an error about no field is not there and leads to itself), and
    `described`, a field's id to the keys of its own errors."""
    links: dict[str, str] = {}
    described: dict[str, list[str]] = {}
    for key, text in errors.items():
        form = next((f for f in forms if key == f or key.startswith(f + "-")), None)
        if form is None or not text:
            continue
        fields = forms[form]
        ids = [i for name in (about or {}).get(key, ()) for i in fields.get(name, ())]
        ids = ids or list(fields.get("*", ()))
        if ids:
            links[key] = ids[0]
        for field_id in dict.fromkeys(ids):
            described.setdefault(field_id, []).append(key)
    return {"links": links, "described": described}


# Fields of audit events whose values are a tracker's or its editors' words besides those
# `templating.details` marks Swedish: a tracker's and a watched source's own texts.
_SWEDISH_FIELDS = frozenset({"name", "description", "methodology", "jurisdiction", "publisher"})


def _is_record(value: Any) -> bool:
    """A record an audit event carries (a pledge's state, a deletion's counts), not a date
    ({"value", "precision"}, which `templating.details` writes as a date when it is one)."""
    return isinstance(value, Mapping) and not {"value", "precision"} <= value.keys()


def audit_details(
    value: Mapping[str, Any] | None, lang: str = "sv", snapshots: bool = False
) -> list[tuple[str | None, str | None, Any]]:
    """`{{ event.details | audit_details(lang, snapshots) }}`: an audit event's details as
    (field code, field label, text) lines, `templating.details`' lines with their codes (the
    code stays at hand for the technical reader), the records an admin's log shows written out
    field by field in words, and a tracker's or a source's own words marked Swedish (QA: a
    verdict's state read "author_id 2, created_at …, rationale Bygget …" on a Swedish page, its
    Swedish rationale unmarked in English text)."""
    codes = [code for code, _ in detail_lines(value, snapshots=snapshots)]
    stored = dict(value or {})
    lines: list[tuple[str | None, str | None, Any]] = []
    for code, (label, text) in zip(codes, details(value, lang, snapshots), strict=True):
        held = stored.get(code) if code not in (None, "before", "after", "changes") else None
        if code not in SPREAD and (
            _is_record(held)
            or (isinstance(held, list) and held and all(_is_record(r) for r in held))
        ):
            text = _records(held, lang)
        elif code in _SWEDISH_FIELDS and not isinstance(text, Markup):
            text = swedish(text)
        lines.append((code, label, text))
    return lines


def _records(held: Any, lang: str) -> Markup:
    """A record, or a list of them (the first `RECORDS_SHOWN`, the rest counted), as
    "label: value; …", each label keeping its field's code as its title."""

    def one(record: Mapping[str, Any]) -> Markup:
        return Markup("; ").join(
            Markup("{}: {}").format(_label(code, label), text)
            for code, label, text in audit_details(record, lang, snapshots=True)
        )

    if isinstance(held, Mapping):
        return one(held)
    shown = [Markup("({})").format(one(r)) for r in held[:RECORDS_SHOWN]]
    more = len(held) - RECORDS_SHOWN
    return Markup(", ").join([*shown, f"… (+{more})"] if more > 0 else shown)


def _label(code: str | None, label: str | None) -> Markup:
    """A record's field name as a line's is shown (editor/_details.html)."""
    if code is None or label is None or code == label:
        return Markup('<span class="k" translate="no">{}</span>').format(label or "")
    return Markup('<span class="k" title="{}" translate="no">{}</span>').format(code, label)


def install(env: Environment) -> None:
    """Give the templates the `msg` filter, and the refused forms' and audit events' helpers."""
    env.filters["msg"] = _msg
    env.filters["audit_details"] = audit_details
    env.globals["refused"] = refused
