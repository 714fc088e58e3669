"""UI strings: Swedish first, English second. Templates call `t(key)` or `t(key, name=value)`.

A key without an entry shows as itself (a test checks that every key the templates use has
both languages).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..publish.numbers import grouped
from . import i18n_archive, i18n_notify, i18n_report, i18n_sources, i18n_term

LANGUAGES = ("sv", "en")

_S = dict[str, dict[str, str]]

GENERAL: _S = {
    "site_title": {"sv": "Löfte – vallöftesmätaren", "en": "Löfte – the pledge tracker"},
    "skip_to_content": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "main_nav": {"sv": "Huvudmeny", "en": "Main navigation"},
    "footer": {
        "sv": "Löfte – öppen källkod för att följa upp vallöften.",
        "en": "Löfte – open source for following up election pledges.",
    },
    # QA: nothing a reader could follow led to the API the README offers researchers
    "footer_api": {"sv": "Uppgifterna som data (JSON-API)", "en": "The data in JSON (the API)"},
    "language_switch": {"sv": "In English", "en": "På svenska"},
    "search": {"sv": "Sök", "en": "Search"},
    "log_in": {"sv": "Logga in", "en": "Log in"},
    "log_out": {"sv": "Logga ut", "en": "Log out"},
    "editors_pages": {"sv": "Redaktionen", "en": "Editors"},
    "audit_log": {"sv": "Granskningslogg", "en": "Audit log"},
    "back": {"sv": "Tillbaka", "en": "Back"},
    "to_start": {"sv": "Till startsidan", "en": "To the start page"},
    "pages": {"sv": "Sidor", "en": "Pages"},
    "previous": {"sv": "Föregående", "en": "Previous"},
    "next": {"sv": "Nästa", "en": "Next"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "all": {"sv": "Alla", "en": "All"},
    "filter": {"sv": "Visa", "en": "Show"},
    "total": {"sv": "Totalt", "en": "Total"},
    "share": {"sv": "Andel", "en": "Share"},
    "date": {"sv": "Datum", "en": "Date"},
    "time": {"sv": "Tid", "en": "Time"},
    "time_utc": {"sv": "Tid (UTC)", "en": "Time (UTC)"},  # stored and shown in UTC (QA)
    "title": {"sv": "Rubrik", "en": "Title"},
    "kind": {"sv": "Typ", "en": "Kind"},
    "source": {"sv": "Källa", "en": "Source"},
    "original": {"sv": "originalet", "en": "the original"},
    "words": {"sv": "Sökord", "en": "Words"},
    "no_hits": {"sv": "Inga träffar.", "en": "No hits."},
    # a later page of a search: the pledge hits (all on the first page) are not repeated
    "search_pledges_on_first_page": {
        "sv": "Löften som träffar ({n}) visas på sida 1.",
        "en": "Matching pledges ({n}) are shown on page 1.",
    },
    "title_page": {"sv": "sida {page}", "en": "page {page}"},  # a later page, in its title
    "queue_document_number": {
        "sv": "Dokumentets nummer, som förslagen visar det (tomt: alla).",
        "en": "The document's number, as the suggestions show it (empty: all).",
    },
    "did_you_mean": {"sv": "Menade du", "en": "Did you mean"},
    "query_only_common": {
        "sv": "Sökningen innehåller bara mycket vanliga ord ({words}), och sådana söks inte. Lägg till ett ord som är mer specifikt.",
        "en": "The search holds only very common words ({words}), which are not searched for. Add a more specific word.",
    },
    "query_no_words": {
        "sv": "Sökningen innehåller inga ord, bara tecken. Skriv ett eller flera ord.",
        "en": "The search holds no words, only characters. Type one or more words.",
    },
    "query_beyond_left_out": {
        "sv": "Bara de första {n} orden söktes; de här söktes inte: {words}.",
        "en": "Only the first {n} words were searched for; these were not: {words}.",
    },
    "query_common_left_out": {
        "sv": "Mycket vanliga ord söktes inte: {words}.",
        "en": "Very common words were not searched for: {words}.",
    },
    "more_than_n": {"sv": "över {n}", "en": "more than {n}"},
    "hits_capped": {
        "sv": "Fler än {n} dokument innehåller orden. Här visas de {n} senast tillagda av dem, de som matchar bäst först; lägg till ord för att begränsa sökningen.",
        "en": "More than {n} documents contain the words. These are the {n} added last, best matches first; add words to narrow the search.",
    },
    # the search page's pledges when more hit than `search.MAX_COUNT`: `n` is the public ones
    # among the newest of them
    "pledge_hits_capped": {
        "sv": "Orden finns i fler löften än en sökning rangordnar. Här visas de {n} som syns bland de senast tillagda, de som matchar bäst först; lägg till ord för att begränsa sökningen.",
        "en": "More pledges contain the words than a search ranks. These are the {n} shown among those added last, best matches first; add words to narrow the search.",
    },
    "not_found": {"sv": "Sidan finns inte.", "en": "Page not found."},
    "tracker_gone": {"sv": "Mätaren är borttagen.", "en": "The tracker was deleted."},
    "not_found_text": {
        "sv": "Det finns inget på den här adressen. Kontrollera den, eller börja om från startsidan.",
        "en": "There is nothing at this address. Check it, or start again from the start page.",
    },
    "error_csrf": {
        # not "reload": reloading this answer sends the same refused form again (QA)
        "sv": "Formuläret kunde inte tas emot: det har gått ut eller kom inte från den här webbplatsen, så inget av det sparades. Öppna formuläret igen och skicka det på nytt.",
        "en": "The form could not be accepted: it has expired or did not come from this site, so nothing of it was saved. Open the form again and send it anew.",
    },
    "open_form_again": {"sv": "Öppna formuläret igen", "en": "Open the form again"},
    "error_role": {
        "sv": "Ditt konto får inte göra det här.",
        "en": "Your account may not do this.",
    },
    "error_admin": {
        "sv": "Ditt konto får inte göra det här: bara en administratör får det.",
        "en": "Your account may not do this: only an admin may.",
    },
    "error_invalid": {"sv": "Felaktig uppgift.", "en": "Invalid value."},
    "error_generic": {"sv": "Något gick fel.", "en": "Something went wrong."},
    "error_unavailable": {
        "sv": "Databasen går inte att nå just nu.",
        "en": "The database cannot be reached right now.",
    },
    "error_unavailable_text": {
        "sv": "Sidan kan inte visas förrän databasen svarar igen. Försök igen om en stund.",
        "en": "The page cannot be shown until the database answers again. Try again in a moment.",
    },
    "error_busy": {
        "sv": "Databasen är upptagen just nu.",
        "en": "The database is busy right now.",
    },
    "error_busy_text": {
        "sv": "Ett annat arbete (en import, en länkning eller en återställning) håller databasen "
        "låst. Inget har ändrats. Försök igen om en stund.",
        "en": "Another job (an import, a linking run or a restore) holds the database locked. "
        "Nothing was changed. Try again in a moment.",
    },
    "error_unmigrated": {
        "sv": "Webbplatsen uppdateras just nu.",
        "en": "The site is being updated right now.",
    },
    "error_unmigrated_text": {
        "sv": "Sidan kan visas när databasen har uppdaterats. Försök igen om en stund.",
        "en": "The page can be shown once the database has been updated. Try again in a moment.",
    },
    "error_conflict": {
        "sv": "Någon annan hann före.",
        "en": "Someone else was first.",
    },
    "error_conflict_text": {
        "sv": "Ändringen krockade med en annan som sparades samtidigt, och den sparades inte. "
        "Ladda om sidan, se efter vad som gäller nu och försök igen om det behövs.",
        "en": "The change collided with another one saved at the same time, and it was not "
        "saved. Reload the page, check what holds now and try again if you still need to.",
    },
    "error_method": {
        "sv": "Adressen finns, men tar inte emot den sortens anrop.",
        "en": "The address exists, but does not take that kind of request.",
    },
    "error_form_too_large": {
        "sv": "Formuläret är för stort för att tas emot.",
        "en": "The form is too large to be accepted.",
    },
    "error_form_too_large_text": {
        "sv": "Det du skrev finns kvar i formuläret: gå tillbaka med webbläsarens bakåtknapp, korta den långa texten och skicka igen. Ett formulär får vara högst 1 MiB (några hundra tusen tecken).",
        "en": "What you wrote is still in the form: go back with the browser's Back button, shorten the long text and send it again. A form may be at most 1 MiB (some hundred thousand characters).",
    },
    "error_file_too_large_text": {
        "sv": "Gå tillbaka med webbläsarens bakåtknapp och välj en mindre fil.",
        "en": "Go back with the browser's Back button and choose a smaller file.",
    },
    "error_file_too_large": {
        "sv": "Filen är för stor för att tas emot.",
        "en": "The file is too large to be accepted.",
    },
    "error_multipart": {
        "sv": "Formuläret kunde inte tas emot: det här formuläret skickas inte som filuppladdning.",
        "en": "The form could not be accepted: this form is not sent as a file upload.",
    },
}

TRACKERS: _S = {
    "trackers": {"sv": "Mätare", "en": "Trackers"},
    "tracker": {"sv": "Mätare", "en": "Tracker"},
    "all_trackers": {"sv": "Alla mätare", "en": "All trackers"},
    "tracker_nav": {"sv": "Mätarens sidor", "en": "This tracker's pages"},
    # readers see the first: they have no command line, and a tracker may exist as a draft
    "no_trackers": {
        "sv": "Inga mätare är publicerade ännu.",
        "en": "No trackers are published yet.",
    },
    # every public tracker is archived (QA: "none published yet" above the archived ones)
    "no_current_trackers": {
        "sv": "Ingen mätare följs upp just nu.",
        "en": "No tracker is being followed up right now.",
    },
    "no_trackers_editor": {
        "sv": "Inga mätare ännu. Skapa en med `lofte tracker add` och läs in dokument med `lofte ingest`.",
        "en": "No trackers yet. Create one with `lofte tracker add` and read documents with `lofte ingest`.",
    },
    "jurisdiction": {"sv": "Område", "en": "Jurisdiction"},
    "actors": {"sv": "Aktörer", "en": "Actors"},
    "term": {"sv": "Mandatperiod", "en": "Term"},
    "meter": {"sv": "Mätaren", "en": "The meter"},
    "meter_heading": {"sv": "Hur går det med löftena?", "en": "How are the pledges doing?"},
    "meter_summary": {
        "sv": "Av {total} löften är {kept} uppfyllda, {partially} delvis uppfyllda och {broken} brutna.",
        "en": "Of {total} pledges, {kept} are kept, {partially} partially kept and {broken} broken.",
    },
    "meter_unreviewed": {
        "sv": "Av dem har {n} ännu inte granskats av en redaktör: de är maskinens förslag, "
        "märkta ”ej granskat” i listan.",
        "en": "Of these, {n} have not yet been reviewed by an editor: they are the machine's "
        "suggestions, marked “not reviewed” in the list.",
    },
    "meter_unreviewed_one": {
        "sv": "Av dem har {n} ännu inte granskats av en redaktör: det är maskinens förslag, "
        "märkt ”ej granskat” i listan.",
        "en": "Of these, {n} has not yet been reviewed by an editor: it is the machine's "
        "suggestion, marked “not reviewed” in the list.",
    },
    "n_unreviewed": {"sv": "varav {n} ej granskade", "en": "{n} not reviewed"},
    "n_unreviewed_one": {"sv": "varav {n} ej granskat", "en": "{n} not reviewed"},
    "meter_summary_one": {  # a count of 1: labels, which agree with any number
        "sv": "Löften: {total}. Uppfyllda: {kept}, delvis uppfyllda: {partially}, brutna: {broken}.",
        "en": "Pledges: {total}. Kept: {kept}, partially kept: {partially}, broken: {broken}.",
    },
    "meter_chart_title": {"sv": "Löften per status", "en": "Pledges by status"},
    "meter_table_caption": {"sv": "Antal löften per status", "en": "Number of pledges by status"},
    "shares_rounded": {
        "sv": "Varje andel är avrundad till hela procent, så tillsammans blir de {sum}.",
        "en": "Each share is rounded to a whole percent, so together they make {sum}.",
    },
    "chart_has_table": {
        "sv": "Samma siffror finns i tabellen.",
        "en": "The table holds the same numbers.",
    },
    "by_area": {"sv": "Per politikområde", "en": "By policy area"},
    "areas_chart_title": {
        "sv": "Löften per politikområde och status",
        "en": "Pledges by policy area and status",
    },
    "areas_table_caption": {
        "sv": "Antal löften per politikområde och status",
        "en": "Number of pledges by policy area and status",
    },
    "over_term": {"sv": "Under mandatperioden", "en": "Over the term"},
    "term_chart_title": {"sv": "Status vid varje månadsskifte", "en": "Status at each month end"},
    "term_table_caption": {
        "sv": "Antal löften per status vid varje månadsskifte",
        "en": "Number of pledges by status at each month end",
    },
    "show_table": {"sv": "Visa som tabell", "en": "Show as a table"},
    "no_area": {"sv": "Utan område", "en": "No area"},
    "rss": {"sv": "RSS-flöde", "en": "RSS feed"},
    "feed_title": {"sv": "nya bedömningar", "en": "new verdicts"},
    "feed_description": {
        "sv": "Nya och ändrade bedömningar av vallöften.",
        "en": "New and changed verdicts on election pledges.",
    },
    "documents": {"sv": "Dokument", "en": "Documents"},
    "no_documents": {"sv": "Inga dokument ännu.", "en": "No documents yet."},
    "cut_off": {"sv": "texten är avkortad i källan", "en": "the text is cut off in the source"},
    "kind_program": {"sv": "program", "en": "program"},
    # a document's page: the pledges it is accepted evidence for
    "evidence_for": {"sv": "Belägg för löftena", "en": "Evidence for the pledges"},
    # where in a PDF program a pledge stands (the file's page, counted from 1)
    # the PDF file's page, which a printed page number may not be (QA: an unnumbered cover
    # made "s. 14" the printed page 13, and a journalist would cite that)
    "on_page": {"sv": "PDF-sida {n}", "en": "PDF page {n}"},
    "attr_pages": {"sv": "Sida i PDF-filen", "en": "Page in the PDF"},
    "on_pages": {"sv": "PDF-sidorna {first}–{last}", "en": "PDF pages {first}–{last}"},
    "kind_news": {"sv": "nyhet", "en": "news"},
    "kind_decision": {"sv": "beslut", "en": "decision"},
    "kind_budget": {"sv": "budget", "en": "budget"},
    "kind_other": {"sv": "annat", "en": "other"},
    "precision_day": {"sv": "dag", "en": "day"},
    "precision_month": {"sv": "månad", "en": "month"},
    "precision_season": {"sv": "säsong", "en": "season"},
    "precision_year": {"sv": "år", "en": "year"},
    "provenance_explicit": {"sv": "angivet", "en": "given"},
    "provenance_inferred": {"sv": "härlett ur texten", "en": "inferred from the text"},
    "category_pressmeddelanden": {"sv": "pressmeddelande", "en": "press release"},
    "category_proposition": {"sv": "proposition", "en": "government bill"},
    "category_tal": {"sv": "tal", "en": "speech"},
    "category_debattartiklar": {"sv": "debattartikel", "en": "op-ed"},
    "provenance_path": {"sv": "ur arkivets mappar", "en": "from the archive's folders"},
    "provenance_dateline": {"sv": "ur textens datumrad", "en": "from the text's dateline"},
    "provenance_metadata": {
        "sv": "när filen skapades, enligt dess metadata",
        "en": "when the file was made, by its metadata",
    },
    "pledges_in_document": {"sv": "{n} löften i dokumentet", "en": "{n} pledges in the document"},
    "pledges_in_document_one": {"sv": "{n} löfte i dokumentet", "en": "{n} pledge in the document"},
    "show_in_text": {"sv": "visa i texten", "en": "show in the text"},
    # a document with more pledges than a page marks (`pages.DOCUMENT_MARKS_SHOWN`)
    "pledges_beyond_marks": {
        "sv": "De första {n} löftena är markerade i texten och listade här, {more} till är "
        "inte det; alla finns i mätarens löfteslista.",
        "en": "The first {n} pledges are marked in the text and listed here, {more} more are "
        "not; all are on the tracker's list of pledges.",
    },
}

WIDGET: _S = {
    "widget_title": {"sv": "löftesmätare", "en": "pledge meter"},
    "widget_more": {"sv": "Se alla löften", "en": "See every pledge"},
    "widget_heading": {"sv": "Bädda in mätaren", "en": "Embed the meter"},
    "widget_intro": {
        "sv": "Visa mätaren på en annan webbplats: klistra in en av kodsnuttarna nedan. Siffrorna följer med när bedömningarna ändras.",
        "en": "Show the meter on another site: paste one of the snippets below. The numbers follow when verdicts change.",
    },
    "widget_preview": {"sv": "Mätaren som bild", "en": "The meter as an image"},
    "widget_iframe": {
        "sv": "Som ruta (iframe), med länk hit",
        "en": "As a box (iframe), linking here",
    },
    "widget_badge": {"sv": "Som bild (SVG), med länk hit", "en": "As an image (SVG), linking here"},
    "widget_relative": {
        # readers see it: no setting names (the admin's side is in docs/web.md: LOFTE_PUBLIC_URL,
        # or --base-url for a static site)
        "sv": "Adresserna börjar med /: skriv den här webbplatsens adress framför dem (till exempel https://exempel.se/…).",
        "en": "The addresses start with /: put this site's address in front of them (for example https://example.org/…).",
    },
}

PLEDGES: _S = {
    "pledge": {"sv": "Löfte", "en": "Pledge"},
    "pledges": {"sv": "Löften", "en": "Pledges"},
    "all_pledges": {"sv": "Alla löften", "en": "All pledges"},
    "undated": {"sv": "odaterat", "en": "undated"},
    # A filtered list's title and heading name its filters (QA: every filtered page was "Löften
    # som filtret väljer", and the static site has no form to show them): the status's
    # phrase (or "pledges"), then the area, the party and the words that chose them.
    "pledges_status_kept": {"sv": "Uppfyllda löften", "en": "Kept pledges"},
    "pledges_status_partially_kept": {
        "sv": "Delvis uppfyllda löften",
        "en": "Partially kept pledges",
    },
    "pledges_status_broken": {"sv": "Brutna löften", "en": "Broken pledges"},
    "pledges_status_in_the_works": {"sv": "Löften på gång", "en": "Pledges in the works"},
    "pledges_status_stalled": {"sv": "Avstannade löften", "en": "Stalled pledges"},
    "pledges_status_not_rated": {"sv": "Ej bedömda löften", "en": "Pledges not yet rated"},
    "pledges_status_not_checkable": {
        "sv": "Löften som inte går att pröva",
        "en": "Pledges that cannot be checked",
    },
    "pledges_in_area": {"sv": "inom {area}", "en": "in {area}"},
    "pledges_by_party": {"sv": "från {party}", "en": "from {party}"},
    "pledges_with_words": {"sv": "med sökorden ”{q}”", "en": "matching “{q}”"},
    "unknown_area": {  # a mistyped area in the address: no list of none, no dead feed link
        "sv": "Inget av löftena här hör till politikområdet ”{area}”.",
        "en": "None of these pledges belongs to the policy area “{area}”.",
    },
    "known_areas": {"sv": "Politikområdena är:", "en": "The policy areas are:"},
    "unknown_party": {  # a mistyped party in the address of a search
        "sv": "Ingen bevakning här följer partiet ”{party}”.",
        "en": "No tracker here follows the party “{party}”.",
    },
    "known_parties": {"sv": "Partierna är:", "en": "The parties are:"},
    "clear_filters": {"sv": "Visa alla löften", "en": "Show all pledges"},
    "no_pledges": {"sv": "Inga löften ännu.", "en": "No pledges yet."},
    "n_pledges": {"sv": "{n} löften", "en": "{n} pledges"},
    "page_of": {"sv": "Sida {page} av {pages}", "en": "Page {page} of {pages}"},
    "last_page": {  # a page past the end (an old link): the way back
        "sv": "Det finns inte så många sidor: till sista sidan ({n})",
        "en": "There are not that many pages: go to the last page ({n})",
    },
    "n_pledges_one": {"sv": "{n} löfte", "en": "{n} pledge"},
    "filter_pledges": {"sv": "Välj löften", "en": "Filter pledges"},
    "all_areas": {"sv": "Alla områden", "en": "All areas"},
    "all_statuses": {"sv": "Alla", "en": "All"},
    "area": {"sv": "Politikområde", "en": "Policy area"},
    "topic": {"sv": "Ämne", "en": "Topic"},
    "status": {"sv": "Status", "en": "Status"},
    "unconfirmed": {"sv": "ej granskat", "en": "not reviewed"},
    "recorded": {"sv": "registrerat", "en": "recorded"},
    "as_of": {"sv": "Gäller per", "en": "As of"},
    "sort_status": {"sv": "Efter status", "en": "By status"},
    "sort_area": {"sv": "Efter politikområde", "en": "By policy area"},
    "sort_recent": {"sv": "Senast ändrad status först", "en": "Latest status change first"},
    "unknown_value": {"sv": "okänt", "en": "unknown"},
    "attrval_type_action": {"sv": "åtgärd", "en": "action"},
    "attrval_type_outcome": {"sv": "resultat", "en": "outcome"},
    "attrval_method_structure": {"sv": "listans uppbyggnad", "en": "the list's structure"},
    "attrval_method_cue": {"sv": "löftesord", "en": "pledge wording"},
    "attrval_method_classifier": {"sv": "klassificeraren", "en": "the classifier"},
    "check_date_ok": {"sv": "efter programmet", "en": "after the program"},
    "check_in_term": {"sv": "under mandatperioden", "en": "within the term"},
    "check_jurisdiction": {"sv": "plats", "en": "place"},
    "check_actor": {"sv": "aktör nämnd", "en": "actor named"},
    "check_weight": {"sv": "vikt", "en": "weight"},
    # the place a document names, against the tracker's ("Check: place — own" said little)
    "checkval_own": {"sv": "mätarens egen", "en": "the tracker's own"},
    "checkval_other": {"sv": "en annan än mätarens", "en": "another than the tracker's"},
    "checkval_both": {"sv": "båda", "en": "both"},
    "checkval_unknown": {"sv": "ingen nämnd", "en": "none named"},
    "action_pledge.confirm": {"sv": "löfte bekräftat", "en": "pledge confirmed"},
    "action_pledge.reject": {"sv": "löfte avvisat", "en": "pledge rejected"},
    "action_pledge.edit": {"sv": "löfte ändrat", "en": "pledge edited"},
    "action_pledge.split": {"sv": "löfte delat", "en": "pledge split"},
    "action_pledge.add": {"sv": "löfte tillagt", "en": "pledge added"},
    "action_pledge.merge": {"sv": "löften sammanslagna", "en": "pledges merged"},
    "action_pledge.extract": {"sv": "löften hittade", "en": "pledges extracted"},
    "action_pledge.move": {"sv": "löfte flyttat i texten", "en": "pledge moved in the text"},
    "action_pledge.reconcile": {"sv": "kandidater stämda av", "en": "candidates reconciled"},
    "action_pledge.span_lost": {"sv": "löftets text saknas", "en": "pledge text lost"},
    "action_evidence.accept": {"sv": "belägg godtaget", "en": "evidence accepted"},
    "action_evidence.reject": {"sv": "belägg avvisat", "en": "evidence rejected"},
    "action_evidence.attach": {"sv": "belägg tillagt", "en": "evidence attached"},
    "action_verdict.set": {"sv": "bedömning satt", "en": "verdict set"},
    "action_verdict.publish": {"sv": "bedömning publicerad", "en": "verdict published"},
    "action_document.edit": {"sv": "dokument rättat", "en": "document corrected"},
    "action_document.delete": {"sv": "dokument raderat", "en": "document deleted"},
    "action_document.update": {
        "sv": "dokumentets text ersatt vid ny inläsning",
        "en": "document text replaced when read again",
    },
    "action_pledge.evidence_removed": {
        "sv": "belägg raderat med sitt dokument",
        "en": "evidence deleted with its document",
    },
    "action_tracker.publish": {"sv": "mätare publicerad", "en": "tracker published"},
    "action_tracker.unpublish": {"sv": "mätare avpublicerad", "en": "tracker unpublished"},
    "action_tracker.add": {"sv": "mätare skapad", "en": "tracker added"},
    "action_tracker.edit": {"sv": "mätare ändrad", "en": "tracker edited"},
    "action_tracker.archive": {"sv": "mätare arkiverad", "en": "tracker archived"},
    "action_tracker.unarchive": {"sv": "mätare återställd", "en": "tracker unarchived"},
    "action_tracker.delete": {"sv": "mätare raderad", "en": "tracker deleted"},
    "action_user.add": {"sv": "konto skapat", "en": "account added"},
    "action_user.disable": {"sv": "konto spärrat", "en": "account disabled"},
    "action_user.enable": {"sv": "konto öppnat", "en": "account enabled"},
    "action_user.passwd": {"sv": "lösenord bytt", "en": "password changed"},
    "action_user.unlock": {"sv": "inloggningsspärr hävd", "en": "login lock released"},
    "action_user.remove": {"sv": "konto borttaget", "en": "account removed"},
    "action_user.role": {"sv": "roll ändrad", "en": "role changed"},
    "history_caption": {
        "sv": "Varje ändring av löftet och dess belägg, äldst först",
        "en": "Every change to the pledge and its evidence, oldest first",
    },
    "as_of_help": {
        "sv": "När det bedömda hände, t.ex. budgetbeslutet: 2024, 2024-05 eller 2024-05-13.",
        "en": "When the rated thing happened, e.g. the budget decision: 2024, 2024-05 or 2024-05-13.",
    },
    "save_as_draft": {
        "sv": "Spara som utkast (inte publikt; utan kryss publiceras bedömningen direkt)",
        "en": "Save as draft (not public; unticked, the verdict is published at once)",
    },
    "draft": {"sv": "utkast", "en": "draft"},
    "publish": {"sv": "Publicera", "en": "Publish"},
    "unpublish": {"sv": "Avpublicera", "en": "Unpublish"},
    "tracker_draft": {
        "sv": "Utkast: inte synligt för allmänheten",
        "en": "Draft: not visible to the public",
    },
    "tracker_published": {"sv": "Publicerad", "en": "Published"},
    "flash_tracker_published": {
        "sv": "Mätaren {slug} är publicerad: dess sidor är publika nu.",
        "en": "Tracker {slug} is published: its pages are public now.",
    },
    "publish_confirm": {
        "sv": "Ja, gör mätarens sidor publika",
        "en": "Yes, make the tracker's pages public",
    },
    "flash_publish_unconfirmed": {
        "sv": "Inget ändrades: kryssa i rutan för att publicera mätaren.",
        "en": "Nothing changed: tick the box to publish the tracker.",
    },
    "public_meter_draft": {
        "sv": "Den publika mätaren: ingen än, mätaren är ett utkast",
        "en": "The public meter: none yet, the tracker is a draft",
    },
    "unpublish_confirm": {
        "sv": "Ja, ta bort mätarens publika sidor",
        "en": "Yes, take the tracker's public pages offline",
    },
    "flash_unpublish_unconfirmed": {
        "sv": "Inget ändrades: kryssa i rutan för att ta bort mätarens publika sidor.",
        "en": "Nothing changed: tick the box to take the tracker's public pages offline.",
    },
    "flash_tracker_unpublished": {
        "sv": "Mätaren {slug} är ett utkast igen.",
        "en": "Tracker {slug} is a draft again.",
    },
    "flash_verdict_already_published": {
        "sv": "Bedömningen var redan publicerad.",
        "en": "The verdict was published already.",
    },
    "flash_verdict_published": {
        "sv": "Bedömningen är publicerad.",
        "en": "The verdict is published.",
    },
    "flash_verdict_published_not_current": {
        "sv": "Bedömningen är publicerad, men löfte {id} behåller sin status: en bedömning som "
        "gäller en senare tidpunkt är den aktuella.",
        "en": "The verdict is published, but pledge {id} keeps its status: a verdict about a "
        "later moment is the current one.",
    },
    "edit_document": {"sv": "Rätta dokumentet", "en": "Correct the document"},
    # a pledge the extractor missed, added from the program's page (review.pledges.add)
    "add_missed_pledge": {"sv": "Lägg till ett löfte som saknas", "en": "Add a missing pledge"},
    "missed_pledge_words": {"sv": "Löftets ord", "en": "The pledge's words"},
    "missed_pledge_help": {
        "sv": "Kopiera orden ur programmet, så som de står där (radbrytningar spelar ingen "
        "roll). Löftet läggs till som bekräftat.",
        "en": "Copy the words from the program as they stand there (line breaks do not "
        "matter). The pledge is added as confirmed.",
    },
    "missed_pledge_area_help": {
        "sv": "Lämnas det tomt får löftet området för rubriken det står under.",
        "en": "Left empty, the pledge gets the area of the heading it stands under.",
    },
    "missed_pledge_which": {
        "sv": "Orden står på flera ställen i dokumentet. Välj vilket:",
        "en": "The words stand in more than one place of the document. Choose which:",
    },
    "add_pledge": {"sv": "Lägg till löftet", "en": "Add the pledge"},
    "document_date_help": {
        "sv": '2024, 2024-05 eller 2024-05-13; "none" tar bort datumet.',
        "en": '2024, 2024-05 or 2024-05-13; "none" removes the date.',
    },
    "document_url": {"sv": "Originalets adress", "en": "Address of the original"},
    "document_url_help": {
        "sv": "Till exempel programmets PDF på partiets webbplats (https://…); "
        '"none" tar bort adressen.',
        "en": "For example the program's PDF on the party's site (https://…); "
        '"none" removes the address.',
    },
    "flash_document_edit": {"sv": "Dokumentet är rättat.", "en": "The document is corrected."},
    "document_delete_heading": {"sv": "Radera dokumentet", "en": "Delete the document"},
    "document_delete_help": {
        "sv": "För ett dokument som lästes in av misstag, till exempel i fel mätare. Det raderas "
        "med maskinens förslag och, för ett program, de löften som ingen har bekräftat. Det som "
        "en redaktör har beslutat behåller det: godtagna belägg, bedömningar och bekräftade "
        "löften. Skriv dokumentets nummer, {id}, för att bekräfta.",
        "en": "For a document ingested by mistake, for example into the wrong tracker. It is "
        "deleted with the machine's suggestions and, for a program, the pledges nobody has "
        "confirmed. What an editor decided keeps it: accepted evidence, verdicts and confirmed "
        "pledges. Type the document's number, {id}, to confirm.",
    },
    "document_delete_label": {"sv": "Dokumentets nummer", "en": "The document's number"},
    "document_delete_button": {"sv": "Radera dokumentet", "en": "Delete the document"},
    "flash_document_deleted": {
        "sv": "Dokument {id} är raderat ur mätaren {slug}.",
        "en": "Document {id} is deleted from tracker {slug}.",
    },
    "flash_document_deleted_watched": {
        "sv": "Dokument {id} är raderat ur mätaren {slug}. Det kom från den bevakade källan "
        "{name}, som hämtar det igen vid nästa körning om det står kvar där: pausa eller ta bort källan under Bevakade källor.",
        "en": "Document {id} is deleted from tracker {slug}. It came from the watched source "
        "{name}, which fetches it again at its next run if it still lists it: pause or remove the source under Watched "
        "sources.",
    },
    "pledge_unconfirmed": {
        "sv": "Löftet är hittat automatiskt och ännu inte granskat av redaktionen.",
        "en": "This pledge was found automatically and is not yet reviewed by the editors.",
    },
    "pledge_removed": {
        "sv": "Redaktionen har tagit bort det här löftet ur mätaren.",
        "en": "The editors have removed this pledge from the meter.",
    },
    "pledge_removed_on": {
        "sv": "Redaktionen tog bort det här löftet ur mätaren {date}.",
        "en": "The editors removed this pledge from the meter on {date}.",
    },
    "pledge_span_lost": {
        "sv": "Citatet finns inte längre i dokumentets nuvarande text: dokumentet har ändrats "
        "sedan löftet hämtades ur det. Citatet ovan är som det stod då.",
        "en": "The quote is no longer in the document's current text: the document has "
        "changed since the pledge was taken from it. The quote above is as it stood then.",
    },
    "see_merged": {"sv": "Se det sammanslagna löftet.", "en": "See the merged pledge."},
    "parts": {"sv": "Delar", "en": "Parts"},
    "in_context": {"sv": "Citatet i sitt sammanhang", "en": "The quote in context"},
    "read_whole_document": {"sv": "Läs hela dokumentet", "en": "Read the whole document"},
    "timeline": {"sv": "Bedömningar över tid", "en": "Verdicts over time"},
    "not_rated_yet": {"sv": "Inte bedömt ännu.", "en": "Not rated yet."},
    # once the term is over nothing is still to come (QA: "ännu" on a finished term's page)
    "not_rated_final": {"sv": "Inte bedömt.", "en": "Not rated."},
    "no_evidence_final": {"sv": "Inga belägg.", "en": "No evidence."},
    "based_on": {"sv": "Grundat på", "en": "Based on"},
    "evidence": {"sv": "Belägg", "en": "Evidence"},
    "no_evidence": {"sv": "Inga belägg ännu.", "en": "No evidence yet."},
    "matched_terms": {"sv": "Matchade ord", "en": "Matched words"},
    "placement": {"sv": "Placering", "en": "Placement"},
    "placement_text": {
        "sv": "plats {fused} bland dokumentets löften (ordmatchning: {lexical}, betydelse: {dense})",
        "en": "place {fused} among the document's pledges (word match: {lexical}, meaning: {dense})",
    },
    "placed_by_both": {"sv": "båda signalerna", "en": "both signals"},
    "placed_by_lexical": {"sv": "placerad av ordmatchningen", "en": "placed by the word match"},
    "placed_by_dense": {
        # "betydelse", as the placement's own words; the similarity follows it by name
        "sv": "placerad av betydelsen (e5)",
        "en": "placed by meaning (e5)",
    },
    "passage": {"sv": "Stycke", "en": "Passage"},
    "status_kept": {"sv": "Uppfyllt", "en": "Kept"},
    "status_partially_kept": {"sv": "Delvis uppfyllt", "en": "Partially kept"},
    "status_broken": {"sv": "Brutet", "en": "Broken"},
    "status_in_the_works": {"sv": "På gång", "en": "In the works"},
    "status_stalled": {"sv": "Avstannat", "en": "Stalled"},
    "status_not_rated": {"sv": "Ej bedömt", "en": "Not rated"},
    "status_not_checkable": {"sv": "Går inte att pröva", "en": "Not checkable"},
    "stance": {"sv": "Hållning", "en": "Stance"},
    "stance_supports": {"sv": "stöder", "en": "supports"},
    "stance_partial": {"sv": "delvis", "en": "partial"},
    "stance_against": {"sv": "emot", "en": "against"},
    "stance_mentions": {"sv": "nämner", "en": "mentions"},
    "attr_type": {"sv": "Slag", "en": "Type"},
    "attr_quantity": {"sv": "Mängd", "en": "Quantity"},
    # the time limit the pledge's own words set (an editor's deadline, i18n_term, wins over it)
    "attr_deadline": {"sv": "Tidsgräns i texten", "en": "Time limit in the text"},
    "attr_deadline_year": {"sv": "År i texten", "en": "Year in the text"},
    "attr_conditional": {"sv": "Villkorat", "en": "Conditional"},
    "attr_checkable": {"sv": "Går att pröva", "en": "Checkable"},
    "attr_testable": {"sv": "Går att pröva", "en": "Testable"},
    "attr_method": {"sv": "Hittat med", "en": "Found by"},
    "attr_rank": {"sv": "Rang", "en": "Rank"},
    "attr_precision": {"sv": "Precision", "en": "Precision"},
    # store/derived.py: a reviewed pledge whose quote its document's new text lost (QA: shown
    # as the raw key "attr_span_lost")
    "attr_span_lost": {
        "sv": "Citatet saknas i dokumentets nya text",
        "en": "The quote is gone from the document's new text",
    },
    "pledge_precision_specific": {"sv": "specifik", "en": "specific"},
    "pledge_precision_vague": {"sv": "vag", "en": "vague"},
}

EDITORS: _S = {
    "username": {"sv": "Användarnamn", "en": "Username"},
    "password": {"sv": "Lösenord", "en": "Password"},
    "login_failed": {"sv": "Fel användarnamn eller lösenord.", "en": "Wrong username or password."},
    "session_ended_form": {
        "sv": "Du var utloggad när formuläret skickades, så inget av det sparades. "
        "Logga in igen för att komma tillbaka till sidan.",
        "en": "You were logged out when the form was sent, so nothing of it was saved. "
        "Log in again to return to the page.",
    },
    # the alert is what a screen reader reads first: it says the typed text is further down
    # (QA, a screen-reader user: it came after the login form, unannounced)
    "session_ended_typed_below": {
        "sv": "Det du skrev finns att kopiera under inloggningen.",
        "en": "What you typed is below the login form, to copy.",
    },
    "form_not_saved": {
        "sv": "Det du skickade sparades inte:",
        "en": "What you sent was not saved:",
    },
    "typed_not_saved": {"sv": "Det du skrev (inte sparat)", "en": "What you typed (not saved)"},
    "typed_not_saved_copy": {  # a form refused while logged in: no login comes first
        "sv": "Kopiera texten, öppna formuläret igen och klistra in den där.",
        "en": "Copy the text, open the form again and paste it there.",
    },
    "typed_not_saved_help": {
        "sv": "Kopiera texten innan du loggar in, och klistra in den i formuläret igen.",
        "en": "Copy the text before you log in, and paste it into the form again.",
    },
    "login_throttled": {
        "sv": "För många misslyckade inloggningar. Försök igen om en stund.",
        "en": "Too many failed logins. Try again in a while.",
    },
    "login_busy": {
        "sv": "Inloggningen är upptagen just nu. Försök igen om en halv minut.",
        "en": "Login is busy right now. Try again in half a minute.",
    },
    "flash_logged_in": {"sv": "Inloggad som {name}.", "en": "Logged in as {name}."},
    "flash_evidence_accept": {
        "sv": "Belägg {id} godtaget för löfte {pledge}.",
        "en": "Evidence {id} accepted for pledge {pledge}.",
    },
    "flash_evidence_reject": {"sv": "Belägg {id} avvisat.", "en": "Evidence {id} rejected."},
    "flash_evidence_already_accept": {
        "sv": "Belägg {id} var redan godtaget för löfte {pledge}: inget ändrades.",
        "en": "Evidence {id} was accepted already for pledge {pledge}: nothing changed.",
    },
    "flash_evidence_already_reject": {
        "sv": "Belägg {id} var redan avvisat: inget ändrades.",
        "en": "Evidence {id} was rejected already: nothing changed.",
    },
    "flash_pledge_confirm": {"sv": "Löfte {id} bekräftat.", "en": "Pledge {id} confirmed."},
    "flash_pledge_reject": {"sv": "Löfte {id} avvisat.", "en": "Pledge {id} rejected."},
    "flash_pledge_already_confirm": {
        "sv": "Löfte {id} var redan bekräftat: inget ändrades.",
        "en": "Pledge {id} was already confirmed: nothing changed.",
    },
    "flash_pledge_already_reject": {
        "sv": "Löfte {id} var redan avvisat: inget ändrades.",
        "en": "Pledge {id} was already rejected: nothing changed.",
    },
    "flash_pledge_edit": {"sv": "Löfte {id} ändrat.", "en": "Pledge {id} changed."},
    "flash_pledge_split": {"sv": "Löfte {id} delat.", "en": "Pledge {id} split."},
    "flash_pledge_added": {
        "sv": "Löfte {id} tillagt, i området {area}.",
        "en": "Pledge {id} added, in the area {area}.",
    },
    "flash_pledge_added_no_area": {
        "sv": "Löfte {id} tillagt, utan område: ingen sakrubrik gäller där det står (ange ett "
        "på löftets sida).",
        "en": "Pledge {id} added, with no area: no policy heading applies where it stands (set "
        "one on its page).",
    },
    "flash_pledge_merge": {"sv": "Löftena sammanslagna.", "en": "Pledges merged."},
    "flash_pledge_merged": {
        "sv": "Löftena {ids} är sammanslagna till löfte {id} (och avvisade).",
        "en": "Pledges {ids} are merged into pledge {id} (and rejected).",
    },
    "flash_verdict": {
        "sv": "Bedömningen av löfte {id} är sparad och publicerad.",
        "en": "The verdict on pledge {id} is saved and published.",
    },
    "flash_verdict_not_current": {
        "sv": "Bedömningen av löfte {id} är sparad och publicerad i tidslinjen, men statusen "
        "ändras inte: en bedömning som gäller en senare tidpunkt är den aktuella.",
        "en": "The verdict on pledge {id} is saved and published in its timeline, but the status "
        "does not change: a verdict about a later moment is the current one.",
    },
    "flash_verdict_tracker_draft": {
        "sv": "Bedömningen av löfte {id} är sparad. Mätaren är ett utkast, så den blir publik "
        "först när mätaren publiceras.",
        "en": "The verdict on pledge {id} is saved. The tracker is a draft, so it becomes "
        "public only when the tracker is published.",
    },
    "flash_verdict_after_term": {
        "sv": "Bedömningen av löfte {id} är sparad och publicerad. Den gäller en tidpunkt efter "
        "mandatperiodens slut och är nu löftets status på periodens sidor.",
        "en": "The verdict on pledge {id} is saved and published. It is about a moment after the "
        "term's end, and is now the pledge's status on the term's pages.",
    },
    "flash_verdict_draft": {
        "sv": "Bedömningen av löfte {id} är sparad som utkast. Den är inte publik förrän den "
        "publiceras.",
        "en": "The verdict on pledge {id} is saved as a draft. It is not public until it is "
        "published.",
    },
    "flash_verdict_already": {
        "sv": "Bedömningen är redan sparad: löfte {id} har redan precis den bedömningen.",
        "en": "The verdict is already saved: pledge {id} already has exactly this verdict.",
    },
    "viewer_note": {
        "sv": "Du kan läsa men inte ändra (rollen läsare).",
        "en": "You can read but not change anything (viewer role).",
    },
    "review_queue": {"sv": "Förslag att granska", "en": "Review queue"},
    "n_suggestions": {"sv": "{n} förslag", "en": "{n} suggestions"},
    "n_suggestions_one": {"sv": "{n} förslag", "en": "{n} suggestion"},
    "queue_empty": {"sv": "Inga förslag väntar.", "en": "No suggestions are waiting."},
    "suggestion": {"sv": "Förslag", "en": "Suggestion"},
    "source_warning_feed": {
        "sv": "Flödet som dokumentet kommer från var trasigt: texten eller länken kan höra till "
        "ett annat inlägg. Kontrollera källan innan du godtar.",
        "en": "The feed this document came from was malformed: its text or link may belong to "
        "another entry. Check the source before accepting.",
    },
    "why_suggested": {"sv": "Varför föreslaget", "en": "Why suggested"},
    # a decision taken back on the pledge's page (QA: only the CLI could)
    "withdraw_evidence": {"sv": "Dra tillbaka", "en": "Withdraw"},
    "accept_after_all": {"sv": "Godta ändå", "en": "Accept after all"},
    # evidence an editor attached: the linker's score of it, not a suggestion (QA)
    "why_attached": {"sv": "Tillagt av redaktionen", "en": "Added by the editors"},
    "score": {"sv": "Poäng", "en": "Score"},
    "status_hint": {"sv": "Antydd status", "en": "Status hint"},
    "confidence": {"sv": "säkerhet", "en": "confidence"},
    "check": {"sv": "Kontroll", "en": "Check"},
    # plain words first, the linker's name and version after for an audit (QA: jargon)
    "linker": {"sv": "Ursprung", "en": "Origin"},
    "made_by_editor": {"sv": "tillagt av en redaktör", "en": "added by an editor"},
    "made_by_linker": {
        "sv": "föreslaget av den automatiska länkningen",
        "en": "suggested by the automatic linking",
    },
    "meaning_similarity": {"sv": "betydelselikhet", "en": "meaning similarity"},
    "accept": {"sv": "Godta", "en": "Accept"},
    "reject": {"sv": "Avvisa", "en": "Reject"},
    "conflict_evidence": {"sv": "Någon annan hann före.", "en": "Someone else was first."},
    "pledge_review": {"sv": "Granska löften", "en": "Pledge review"},
    "n_candidates": {"sv": "{n} att granska", "en": "{n} to review"},
    "n_confirmed": {"sv": "{n} bekräftade", "en": "{n} confirmed"},
    "n_confirmed_one": {"sv": "{n} bekräftat", "en": "{n} confirmed"},
    "public_meter": {"sv": "Den publika mätaren", "en": "The public meter"},
    "public_page": {"sv": "publik sida", "en": "public page"},
    "filter_state": {"sv": "Välj läge", "en": "Choose state"},
    "state": {"sv": "Läge", "en": "State"},
    "merged_into_note": {"sv": "sammanslaget i", "en": "merged into"},
    "same_text_note": {
        "sv": "Programmet har samma text också som",
        "en": "The program has the same text also as",
    },
    "same_text_hint": {
        "sv": "Godkänns båda räknas löftet två gånger: avvisa det ena som dubblett.",
        "en": "Confirmed both, the promise counts twice: reject one as a duplicate.",
    },
    "state_candidate": {"sv": "Att granska", "en": "Candidate"},
    "queue_pledge_candidate": {
        "sv": "löftet är inte bekräftat än",
        "en": "the pledge is not confirmed yet",
    },
    "role_admin": {"sv": "administratör", "en": "administrator"},
    "role_editor": {"sv": "redaktör", "en": "editor"},
    "role_viewer": {"sv": "läsare", "en": "viewer"},
    "state_confirmed": {"sv": "Bekräftat", "en": "Confirmed"},
    "state_rejected": {"sv": "Avvisat", "en": "Rejected"},
    "review_suggested": {"sv": "föreslaget", "en": "suggested"},
    "review_accepted": {"sv": "godtaget", "en": "accepted"},
    "review_rejected": {"sv": "avvisat", "en": "rejected"},
    "version": {"sv": "version", "en": "version"},
    "group": {"sv": "grupp", "en": "group"},
    "span": {"sv": "tecken", "en": "characters"},
    "conflict_title": {
        "sv": "Någon annan ändrade löftet medan du arbetade.",
        "en": "Someone else changed this pledge while you were working.",
    },
    "conflict_text": {
        "sv": "Inget av det du skrev har försvunnit: det står kvar i formuläret nedan. Se efter vad som har ändrats och skicka igen om du fortfarande vill.",
        "en": "Nothing you wrote is lost: it is still in the form below. Check what changed, then send it again if you still want to.",
    },
    "verdict": {"sv": "Bedömning", "en": "Verdict"},
    "choose": {"sv": "Välj …", "en": "Choose …"},
    "rationale": {"sv": "Motivering", "en": "Rationale"},
    "verdict_help": {
        "sv": "Uppfyllt, delvis uppfyllt och brutet kräver minst ett godtaget belägg. Går inte att pröva kräver skälet i motiveringen.",
        "en": "Kept, partially kept and broken need at least one accepted piece of evidence. Not checkable needs the reason in the rationale.",
    },
    "evidence_for_verdict": {
        "sv": "Godtagna belägg som bedömningen grundas på",
        "en": "Accepted evidence the verdict rests on",
    },
    "no_accepted_evidence": {"sv": "Inga godtagna belägg ännu.", "en": "No accepted evidence yet."},
    # one button for both: it said "publish" with the draft box ticked (QA)
    "save_verdict": {"sv": "Spara bedömningen", "en": "Save the verdict"},
    "verdict_needs_confirmed": {
        "sv": "Löftet måste bekräftas innan det kan bedömas.",
        "en": "The pledge must be confirmed before it can get a verdict.",
    },
    "verdict_rejected_pledge": {
        "sv": "Löftet är avvisat och får ingen bedömning.",
        "en": "The pledge is rejected and gets no verdict.",
    },
    "verdict_on_parts": {
        "sv": "Löftet är uppdelat i delar, som bedöms var för sig: bedöm delarna.",
        "en": "The pledge is split into parts, which are rated one by one: rate the parts.",
    },
    "review_pledge": {"sv": "Granska löftet", "en": "Review the pledge"},
    "confirm": {"sv": "Bekräfta löftet", "en": "Confirm the pledge"},
    "confirm_parts": {"sv": "Bekräfta delarna", "en": "Confirm the parts"},
    "confirm_group_help": {
        "sv": "Bekräftar också delarna som står som Att granska: löftet räknas genom sina delar.",
        "en": "Also confirms its parts still marked Candidate: the pledge is counted through them.",
    },
    "reject_reason": {"sv": "Skäl att avvisa (valfritt)", "en": "Reason to reject (optional)"},
    "decision_reason": {"sv": "Skäl (valfritt)", "en": "Reason (optional)"},
    "decided_because": {"sv": "Skäl", "en": "Reason"},
    "reject_pledge": {"sv": "Avvisa löftet", "en": "Reject the pledge"},
    "edit_pledge": {"sv": "Ändra", "en": "Edit"},
    "span_start": {"sv": "Början (tecken i dokumentet)", "en": "Start (character in the document)"},
    "span_end": {"sv": "Slut (tecken i dokumentet)", "en": "End (character in the document)"},
    "save": {"sv": "Spara", "en": "Save"},
    "split_pledge": {"sv": "Dela", "en": "Split"},
    "split": {"sv": "Dela löftet", "en": "Split the pledge"},
    "split_label": {
        "sv": "Citatet, med | där det ska delas",
        "en": "The quote, with | where it is to be split",
    },
    "split_help": {
        "sv": "Skriv ett lodstreck | på varje ställe där löftet ska delas. Ändra inget annat.",
        "en": "Type a bar | at each place where the pledge is to be split. Change nothing else.",
    },
    "merge_pledge": {"sv": "Slå samman", "en": "Merge"},
    "merge_with": {"sv": "Slå samman med", "en": "Merge with"},
    "merge_confirms": {
        "sv": "Löftet som sammanslagningen ger är bekräftat: det syns för allmänheten och "
        "räknas i mätaren direkt.",
        "en": "The pledge a merge makes is confirmed: it is public and counted in the meter at "
        "once.",
    },
    "merge": {"sv": "Slå samman löftena", "en": "Merge the pledges"},
    "history": {"sv": "Historik", "en": "History"},
    "no_history": {"sv": "Inga ändringar ännu.", "en": "No changes yet."},
    "who": {"sv": "Vem", "en": "Who"},
    "action": {"sv": "Händelse", "en": "Action"},
    "what": {"sv": "Vad", "en": "What"},
    "details": {"sv": "Detaljer", "en": "Details"},
    "n_events": {"sv": "{n} händelser", "en": "{n} events"},
    "n_events_one": {"sv": "{n} händelse", "en": "{n} event"},
    "audit_caption": {"sv": "Alla ändringar, senaste först", "en": "Every change, newest first"},
    "filter_ranking": {
        "sv": "Välj och ordna löften efter rang",
        "en": "Filter and order pledges by rank",
    },
    "rank": {"sv": "Rang", "en": "Rank"},
    "pledge_precision": {"sv": "Precision", "en": "Precision"},
    "min_rank": {"sv": "Lägsta rang", "en": "Minimum rank"},
    "any_rank": {"sv": "Alla (även utan rang)", "en": "Any (also without a rank)"},
    "sort_by": {"sv": "Ordning", "en": "Order"},
    "sort_rank": {"sv": "Högst rang först", "en": "Highest rank first"},
    "sort_position": {"sv": "Som i dokumentet", "en": "As in the document"},
    "sorted_rank": {"sv": "högst rang först", "en": "highest rank first"},
    "sorted_position": {"sv": "i dokumentets ordning", "en": "in document order"},
    "unknown_rank": {"sv": "ingen rang", "en": "no rank"},
    "unknown_precision": {"sv": "ingen precision", "en": "no precision"},
    "no_matching_pledges": {
        "sv": "Inga löften matchar urvalet.",
        "en": "No pledges match the filter.",
    },
    # a conflict (409): the other change, from its audit event (web/editor.py, changed_by)
    "changed_by": {
        "sv": "Senast ändrat av {who} den {when} (UTC):",
        "en": "Last changed by {who} on {when} (UTC):",
    },
    # an account an admin disabled (web/auth.py): its session ended, the login page says why
    "account_disabled": {
        "sv": "Ditt konto har spärrats av en administratör, så det går inte att logga in med "
        "det. Kontakta en administratör om du behöver komma åt redaktionens sidor igen.",
        "en": "Your account has been disabled by an administrator, so you cannot log in with "
        "it. Contact an administrator if you need access to the editors' pages again.",
    },
    "account_disabled_form": {
        "sv": "Formuläret du skickade sparades inte.",
        "en": "The form you sent was not saved.",
    },
}

# Parties of a coalition, tracker settings (issue 12, items 4 and 5).
PARTIES_AND_SETTINGS: _S = {
    "by_party": {"sv": "Per parti", "en": "By party"},
    "party": {"sv": "Parti", "en": "Party"},
    "all_parties": {"sv": "Alla partier", "en": "All parties"},
    "no_party": {"sv": "Utan parti", "en": "No party"},
    "party_pledges": {"sv": "Löften från {party}", "en": "Pledges of {party}"},
    "area_pledges": {"sv": "Löften inom {area}", "en": "Pledges in {area}"},  # its feed's link
    "party_table_caption": {
        "sv": "Antal löften per parti och status",
        "en": "Number of pledges by party and status",
    },
    "party_areas_caption": {
        "sv": "Partiets löften per politikområde och status",
        "en": "The party's pledges by policy area and status",
    },
    "party_share": {"sv": "Andel helt eller delvis uppfyllda", "en": "Share kept or partly kept"},
    "archived_note": {
        "sv": "Arkiverad: den här mätaren följs inte längre upp.",
        "en": "Archived: this tracker is no longer followed up.",
    },
    "tracker_settings": {"sv": "Inställningar för mätaren", "en": "Tracker settings"},
    "tracker_name": {"sv": "Namn", "en": "Name"},
    "actors_help": {
        "sv": "Ett parti per rad (eller avskilda med komma).",
        "en": "One party per line (or separated by commas).",
    },
    "term_start": {"sv": "Mandatperioden börjar", "en": "Term starts"},
    "term_end": {"sv": "Mandatperioden slutar", "en": "Term ends"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    "methodology": {"sv": "Metod", "en": "Methodology"},
    "methodology_help": {
        "sv": "Tomt: standardtexten om statusar och beläggkravet.",
        "en": "Empty: the default text on statuses and the evidence rule.",
    },
    "show_candidates_label": {
        "sv": "Visa även ogranskade kandidater publikt (tydligt märkta)",
        "en": "Also show unreviewed candidates publicly (clearly marked)",
    },
    "archive_heading": {"sv": "Arkivera", "en": "Archive"},
    "archive_help": {
        "sv": "En arkiverad mätare syns inte på startsidan, men dess sidor finns kvar.",
        "en": "An archived tracker is not on the home page, but its pages remain.",
    },
    "archive_button": {"sv": "Arkivera mätaren", "en": "Archive the tracker"},
    "unarchive_button": {"sv": "Ta tillbaka från arkivet", "en": "Bring back from the archive"},
    "delete_heading": {"sv": "Radera", "en": "Delete"},
    "delete_help": {
        "sv": "Raderar mätaren med alla dokument, löften, belägg och bedömningar. "
        "Granskningsloggen behålls. En publik mätare måste arkiveras först. "
        "Skriv mätarens kortnamn ({slug}) för att bekräfta.",
        "en": "Deletes the tracker with all documents, pledges, evidence and verdicts. "
        "The audit log is kept. A public tracker must be archived first. "
        "Type the tracker's short name ({slug}) to confirm.",
    },
    "delete_confirm_label": {"sv": "Mätarens kortnamn", "en": "The tracker's short name"},
    "delete_button": {"sv": "Radera mätaren", "en": "Delete the tracker"},
    "flash_tracker_saved": {"sv": "Mätaren {slug} är sparad.", "en": "Tracker {slug} saved."},
    "flash_tracker_archived": {
        "sv": "Mätaren {slug} är arkiverad.",
        "en": "Tracker {slug} archived.",
    },
    "flash_tracker_archived_paused": {
        "sv": "Mätaren {slug} är arkiverad. Dess bevakade källor är pausade: {names}.",
        "en": "Tracker {slug} archived. Its watched sources are paused: {names}.",
    },
    "flash_tracker_unarchived_paused": {
        "sv": "Mätaren {slug} är tillbaka från arkivet. Källorna som arkiveringen pausade är "
        "fortfarande pausade: {names}. Återuppta dem under Bevakade källor.",
        "en": "Tracker {slug} is back from the archive. The sources archiving paused are still "
        "paused: {names}. Resume them under Watched sources.",
    },
    "flash_tracker_unarchived": {
        "sv": "Mätaren {slug} är tillbaka från arkivet.",
        "en": "Tracker {slug} is back from the archive.",
    },
    "flash_tracker_deleted": {"sv": "Mätaren {slug} är raderad.", "en": "Tracker {slug} deleted."},
    "archived": {"sv": "arkiverad", "en": "archived"},
    "archived_trackers": {"sv": "Arkiverade mätare", "en": "Archived trackers"},
}

ATTACH: _S = {  # attaching evidence the linker missed (web/editor_evidence.py)
    "attach_heading": {"sv": "Lägg till belägg", "en": "Add evidence"},
    "attach_search_label": {
        "sv": "Sök bland mätarens dokument",
        "en": "Search the tracker's documents",
    },
    "attach_search_help": {
        "sv": "Dokumenten rangordnas efter hur väl de passar löftet, även de under gränsen "
        "för förslag (märkta ”möjlig”); de 20 bästa visas. Med tomt fält rangordnas de dokument "
        "som delar flest ord med löftet; sök på ord för att hitta dokument som säger samma sak "
        "med andra ord.",
        "en": "Documents are ranked by how well they match the pledge, also those under the "
        "threshold for suggestions (marked “possible”); the best 20 are shown. With the field "
        "empty, the documents sharing most words with the pledge are ranked; search for words "
        "to find documents that say the same thing in other words.",
    },
    "attach_search_button": {"sv": "Sök dokument", "en": "Search documents"},
    "attach_search_title": {
        "sv": "Sök belägg för löfte {id}",
        "en": "Find evidence for pledge {id}",
    },
    "attach_results": {"sv": "Dokument rangordnade för löftet", "en": "Documents ranked"},
    "attach_no_results": {"sv": "Inga dokument hittades.", "en": "No documents found."},
    "attach_possible": {"sv": "möjlig", "en": "possible"},
    "attach_suggestion": {"sv": "förslag", "en": "suggestion"},
    "attach_outside": {
        "sv": "utanför perioden (före programmet eller mandatperioden)",
        "en": "outside the period (before the program or the term)",
    },
    "attach_button": {"sv": "Lägg till som belägg", "en": "Add as evidence"},
    "attach_already": {"sv": "Redan belägg", "en": "Already evidence"},
    "attach_url_label": {
        "sv": "Adress (URL) till en artikel eller ett beslut",
        "en": "Address (URL) of an article or decision",
    },
    "attach_url_button": {"sv": "Hämta och lägg till", "en": "Fetch and add"},
    "attach_file_label": {"sv": "Fil (PDF, HTML eller text)", "en": "File (PDF, HTML or text)"},
    "attach_file_button": {"sv": "Ladda upp och lägg till", "en": "Upload and add"},
    "attach_stored_help": {
        "sv": "Sidan eller filen sparas som ett dokument i mätaren och läggs till som "
        "godtaget belägg.",
        "en": "The page or file is stored as a document of the tracker and added as "
        "accepted evidence.",
    },
    "attach_done": {
        "sv": "Belägg {id} (dokument {document}) lades till och godtogs.",
        "en": "Evidence {id} (document {document}) was added and accepted.",
    },
    "attach_done_outside": {
        "sv": "Belägg {id} (dokument {document}) lades till och godtogs. Obs: dokumentet är "
        "daterat före programmet eller utanför mandatperioden.",
        "en": "Evidence {id} (document {document}) was added and accepted. Note: the document "
        "is dated before the program or outside the term.",
    },
    "attach_error": {"sv": "Kunde inte lägga till:", "en": "Could not add:"},
    "attach_document_link": {"sv": "Dokumentet", "en": "The document"},
    "candidates_title": {"sv": "Löften för dokument {id}", "en": "Pledges for document {id}"},
    "candidates_help": {
        "sv": "Dokumentets bäst matchande löften, oavsett poäng (högst tio).",
        "en": "The document's best-matching pledges, whatever their score (ten at most).",
    },
    "candidates_none": {"sv": "Inga löften att matcha.", "en": "No pledges to match."},
    "candidates_link": {
        "sv": "Alla kandidatlöften för dokumentet",
        "en": "All candidate pledges for the document",
    },
    # the optional reason and passage of an attach form (review/evidence.py)
    "attach_choice": {
        "sv": "Skäl och citerat stycke (valfritt)",
        "en": "Reason and quoted passage (optional)",
    },
    "attach_reason_label": {"sv": "Skäl (valfritt)", "en": "Reason (optional)"},
    "attach_passage_label": {
        "sv": "Stycke att citera (valfritt)",
        "en": "Passage to quote (optional)",
    },
    "attach_passage_help": {
        "sv": "Kopiera orden ur dokumentets text. Tomt: länkarens bästa stycke används.",
        "en": "Copy the words from the document's text. Empty: the linker's best passage is used.",
    },
    "passage_editor": {"sv": "valt av redaktören", "en": "chosen by the editor"},
    # an attach that another editor's came before (409): the typed text, to copy
    "attach_typed_kept": {
        "sv": "Det du skrev (inte sparat):",
        "en": "What you typed (not saved):",
    },
    # the 401 page's label of an attach form's reason (auth.TYPED_FIELDS)
    "attach_reason": {"sv": "Skäl att bifoga", "en": "Reason to attach"},
    # where attached evidence came from, in a pledge's history (`attached`)
    "attached_from_document": {"sv": "lagrat dokument", "en": "stored document"},
    "attached_from_url": {"sv": "adress", "en": "address"},
    "attached_from_upload": {"sv": "uppladdad fil", "en": "uploaded file"},
    # the editors' page of a document (editor/document.html): its text, also on a draft
    "document_text": {"sv": "Dokumentets text", "en": "The document's text"},
    # an evidence decision another editor's came before (409): the way on, not "reload"
    "decided_see_pledge": {
        "sv": "Till löfte {id}, som det ser ut nu",
        "en": "To pledge {id} as it is now",
    },
    "draft_no_public_page": {
        "sv": "ingen publik sida: mätaren är ett utkast",
        "en": "no public page: the tracker is a draft",
    },
    "pledge_not_public": {
        "sv": "ingen publik sida: löftet visas inte för allmänheten",
        "en": "no public page: the pledge is not shown to the public",
    },
}

# The review queue at scale, public pages people expect and their code values (issue 12).
SCALE: _S = {
    "queue_filters": {"sv": "Urval av förslag", "en": "Filter suggestions"},
    "queue_state": {"sv": "Läge", "en": "State"},
    "review_state_suggested": {"sv": "Att granska", "en": "To review"},
    "review_state_accepted": {"sv": "Godtagna", "en": "Accepted"},
    "review_state_rejected": {"sv": "Avvisade", "en": "Rejected"},
    "review_state_all": {"sv": "Alla", "en": "All"},
    # one piece of evidence's state, as a message names it ("already accepted")
    "evidence_state_suggested": {"sv": "föreslaget", "en": "suggested"},
    "evidence_state_accepted": {"sv": "godtaget", "en": "accepted"},
    "evidence_state_rejected": {"sv": "avvisat", "en": "rejected"},
    "document": {"sv": "Dokument", "en": "Document"},
    "score_band": {"sv": "Poäng", "en": "Score"},
    "band_high": {"sv": "Hög (minst 0,75)", "en": "High (0.75 or more)"},
    "band_medium": {"sv": "Mellan (0,60–0,75)", "en": "Medium (0.60–0.75)"},
    "band_low": {"sv": "Låg (under 0,60)", "en": "Low (below 0.60)"},
    "queue_sort_score": {"sv": "Högst poäng först", "en": "Highest score first"},
    "queue_sort_date": {"sv": "Nyaste dokument först", "en": "Newest document first"},
    "queue_sort_pledge": {"sv": "Efter löfte", "en": "By pledge"},
    "bulk_legend": {"sv": "Markerade förslag", "en": "Ticked suggestions"},
    "bulk_accept": {"sv": "Godta markerade", "en": "Accept ticked"},
    "bulk_reject": {"sv": "Avvisa markerade", "en": "Reject ticked"},
    "pick_suggestion": {"sv": "Markera förslag {id}", "en": "Tick suggestion {id}"},
    "bulk_partly": {
        "sv": "{n} förslag avgjordes. Några hann någon annan avgöra före dig:",
        "en": "{n} suggestions were decided. Someone else decided some of them first:",
    },
    "flash_bulk_accept": {"sv": "{n} förslag godtagna.", "en": "{n} suggestions accepted."},
    "flash_bulk_accept_one": {"sv": "{n} förslag godtaget.", "en": "{n} suggestion accepted."},
    "flash_bulk_reject": {"sv": "{n} förslag avvisade.", "en": "{n} suggestions rejected."},
    "flash_bulk_reject_one": {"sv": "{n} förslag avvisat.", "en": "{n} suggestion rejected."},
    "flash_bulk_enter": {
        "sv": "Inget avgjordes: välj Godta markerade eller Avvisa markerade.",
        "en": "Nothing was decided: choose Accept ticked or Reject ticked.",
    },
    "flash_bulk_none": {
        "sv": "Inga förslag valda: markera de förslag du vill godta eller avvisa.",
        "en": "No suggestions selected: tick the ones you want to accept or reject.",
    },
    "share_links": {"sv": "Dela", "en": "Share"},
    "share_email": {"sv": "E-post", "en": "Email"},
    "og_description": {
        "sv": "Löfte följer upp vad partierna lovade och vad som hände sedan, med källor.",
        "en": "Löfte follows up what the parties promised and what happened next, with sources.",
    },
    "last_updated": {"sv": "Senast uppdaterad", "en": "Last updated"},
    "method_intro": {
        "sv": "Mätaren följer upp vad partierna lovade i sina program. Varje löfte citeras "
        "ordagrant ur programmet. En redaktör har granskat löftena och bedömer vart och ett "
        "med stöd av källor: nyheter, beslut och budgetar.",
        "en": "The meter follows up what the parties promised in their programmes. Each pledge "
        "is quoted word for word from the programme. An editor has reviewed the pledges and "
        "rates each of them on the strength of sources: news, decisions and budgets.",
    },
    "method_statuses": {"sv": "Vad statusarna betyder", "en": "What the statuses mean"},
    # a source withdrawn before that was refused (older stores): named, not a dead link
    "evidence_withdrawn": {"sv": "tillbakadraget", "en": "withdrawn"},
    # a later published verdict about the same moment (store/verdicts.corrections)
    "verdict_corrects": {
        "sv": "Rättelse: ersätter en tidigare bedömning av samma tidpunkt.",
        "en": "Correction: replaces an earlier verdict about the same moment.",
    },
    "see_corrected": {"sv": "Se den rättade bedömningen", "en": "See the corrected verdict"},
    "verdict_corrected": {
        "sv": "Rättad: en senare bedömning av samma tidpunkt ersätter den här.",
        "en": "Corrected: a later verdict about the same moment replaces this one.",
    },
    "see_correction": {"sv": "Se rättelsen", "en": "See the correction"},
    "verdict_corrected_short": {"sv": "rättad av", "en": "corrected by"},
    "feed_correction": {"sv": "Rättelse", "en": "Correction"},
    "source_of_published_verdict": {
        "sv": "Källa till en publicerad bedömning: den står kvar i bedömningens historik. En ny "
        "bedömning kan säga att belägget inte höll.",
        "en": "A source of a published verdict: it stays in the verdict's history. A new verdict "
        "can say the evidence did not hold.",
    },
    # from a pledge's status to the scale and how verdicts are made (QA, a party's press officer)
    "how_rated": {"sv": "Så bedömer vi", "en": "How we rate"},
    # what editors changed of a pledge since it became public (pages._public_changes)
    "pledge_changes": {"sv": "Ändringar sedan publiceringen", "en": "Changes since publication"},
    "change_field_quote": {"sv": "Citatet ändrades", "en": "The quote was changed"},
    "change_quote_before": {"sv": "Tidigare:", "en": "Before:"},
    "change_before_unknown": {
        "sv": "tidigare lydelse inte sparad",
        "en": "earlier wording not kept",
    },
    "change_field_area": {"sv": "Område", "en": "Area"},
    "change_field_party": {"sv": "Parti", "en": "Party"},
    "change_field_topic": {"sv": "Ämne", "en": "Topic"},
    "change_field_deadline": {"sv": "Tidsfrist", "en": "Deadline"},
    "method_own": {"sv": "Redaktionens egen beskrivning", "en": "The newsroom's own description"},
    "method_status_kept": {
        "sv": "Löftet är genomfört som det var formulerat.",
        "en": "The pledge has been carried out as it was worded.",
    },
    "method_status_partially_kept": {
        "sv": "En del av löftet är genomfört, eller det är genomfört i mindre omfattning.",
        "en": "Part of the pledge has been carried out, or it has been carried out on a "
        "smaller scale.",
    },
    "method_status_broken": {
        "sv": "Löftet har övergetts, eller det som beslutats går emot det.",
        "en": "The pledge has been dropped, or what was decided goes against it.",
    },
    "method_status_in_the_works": {
        "sv": "Arbete pågår: ett beslut, en utredning eller pengar i budgeten finns.",
        "en": "Work is under way: there is a decision, an inquiry or money in the budget.",
    },
    "method_status_stalled": {
        "sv": "Arbetet har stannat av eller skjutits upp utan nytt datum.",
        "en": "Work has stopped or been postponed without a new date.",
    },
    "method_status_not_rated": {
        "sv": "Löftet har inte bedömts ännu.",
        "en": "The pledge has not been rated yet.",
    },
    "method_status_not_checkable": {
        "sv": "Löftet är för vagt för att kunna prövas mot källor.",
        "en": "The pledge is too vague to be checked against sources.",
    },
    "method_evidence": {"sv": "Belägg", "en": "Evidence"},
    "and": {"sv": "och", "en": "and"},
    "method_evidence_rule": {
        "sv": "Statusarna {statuses} kräver minst ett belägg: en källa som en redaktör har "
        "läst och godtagit. Varje bedömning har en motivering och visas med sina källor.",
        "en": "The statuses {statuses} need at least one piece of evidence: a source an editor "
        "has read and accepted. Each verdict has a rationale and is shown with its sources.",
    },
    "method_review": {"sv": "Granskning", "en": "Review"},
    "method_review_candidates": {
        "sv": "Den här mätaren visar också löften som ingen redaktör har granskat ännu. De är "
        "märkta ”ej granskat” och räknas i mätaren, som säger hur många de är, tills en "
        "redaktör har bekräftat eller avvisat dem. Bedömningar publiceras bara för bekräftade "
        "löften; belägg visas bara när en redaktör har godtagit dem, också för ett löfte som "
        "inte är granskat.",
        "en": "This tracker also shows pledges no editor has reviewed yet. They are marked "
        "“not reviewed” and counted in the meter, which says how many they are, until an "
        "editor has confirmed or rejected them. Verdicts are published for confirmed pledges "
        "only; evidence is shown only once an editor has accepted it, also for a pledge not "
        "yet reviewed.",
    },
    "method_corrections": {"sv": "Rättelser", "en": "Corrections"},
    "method_corrections_text": {
        "sv": "När en bedömning visar sig fel rättas den med en ny bedömning av samma "
        "tidpunkt. Båda står kvar på löftets sida, märkta som rättelse och rättad.",
        "en": "When a verdict proves wrong it is corrected by a new verdict about the same "
        "moment. Both stay on the pledge's page, marked as the correction and the corrected.",
    },
    "method_no_corrections": {
        "sv": "Ingen bedömning har rättats.",
        "en": "No verdict has been corrected.",
    },
    "method_corrections_more": {
        "sv": "De {shown} senaste av {total} rättelser.",
        "en": "The newest {shown} of {total} corrections.",
    },
    "method_removed": {"sv": "Borttagna löften", "en": "Removed pledges"},
    "method_removed_text": {
        "sv": "Ett löfte som redaktionen tar bort räknas inte längre i mätaren, men dess sida "
        "finns kvar och säger när det togs bort.",
        "en": "A pledge the editors remove no longer counts in the meter, but its page stays "
        "and says when it was removed.",
    },
    "method_removed_status": {"sv": "hade bedömningen", "en": "rated"},
    "method_no_removed": {
        "sv": "Inget publicerat löfte har tagits bort.",
        "en": "No published pledge has been removed.",
    },
    "method_removed_more": {
        "sv": "De {shown} senaste av {total} borttagna löften.",
        "en": "The newest {shown} of {total} removed pledges.",
    },
    "method_review_text": {
        "sv": "Förslag på löften och belägg tas fram automatiskt, men inget av dem räknas "
        "förrän en redaktör har godtagit det. Varje ändring loggas med vem som gjorde den och "
        "när. Allt som är publicerat (löften, bedömningar, belägg och dokument) kan hämtas som "
        "öppna data genom JSON-API:t under /api/v1/.",
        "en": "Pledges and evidence are suggested automatically, but none of them counts until "
        "an editor has accepted it. Every change is logged with who made it and when. "
        "Everything published (pledges, verdicts, evidence and documents) can be fetched as "
        "open data through the JSON API under /api/v1/.",
    },
}
# The audit log's records in words (web/templating.py `details`): what kind of record an event
# is about, and the fields whose stored codes have wordings, by the wordings' prefix.
AUDIT: _S = {
    "entity_pledge": {"sv": "löfte", "en": "pledge"},
    "entity_evidence": {"sv": "belägg", "en": "evidence"},
    "entity_document": {"sv": "dokument", "en": "document"},
    "entity_tracker": {"sv": "mätare", "en": "tracker"},
    "entity_user": {"sv": "användare", "en": "user"},
    "entity_source": {"sv": "källa", "en": "source"},
    "entity_database": {"sv": "databas", "en": "database"},
    "action_database.restore": {"sv": "databas återställd", "en": "database restored"},
    "action_database.copy": {
        "sv": "databasen kopierad hit från en annan",
        "en": "database copied here from another",
    },
    "entity_audit_log": {"sv": "granskningslogg", "en": "audit log"},
    "action_audit.guards_restored": {
        "sv": "loggens skydd mot ändringar återskapat",
        "en": "audit log's guards against changes made again",
    },
}
# An audit detail's field (None: a change's before → after pair) to the key prefixes of its
# values' words: a verdict's "status_kept", a pledge's "state_candidate", evidence's
# "review_accepted" (a decision's lone "before"), an account's "role_editor".
# An audit event's detail fields as the history table names them (QA: `document_id: 9`,
# `before: föreslaget` on a Swedish page); a field not here is shown by its code.
DETAIL_KEYS: dict[str, tuple[str, str]] = {
    "before": ("före", "before"),
    "after": ("efter", "after"),
    "document_id": ("dokument", "document"),
    "pledge_id": ("löfte", "pledge"),
    "evidence_ids": ("belägg", "evidence"),
    "evidence_id": ("belägg", "evidence"),
    "verdict_id": ("bedömning", "verdict"),
    "as_of": ("gäller per", "as of"),
    "topic": ("ämne", "topic"),
    "area": ("område", "area"),
    "party": ("parti", "party"),
    "quote": ("citat", "quote"),
    "start": ("början", "start"),
    "end": ("slut", "end"),
    "reason": ("skäl", "reason"),
    "rationale": ("motivering", "rationale"),
    "draft": ("utkast", "draft"),
    "status": ("status", "status"),
    "state": ("läge", "state"),
    "deadline": ("tidsfrist", "deadline"),
    "attached": ("tillagt", "attached"),
    "merged": ("sammanslagna", "merged"),
    "merged_into": ("sammanslaget i", "merged into"),
    "parts": ("delar", "parts"),
    "title": ("rubrik", "title"),
    "kind": ("slag", "kind"),
    "date": ("datum", "date"),
    "role": ("roll", "role"),
    "published": ("publicerad", "published"),
    "passage": ("stycke", "passage"),
}

# The records `records.detail_lines` spreads a field a line ("attached.url", "attributes.type",
# QA: "tillagt: from document", "attributes: checkable ja, method cue" on a Swedish page): a
# pledge's attributes named as its page names them, and how evidence was attached.
DETAIL_KEYS |= {
    "attributes": ("egenskaper", "attributes"),
    "span": ("tecken", "characters"),
    "group": ("grupp", "group"),
    "children": ("delar", "parts"),
    "cuts": ("delat vid", "cut at"),
    "suggestions_moved": ("förslag flyttade", "suggestions moved"),
    # a deletion's counts and a replaced text's (`document.update`), a line each (review:
    # "antal: pledges 3, decided_evidence 1, …" on the pledge's page)
    "length": ("längd i tecken", "length in characters"),
    **{
        f"counts.{key}": words
        for key, words in {
            "pledges": ("löften", "pledges"),
            "verdicts": ("bedömningar", "verdicts"),
            "evidence": ("belägg", "evidence"),
            "documents": ("dokument", "documents"),
            "sources": ("källor", "sources"),
            "decided_evidence": ("belägg med beslut", "evidence decided"),
            "pledges_moved": ("löften flyttade", "pledges moved"),
            "candidates_dropped": ("kandidater borttagna", "candidates dropped"),
            "quotes_lost": ("citat som inte längre finns i texten", "quotes lost"),
        }.items()
    },
    "attached.url": ("adress", "address"),
    "attached.filename": ("filnamn", "file name"),
    "attached.fetched_at": ("hämtat", "fetched"),
    "attached.stored": ("redan lagrat", "stored already"),
    **{
        f"attributes.{key.removeprefix('attr_')}": (
            text["sv"][:1].lower() + text["sv"][1:],
            text["en"][:1].lower() + text["en"][1:],
        )
        for key, text in PLEDGES.items()
        if key.startswith("attr_")
    },
}

# The rest of the events' fields and the fields of the records an admin's log shows (a
# pledge's, a verdict's, a piece of evidence's and a source's state, a deletion's counts), so
# that no field reads as its code on either language's page (QA: "published_at", "slug",
# "show_candidates", "verdict: author_id …" on a Swedish page). What is stored is unchanged.
DETAIL_KEYS |= {
    "pledges": ("löften", "pledges"),
    "verdict": ("bedömning", "verdict"),
    "verdicts": ("bedömningar", "verdicts"),
    "evidence": ("belägg", "evidence"),
    "documents": ("dokument", "documents"),
    "source": ("källa", "source"),
    "tracker": ("mätare", "tracker"),
    "origin": ("ursprung", "origin"),
    "item_key": ("post i källan", "item in the source"),
    "content_hash": ("innehållets kontrollsumma", "content hash"),
    "copies": ("kopior", "copies"),
    "slug": ("kortnamn", "short name"),
    "name": ("namn", "name"),
    "username": ("användarnamn", "username"),
    "published_at": ("publicerad den", "published on"),
    "id": ("nummer", "number"),
    "version": ("version", "version"),
    "quote_sha256": ("citatets kontrollsumma", "checksum of the quote"),
    "author": ("skribent", "author"),
    "author_id": ("skribentens kontonummer", "author's account number"),
    "created_at": ("skapad", "created"),
    "review_state": ("beslut", "decision"),
    "changed": ("ändrade fält", "fields changed"),
    "counts": ("antal", "counts"),
    "extractor": ("utdragsverktyg", "extractor"),
    "inserted": ("tillagda", "added"),
    "removed": ("borttagna", "removed"),
    "removed_pledges": ("borttagna löften", "pledges removed"),
    "removed_verdicts": ("borttagna bedömningar", "verdicts removed"),
    "removed_evidence": ("borttagna belägg", "evidence removed"),
    "removed_documents": ("borttagna dokument", "documents removed"),
    "backup": ("säkerhetskopia", "backup"),
    "revision": ("databasens schemaversion", "schema revision"),
    "lock_failures": ("misslyckade inloggningar", "failed logins"),
    "lock_addresses": ("spärrade adresser", "addresses locked"),
    "jurisdiction": ("jurisdiktion", "jurisdiction"),
    "description": ("beskrivning", "description"),
    "methodology": ("metod", "methodology"),
    "actors": ("partier", "parties"),
    "term_start": ("mandatperiodens början", "term start"),
    "term_end": ("mandatperiodens slut", "term end"),
    "show_candidates": ("visa kandidater", "show candidates"),
    "url": ("adress", "URL"),
    "shape": ("form", "shape"),
    "every_seconds": ("hämtas var (sekunder)", "checked every (seconds)"),
    "publisher": ("utgivare", "publisher"),
    "guards": ("skydd (databasens triggrar)", "guards (database triggers)"),
    # why a source was paused: its tracker was archived (review: a code on a Swedish page)
    "because": ("orsak", "because"),
}

DETAIL_WORDINGS: dict[str | None, tuple[str, ...]] = {
    "status": ("status_",),
    "state": ("state_",),
    "review_state": ("review_",),
    "before": ("review_",),
    "role": ("role_",),
    None: ("state_", "role_"),
    "passage": ("passage_",),
    "attached": ("attached_from_",),
    "attributes.type": ("attrval_type_",),
    "attributes.method": ("attrval_method_",),
    "attributes.precision": ("pledge_precision_",),
    "kind": ("kind_",),  # a document's kind (a source's has no words: as stored)
    "shape": ("shape_",),  # a watched source's
    "because": ("action_",),  # an action's name ("tracker.archive": "mätare arkiverad")
}
STRINGS: _S = {
    **GENERAL,
    **AUDIT,
    **TRACKERS,
    **WIDGET,
    **PLEDGES,
    **EDITORS,
    **PARTIES_AND_SETTINGS,
    **ATTACH,
    **SCALE,
    **i18n_sources.STRINGS,
    **i18n_archive.STRINGS,
    **i18n_notify.STRINGS,
    **i18n_term.STRINGS,
    **i18n_report.STRINGS,
}


COUNTS = frozenset({"n", "total", "more", "pages", "page", "kept", "partially", "broken"})


def format_text(key: str, lang: str, **values: object) -> str:
    """`key`'s text in `lang` with `values` filled in. A count of exactly 1 takes the key's
    `_one` form when it has one ("1 löfte", not "1 löften")."""
    if any(type(v) is int and v == 1 for v in values.values()) and f"{key}_one" in STRINGS:
        key = f"{key}_one"
    text = translate(key, lang)
    if not values:
        return text
    # counts read grouped ("4,332 suggestions"); ids and other numbers are left as they are
    shown = {k: grouped(v, lang) if k in COUNTS else v for k, v in values.items()}
    if any(isinstance(v, Markup) for v in shown.values()):
        # a value marked up (a Swedish name in its `lang` span): the text is escaped and so is
        # every other value, as Jinja would
        return escape(text).format(**shown)
    return text.format(**shown)


def translate(key: str, lang: str) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["sv"]
