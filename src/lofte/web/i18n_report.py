"""UI strings of issue 15's final account, `lofte report` (merged into i18n.STRINGS)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "report_title": {"sv": "Slutrapport", "en": "Final account"},
    "report_term": {"sv": "Mandatperiod", "en": "Term"},
    "report_term_open": {"sv": "pågår", "en": "ongoing"},
    "report_date": {"sv": "Rapportens datum", "en": "Date of this account"},
    "report_draft": {
        "sv": "Utkast: mätaren är inte publicerad.",
        "en": "Draft: the tracker is not published.",
    },
    "report_contents": {"sv": "Innehåll", "en": "Contents"},
    "report_meter": {"sv": "Löftesmätaren", "en": "The pledge meter"},
    "report_meter_intro": {
        "sv": "{total} löften räknas: de som en redaktör har godkänt (och, om mätaren visar "
        "dem, de ännu inte granskade förslagen). Ett löfte utan publicerad bedömning räknas som "
        "ej bedömt.",
        "en": "{total} pledges are counted: those an editor has confirmed (and, when the "
        "tracker shows them, the suggestions not yet reviewed). A pledge without a published "
        "verdict counts as not rated.",
    },
    "report_status": {"sv": "Status", "en": "Status"},
    "report_count": {"sv": "Antal", "en": "Count"},
    "report_share": {"sv": "Andel", "en": "Share"},
    "report_total": {"sv": "Totalt", "en": "Total"},
    "report_by_party": {"sv": "Per parti", "en": "By party"},
    "report_party": {"sv": "Parti", "en": "Party"},
    "report_party_chart_title": {
        "sv": "Löften per parti och status",
        "en": "Pledges by party and status",
    },
    "report_by_area": {"sv": "Per område", "en": "By policy area"},
    "report_area": {"sv": "Område", "en": "Policy area"},
    "report_timeline": {"sv": "Status under mandatperioden", "en": "Status over the term"},
    "report_timeline_intro": {
        "sv": "Antal löften per status vid varje månadsskifte, enligt de publicerade "
        "bedömningarnas historik (en bedömning räknas från den dag den avser).",
        "en": "Pledges per status at each month end, from the history of published verdicts "
        "(a verdict counts from the day it is about).",
    },
    "report_no_timeline": {
        "sv": "Ingen tidslinje: mandatperioden har inget startdatum och inga bedömningar finns.",
        "en": "No timeline: the term has no start date and there are no verdicts.",
    },
    "report_month_end": {"sv": "Datum", "en": "Date"},
    "report_pledges": {"sv": "Alla löften", "en": "Every pledge"},
    "report_no_pledges": {"sv": "Inga publika löften.", "en": "No public pledges."},
    "report_deadline": {"sv": "Tidsgräns", "en": "Deadline"},
    "report_deadline_editor": {"sv": "satt av redaktör", "en": "set by an editor"},
    "report_deadline_text": {"sv": "enligt löftets text", "en": "from the pledge's text"},
    "report_deadline_term": {
        "sv": "mandatperiodens slut, som löftets text säger",
        "en": "the end of the term, as the pledge's text says",
    },
    "report_verdict": {"sv": "Bedömning", "en": "Verdict"},
    "report_rationale": {"sv": "Motivering", "en": "Rationale"},
    "report_verdict_date": {"sv": "Publicerad", "en": "Published"},
    "report_as_of": {"sv": "Avser", "en": "As of"},
    "report_no_verdict": {
        "sv": "Ingen publicerad bedömning ännu.",
        "en": "No published verdict yet.",
    },
    # an account of a term not over on its day (QA: a "Slutrapport" of a term that runs to 2030)
    "report_interim": {
        "sv": "Mandatperioden var inte slut på rapportens datum: rapporten visar läget då.",
        "en": "The term had not ended on the date of this account: it shows where things stood.",
    },
    # the term is over on the account's day: nothing is still to come (QA: "ännu" read as if
    # the term were running)
    "report_no_verdict_final": {
        "sv": "Ingen publicerad bedömning.",
        "en": "No published verdict.",
    },
    "report_quote_changed": {
        "sv": "Citatets gränser ändrades efter rapportens datum; här visas det nuvarande citatet.",
        "en": "The bounds of the quote were changed after the date of this account; "
        "the current quote is shown.",
    },
    "report_sources": {"sv": "Källor", "en": "Sources"},
    "report_no_sources": {"sv": "Inga källor anförda.", "en": "No sources cited."},
    "report_archived": {"sv": "Arkiverad kopia", "en": "Archived copy"},
    "report_fetched": {"sv": "hämtad", "en": "fetched"},
    "report_unreviewed": {
        "sv": "Ej granskat av en redaktör",
        "en": "Not reviewed by an editor",
    },
    "report_chart_alt": {
        "sv": "Diagram med samma siffror som tabellen.",
        "en": "Chart with the same numbers as the table.",
    },
    "report_footer": {
        "sv": "Framtagen med Löfte den {date}.",
        "en": "Made with Löfte on {date}.",
    },
}
