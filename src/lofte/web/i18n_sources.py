"""UI strings of issue 15's sources pages (merged into i18n.STRINGS)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "watched_sources": {"sv": "Bevakade källor", "en": "Watched sources"},
    "watched_sources_help": {
        "sv": "Källorna hämtas av kommandot lofte update när de står på tur; varje körning visas "
        "nedan.",
        "en": "The sources are fetched by the command lofte update when due; every run is shown "
        "below.",
    },
    "no_watched_sources": {
        "sv": "Mätaren bevakar inga källor. Lägg till en med kommandot lofte source add.",
        "en": "The tracker watches no sources. Add one with the command lofte source add.",
    },
    "source_url": {"sv": "Adress", "en": "URL"},
    "source_shape": {"sv": "Form", "en": "Shape"},
    "shape_auto": {"sv": "känns igen automatiskt", "en": "detected automatically"},
    "shape_feed": {"sv": "flöde (RSS/Atom)", "en": "feed (RSS/Atom)"},
    "shape_listing": {"sv": "nyhetslista", "en": "news listing"},
    "shape_sitemap": {"sv": "webbplatskarta", "en": "sitemap"},
    "source_publisher": {"sv": "Utgivare", "en": "Publisher"},
    "source_every": {"sv": "Hämtas var", "en": "Checked every"},
    "source_failures": {"sv": "Misslyckanden i rad", "en": "Failures in a row"},
    "source_next_due": {"sv": "Nästa hämtning", "en": "Next check"},
    "source_due_now": {"sv": "nu", "en": "now"},
    "source_paused": {"sv": "pausad", "en": "paused"},
    "source_pause": {"sv": "Pausa", "en": "Pause"},
    "source_resume": {"sv": "Återuppta", "en": "Resume"},
    "source_runs": {"sv": "Senaste körningar", "en": "Recent runs"},
    "source_never_run": {"sv": "Ännu inte hämtad.", "en": "Not fetched yet."},
    "run_status": {"sv": "Utfall", "en": "Outcome"},
    # what a run counts: requests made, documents stored, items already stored, items failed
    "run_fetched": {"sv": "Hämtade sidor", "en": "Pages fetched"},
    "run_new": {"sv": "Nya dokument", "en": "New documents"},
    "run_unchanged": {"sv": "Redan lagrade", "en": "Already stored"},
    "run_failed": {"sv": "Misslyckade poster", "en": "Failed items"},
    "run_error": {"sv": "Fel", "en": "Error"},
    "runstatus_ok": {"sv": "klar", "en": "done"},
    "runstatus_not_modified": {"sv": "oförändrad", "en": "not modified"},
    "runstatus_failed": {"sv": "misslyckad", "en": "failed"},
    "runstatus_running": {"sv": "pågår", "en": "running"},
    "flash_source_paused": {"sv": "Källan {name} är pausad.", "en": "Source {name} is paused."},
    "flash_source_resumed": {
        "sv": "Källan {name} hämtas igen.",
        "en": "Source {name} is checked again.",
    },
    "action_source.add": {"sv": "källa tillagd", "en": "source added"},
    "action_source.edit": {"sv": "källa ändrad", "en": "source edited"},
    "action_source.pause": {"sv": "källa pausad", "en": "source paused"},
    "action_source.resume": {"sv": "källa återupptagen", "en": "source resumed"},
    "action_source.remove": {"sv": "källa borttagen", "en": "source removed"},
    "action_source.release": {"sv": "källa frigjord", "en": "source released"},
}
