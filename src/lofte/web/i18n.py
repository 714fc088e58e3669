"""UI strings: Swedish first, English second. Templates call `t(key)`."""

from __future__ import annotations

LANGUAGES = ("sv", "en")

STRINGS: dict[str, dict[str, str]] = {
    "site_title": {"sv": "Löfte – vallöftesmätaren", "en": "Löfte – the pledge tracker"},
    "trackers": {"sv": "Mätare", "en": "Trackers"},
    "no_trackers": {"sv": "Inga mätare ännu. Kör `lofte init` och `lofte ingest`.", "en": "No trackers yet. Run `lofte init` and `lofte ingest`."},
    "documents": {"sv": "Dokument", "en": "Documents"},
    "no_documents": {"sv": "Inga dokument ännu.", "en": "No documents yet."},
    "jurisdiction": {"sv": "Område", "en": "Jurisdiction"},
    "actors": {"sv": "Aktörer", "en": "Actors"},
    "term": {"sv": "Mandatperiod", "en": "Term"},
    "title": {"sv": "Rubrik", "en": "Title"},
    "kind": {"sv": "Typ", "en": "Kind"},
    "date": {"sv": "Datum", "en": "Date"},
    "source": {"sv": "Källa", "en": "Source"},
    "back": {"sv": "Tillbaka", "en": "Back"},
    "language_switch": {"sv": "In English", "en": "På svenska"},
    "main_nav": {"sv": "Huvudmeny", "en": "Main navigation"},
    "not_found": {"sv": "Sidan finns inte.", "en": "Page not found."},
    "kind_program": {"sv": "program", "en": "program"},
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
    "cut_off": {"sv": "texten är avkortad i källan", "en": "the text is cut off in the source"},
}


def translate(key: str, lang: str) -> str:
    entry = STRINGS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["sv"]
