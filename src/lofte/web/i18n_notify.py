"""UI strings of issue 15's notify pages (merged into i18n.STRINGS)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "notify_title": {"sv": "Aviseringar", "en": "Notifications"},
    "notify_intro": {
        "sv": "Få en sammanfattning av nya förslag på belägg och av löften vars tidsgräns har "
        "passerat utan bedömning, via e-post och/eller webhook. Den skickas bara när det finns "
        "något nytt.",
        "en": "Get a digest of new evidence suggestions and of pledges past their deadline "
        "without a verdict, by e-mail and/or webhook. It is sent only when there is something "
        "new.",
    },
    "notify_queue_link": {"sv": "Till granskningskön", "en": "To the review queue"},
    "notify_channels": {"sv": "Dina kanaler", "en": "Your channels"},
    "notify_on": {
        "sv": "Du får sammanfattningar för den här mätaren.",
        "en": "You get digests for this tracker.",
    },
    "notify_none": {
        "sv": "Du får inga sammanfattningar för den här mätaren.",
        "en": "You get no digests for this tracker.",
    },
    "notify_archived": {
        "sv": "Mätaren är arkiverad: inga sammanfattningar skickas förrän den tas tillbaka från "
        "arkivet.",
        "en": "The tracker is archived: no digests are sent until it is brought back from the "
        "archive.",
    },
    "notify_email": {"sv": "E-postadress", "en": "E-mail address"},
    "notify_email_help": {
        "sv": "Lämna tomt för att inte få e-post.",
        "en": "Leave empty for no e-mail.",
    },
    "notify_webhook_url": {"sv": "Webhook-adress (URL)", "en": "Webhook URL"},
    "notify_webhook_help": {
        "sv": "http(s). Sammanfattningen skickas som JSON, signerad med HMAC-SHA256 i "
        "X-Lofte-Signature. Lämna tomt för ingen webhook.",
        "en": "http(s). The digest is posted as JSON, signed with HMAC-SHA256 in "
        "X-Lofte-Signature. Leave empty for no webhook.",
    },
    "notify_webhook_secret": {"sv": "Webhook-hemlighet", "en": "Webhook secret"},
    "notify_secret_help": {
        "sv": "Minst 16 tecken. Lämna tomt för att behålla den sparade hemligheten.",
        "en": "At least 16 characters. Leave empty to keep the stored secret.",
    },
    "notify_secret_set": {
        "sv": "En hemlighet är sparad (slutar på {hint}).",
        "en": "A secret is stored (ends in {hint}).",
    },
    "notify_turn_off": {"sv": "Stäng av aviseringar", "en": "Turn notifications off"},
    "notify_deliveries": {"sv": "Senaste utskick", "en": "Recent deliveries"},
    "notify_deliveries_caption": {
        "sv": "Dina senaste sammanfattningar för mätaren, nyast först",
        "en": "Your latest digests for the tracker, newest first",
    },
    "notify_no_deliveries": {"sv": "Inga utskick än.", "en": "No deliveries yet."},
    "notify_channel": {"sv": "Kanal", "en": "Channel"},
    "notify_status": {"sv": "Status", "en": "Status"},
    "notify_attempts": {"sv": "Försök", "en": "Tries"},
    "notify_error": {"sv": "Fel", "en": "Error"},
    "notify_channel_email": {"sv": "e-post", "en": "e-mail"},
    "notify_channel_webhook": {"sv": "webhook", "en": "webhook"},
    "notify_status_sent": {"sv": "skickad", "en": "sent"},
    "notify_status_failed": {
        "sv": "misslyckades (skickas igen nästa gång)",
        "en": "failed (sent again next time)",
    },
    "notify_flash_saved": {"sv": "Aviseringarna är sparade.", "en": "Notifications saved."},
    "notify_flash_off": {"sv": "Aviseringarna är avstängda.", "en": "Notifications turned off."},
}
