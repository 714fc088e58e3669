"""UI strings of issue 15's term pages (merged into i18n.STRINGS): feeds that follow a pledge,
a party or an area, deadlines, and the end-of-term worklist."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # feeds
    "follow_rss": {"sv": "Följ (RSS)", "en": "Follow (RSS)"},
    "follow_area_rss": {"sv": "Följ {area} (RSS)", "en": "Follow {area} (RSS)"},
    "feed_party_title": {
        "sv": "bedömningar av löften från {party}",
        "en": "verdicts on pledges by {party}",
    },
    "feed_party_description": {
        "sv": "Nya bedömningar av löften från {party}.",
        "en": "New verdicts on pledges by {party}.",
    },
    "feed_area_title": {"sv": "bedömningar inom {area}", "en": "verdicts in {area}"},
    "feed_area_description": {
        "sv": "Nya bedömningar av löften inom området {area}.",
        "en": "New verdicts on pledges in the area {area}.",
    },
    "feed_evidence": {"sv": "Nytt underlag", "en": "New evidence"},
    # deadlines
    "deadline": {"sv": "Tidsfrist", "en": "Deadline"},
    "deadline_passed": {"sv": "Tidsfristen har passerat", "en": "Deadline passed"},
    "deadline_source_editor": {"sv": "satt av redaktionen", "en": "set by the editors"},
    "deadline_source_text": {"sv": "enligt löftets text", "en": "from the pledge's text"},
    "deadline_source_term": {
        "sv": "mandatperiodens slut, som löftets text säger",
        "en": "the end of the term, as the pledge's text says",
    },
    "set_deadline": {"sv": "Sätt tidsfrist", "en": "Set deadline"},
    "clear_deadline": {"sv": "Ta bort tidsfristen", "en": "Clear deadline"},
    "deadline_help": {
        # no format: the date field shows the reader's own (QA: "YYYY-MM-DD" beside mm/dd/yyyy)
        "sv": "Dagen då löftet ska vara infriat. Redaktionens tidsfrist går före årtalet eller "
        "mandatperiodens slut i löftets text.",
        "en": "The day by which the pledge is due. The editors' deadline wins over the year or "
        "the end of the term in the pledge's text.",
    },
    "no_deadline": {"sv": "Ingen tidsfrist", "en": "No deadline"},
    "flash_pledge_deadline": {
        "sv": "Tidsfristen för löfte {id} är ändrad.",
        "en": "The deadline of pledge {id} was changed.",
    },
    "action_pledge.deadline": {"sv": "tidsfrist ändrad", "en": "deadline changed"},
    # the end-of-term worklist
    "worklist": {"sv": "Arbetslista för mandatperiodens slut", "en": "End-of-term worklist"},
    "worklist_intro": {
        "sv": "Löften som ännu är öppna: ingen bedömning, eller den senaste säger på gång, "
        "avstannat eller ej bedömt. Försenade först, sedan efter område.",
        "en": "Pledges still open: no verdict, or the latest says in the works, stalled or "
        "not rated. Overdue first, then by area.",
    },
    "term_ended": {
        "sv": "Mandatperioden slutade {date}.",
        "en": "The term ended on {date}.",
    },
    # the public pages once the term is over (QA: they read as if it were running)
    "term_over_meter": {
        "sv": "Mandatperioden slutade {date}. Mätaren visar varje löftes senaste bedömning; "
        "löften som står som på gång, avstannat eller ej bedömt har inte fått någon slutlig "
        "bedömning.",
        "en": "The term ended on {date}. The meter shows each pledge's latest verdict; pledges "
        "still in the works, stalled or not rated have not been given a final one.",
    },
    "widget_term_over": {"sv": "Mandatperioden är slut", "en": "The term is over"},
    "term_over_pledge": {
        "sv": "Mandatperioden slutade {date}, och löftet har ingen slutlig bedömning.",
        "en": "The term ended on {date}, and the pledge has no final verdict.",
    },
    "term_not_ended": {
        "sv": "Mandatperioden pågår (slutar {date}).",
        "en": "The term is still running (it ends on {date}).",
    },
    "term_end_unknown": {
        "sv": "Spårningen har inget slutdatum för mandatperioden.",
        "en": "The tracker has no end date for its term.",
    },
    "n_open_pledges": {"sv": "{n} öppna löften", "en": "{n} open pledges"},
    "n_open_pledges_one": {"sv": "{n} öppet löfte", "en": "{n} open pledge"},
    "overdue": {"sv": "Försenat", "en": "Overdue"},
    "rate_it": {"sv": "Bedöm", "en": "Rate it"},
    "no_open_pledges": {"sv": "Inga öppna löften.", "en": "No open pledges."},
    "n_unreviewed_candidates": {
        "sv": "{n} kandidater som ingen har granskat (inte med i listan)",
        "en": "{n} candidates nobody has reviewed (not on the list)",
    },
}
