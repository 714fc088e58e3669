"""Documents per second of the web readers (html-article, html-listing, feed), with a baseline.

    .venv/bin/python bench/bench_readers_web.py [--items 40] [--seconds 0.6]

Inputs are generated here (fictional Swedish municipal news): an article page with page chrome
and scripts, a news index with `--items` teasers, and an RSS 2.0 feed with `--items` entries.
The baseline, timed in the same process on the same input, is a naive regex reader: drop
<script>/<style>, split into items at the item tag, strip tags, unescape entities. It gets
nothing right that the readers care about (chrome, dates, links), so the ratio (reader time over
baseline time) says what the real parsing costs. The HTML readers' parse cache is cleared
before every call so that each call parses the page.
"""

from __future__ import annotations

import argparse
import html as htmllib
import re

from lofte.model import RawInput
from lofte.sources import feed, html
from timing import best_rate  # bench/timing.py, beside this script

_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")

PARAGRAPH = (
    "Kommunstyrelsen i Ekby föreslår att {n} nya förskoleplatser byggs i Norrby under "
    "mandatperioden. Förslaget ska &quot;möta behoven&quot; när fler barnfamiljer flyttar in &amp; "
    "ersätter de tillfälliga paviljongerna vid Lundaskolan."
)


def article_page(paragraphs: int) -> str:
    body = "\n".join(f"<p>{PARAGRAPH.format(n=i)}</p>" for i in range(paragraphs))
    return f"""<!DOCTYPE html><html lang="sv"><head><title>Fler förskoleplatser | Ekby</title>
<meta property="article:published_time" content="2024-04-02T08:00:00+02:00">
<script>var analys = {{"sida": "nyhet"}};</script><style>p {{ margin: 0 }}</style></head>
<body><header><nav><ul><li><a href="/">Start</a></li><li><a href="/skola">Skola</a></li></ul>
</nav></header><main><article><h1>Fler förskoleplatser i Norrby</h1>{body}</article></main>
<footer><p>Ekby kommun</p></footer></body></html>"""


def listing_page(items: int) -> str:
    teasers = "\n".join(
        f"""<li class="news-list__item"><article class="teaser">
<h2 class="teaser__title"><a href="/nyheter/2024/nyhet-{i}">Nyhet nummer {i} från Ekby</a></h2>
<time datetime="2024-03-{1 + i % 28:02d}">{1 + i % 28} mars 2024</time>
<p class="teaser__summary">{PARAGRAPH.format(n=i)}</p>
<span class="teaser__category">Förskola och skola</span>
<a class="teaser__more" href="/nyheter/2024/nyhet-{i}">Läs mer</a></article></li>"""
        for i in range(items)
    )
    return f"""<!DOCTYPE html><html lang="sv"><head><title>Nyheter | Ekby</title>
<script>var analys = 1;</script></head><body><header><nav><ul><li><a href="/">Start</a></li>
</ul></nav></header><main><h1>Nyheter</h1><ul class="news-list">{teasers}</ul></main>
<footer><div><h3>Kontakt</h3><a href="/kontakt">Kontakt</a></div></footer></body></html>"""


def rss_feed(items: int) -> str:
    entries = "\n".join(
        f"""<item><title>Nyhet nummer {i} från Ekby</title>
<link>https://www.ekby.example/nyheter/{i}</link><guid>ekby-{i}</guid>
<description>&lt;p&gt;{htmllib.escape(PARAGRAPH.format(n=i))}&lt;/p&gt;</description>
<pubDate>Tue, {1 + i % 28:02d} Mar 2024 08:00:00 +0100</pubDate><category>Skola</category></item>"""
        for i in range(items)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<title>Ekby kommun</title><link>https://www.ekby.example</link><language>sv</language>
{entries}</channel></rss>"""


def strip(fragment: str) -> str:
    return " ".join(htmllib.unescape(_TAG.sub(" ", fragment)).split())


def naive_reader(text: str, item_tag: str | None) -> int:
    """The baseline: documents found by splitting at `item_tag` and stripping tags."""
    text = _DROP.sub(" ", text)
    chunks = text.split(f"<{item_tag}")[1:] if item_tag else [text]
    return len([c for c in (strip(chunk) for chunk in chunks) if c])




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40, help="items per listing and feed")
    parser.add_argument("--seconds", type=float, default=0.6, help="time per measurement")
    args = parser.parse_args()
    cases = [
        ("article", html.HtmlArticleReader(), article_page(12), None),
        ("listing", html.HtmlListingReader(), listing_page(args.items), "article"),
        ("rss", feed.FeedReader(), rss_feed(args.items), "item"),
    ]
    print(f"{'input':<8} {'reader':<13} {'KiB':>5} {'docs':>5} {'docs/s':>9} "
          f"{'baseline/s':>11} {'ratio':>7} {'sniff ms':>9}")
    for label, reader, text, item_tag in cases:
        raw = RawInput(data=text.encode(), origin=f"https://www.ekby.example/{label}")

        def parse(reader=reader, raw=raw, text=text) -> int:  # type: ignore[no-untyped-def]
            html._load.cache_clear()
            return len(reader.parse(raw, text))

        def sniff(reader=reader, raw=raw, text=text) -> float:  # type: ignore[no-untyped-def]
            html._load.cache_clear()
            return reader.sniff(raw, text)

        docs, base_docs = parse(), naive_reader(text, item_tag)
        rate = best_rate(parse, args.seconds)
        base_rate = best_rate(lambda: naive_reader(text, item_tag), args.seconds)
        sniff_rate = best_rate(sniff, args.seconds)
        print(f"{label:<8} {reader.name:<13} {len(raw.data) / 1024:>5.0f} {docs:>5} "
              f"{docs * rate:>9.0f} {base_docs * base_rate:>11.0f} {base_rate / rate:>6.1f}x "
              f"{1000 / sniff_rate:>9.2f}")


if __name__ == "__main__":
    main()
