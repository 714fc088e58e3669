"""UI strings of issue 15's archive pages (merged into i18n.STRINGS)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "archived_copy": {"sv": "Arkiverad kopia", "en": "Archived copy"},
    # the link beside a source: "arkiverad kopia 5 mars 2024"
    "archived_copy_link": {"sv": "arkiverad kopia", "en": "archived copy"},
    "archive_intro": {
        "sv": "Så här såg sidan ut när Löfte hämtade den. Texten visas utan sidans egen "
        "formgivning och skript; hela svaret finns i WARC-filen.",
        "en": "This is the page as Löfte fetched it. The text is shown without the page's own "
        "layout and scripts; the whole response is in the WARC file.",
    },
    "archive_url": {"sv": "Adress", "en": "Address"},
    "archive_fetched_at": {"sv": "Hämtad (UTC)", "en": "Fetched (UTC)"},
    "archive_status": {"sv": "HTTP-status", "en": "HTTP status"},
    "archive_media_type": {"sv": "Medietyp", "en": "Media type"},
    "archive_sha256": {"sv": "SHA-256 (innehållet)", "en": "SHA-256 (payload)"},
    "archive_size": {"sv": "Storlek", "en": "Size"},
    "archive_bytes": {"sv": "{n} byte", "en": "{n} bytes"},
    "archive_headers": {"sv": "Svarshuvuden", "en": "Response headers"},
    "archive_text": {"sv": "Sidans text", "en": "The page's text"},
    "archive_no_text": {
        "sv": "Innehållet är inte text (till exempel en PDF): ladda ned WARC-filen.",
        "en": "The content is not text (a PDF, for instance): download the WARC file.",
    },
    "archive_text_cut": {
        "sv": "Texten är avkortad här; WARC-filen har allt.",
        "en": "The text is cut short here; the WARC file has all of it.",
    },
    "archive_download": {
        "sv": "Ladda ned arkivposten (WARC)",
        "en": "Download the archive record (WARC)",
    },
    "archive_documents": {
        "sv": "Dokument lästa från kopian",
        "en": "Documents read from this copy",
    },
    "archive_is_feed": {
        "sv": "Kopian är flödet (RSS/Atom) som dokumenten nedan lästes ur: den visar vad flödet "
        "sa om dem när det hämtades, inte artiklarna det länkar till.",
        "en": "This copy is the feed (RSS/Atom) the documents below were read from: it shows what "
        "the feed said of them when it was fetched, not the articles it links to.",
    },
}
