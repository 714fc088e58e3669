from __future__ import annotations

from pathlib import Path

import pytest

from lofte.model import RawInput
from lofte.watch.discover import discover, sniff_shape
from tests.watch.pages import listing, rss, sitemap

BASE = "https://www.example.se/nyheter"


def raw(data: bytes, media: str = "text/html", origin: str = BASE) -> RawInput:
    return RawInput(data=data, origin=origin, media_type=media)


def test_feed_entries_are_items() -> None:
    data = rss([("https://www.example.se/a/1", "Första"), ("https://www.example.se/a/2", "Andra")])
    page = discover(raw(data, "application/rss+xml"))
    assert page.shape == "feed"
    assert [i.url for i in page.items] == [
        "https://www.example.se/a/1",
        "https://www.example.se/a/2",
    ]
    assert page.items[0].title == "Första"
    assert sniff_shape(raw(data, "text/xml")) == "feed"  # by its root element alone


def test_a_sitemap_sent_as_a_feed_is_read_as_a_sitemap() -> None:
    # QA: a <urlset> served as application/rss+xml went to the feed reader ("found no documents")
    data = sitemap([("https://www.example.se/a/1", "2024-03-01")])
    for media in ("application/rss+xml", "application/atom+xml", "application/xml"):
        assert sniff_shape(raw(data, media)) == "sitemap", media
    commented = b"<?xml version='1.0'?>\n<!-- made by a CMS -->\n" + data.split(b"?>", 1)[-1]
    assert sniff_shape(raw(commented, "application/rss+xml")) == "sitemap"
    page = discover(raw(data, "application/rss+xml"))
    assert page.shape == "sitemap" and [i.url for i in page.items] == ["https://www.example.se/a/1"]


def test_sitemap_items_newest_first_and_index_sitemaps() -> None:
    data = sitemap(
        [
            ("https://x.se/old", "2023-01-01"),
            ("https://x.se/undated", None),
            ("https://x.se/new", "2025-06-01"),
            ("ftp://x.se/skip", None),
        ]
    )
    page = discover(raw(data, "application/xml"))
    assert page.shape == "sitemap"
    assert [i.url for i in page.items] == [
        "https://x.se/new",
        "https://x.se/old",
        "https://x.se/undated",
    ]
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://x.se/s1.xml</loc></sitemap><sitemap><loc>https://x.se/s2.xml</loc>"
        b"</sitemap></sitemapindex>"
    )
    page = discover(raw(index, "application/xml"))
    assert page.shape == "sitemap" and page.sitemaps == (
        "https://x.se/s1.xml",
        "https://x.se/s2.xml",
    )


def test_an_index_names_its_sitemaps_newest_first() -> None:
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://x.se/2019.xml</loc><lastmod>2019-12-31</lastmod></sitemap>"
        b"<sitemap><loc>https://x.se/undated.xml</loc></sitemap>"
        b"<sitemap><loc>https://x.se/2025.xml</loc><lastmod>2025-11-03</lastmod></sitemap>"
        b"<sitemap><loc>https://x.se/2022.xml</loc><lastmod>2022-05-01</lastmod></sitemap>"
        b"</sitemapindex>"
    )
    page = discover(raw(index, "application/xml"))
    assert page.sitemaps == (
        "https://x.se/2025.xml",
        "https://x.se/2022.xml",
        "https://x.se/2019.xml",
        "https://x.se/undated.xml",
    )


def test_a_gzipped_sitemap_is_unpacked_within_the_size_cap() -> None:
    import gzip

    from lofte.errors import TooLargeError
    from lofte.watch.discover import unpacked

    data = sitemap([("https://x.se/a", "2025-01-01")])
    packed = raw(gzip.compress(data), "application/x-gzip")
    page = discover(unpacked(packed, max_bytes=10_000), "sitemap")
    assert [i.url for i in page.items] == ["https://x.se/a"]
    plain = raw(data, "application/xml")
    assert unpacked(plain, max_bytes=10_000) is plain
    bomb = raw(gzip.compress(b" " * 100_000), "application/gzip")
    with pytest.raises(TooLargeError):
        unpacked(bomb, max_bytes=10_000)


def test_sitemap_entities_are_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.se/&b;</loc>'
        b"</url></urlset>"
    )
    page = discover(raw(bomb, "application/xml"), "sitemap")
    assert all("aaaaaaaaaa" not in i.url for i in page.items)


def test_listing_items_are_absolute_and_the_next_link_is_found() -> None:
    items = [(f"/a/{n}", f"Nyhet nummer {n}") for n in range(1, 5)]
    page = discover(raw(listing(items, next_href="?sida=2")))
    assert page.shape == "listing"
    assert [i.url for i in page.items] == [f"https://www.example.se/a/{n}" for n in range(1, 5)]
    assert page.items[1].title == "Nyhet nummer 2"
    assert page.next_url == "https://www.example.se/nyheter?sida=2"


def _page_with(pager: str) -> bytes:
    items = "".join(
        f'<li><h3><a href="/n/{n}">Rubrik {n}</a></h3><p>Text {n} om saken.</p></li>'
        for n in range(4)
    )
    return f"<html><head>{pager if '<link' in pager else ''}</head><body><ul>{items}</ul>{'' if '<link' in pager else pager}</body></html>".encode()


def test_next_link_variants() -> None:
    cases = {
        '<link rel="next" href="/nyheter/2">': "https://www.example.se/nyheter/2",
        '<a rel="next" href="/p/2">2</a>': "https://www.example.se/p/2",
        '<a href="/p/3">Next page</a>': "https://www.example.se/p/3",
        '<a href="/p/4">Äldre nyheter »</a>': "https://www.example.se/p/4",
        '<a href="/p/5">›</a>': "https://www.example.se/p/5",
        '<div class="pager"><a href="/p/1">1</a><a class="pager__next" href="/p/6">6</a></div>': "https://www.example.se/p/6",
        '<ul class="pagination"><li class="next"><a href="/p/7">→</a></li></ul>': "https://www.example.se/p/7",
    }
    for pager, expected in cases.items():
        assert discover(raw(_page_with(pager))).next_url == expected, pager


def test_next_link_refuses_other_hosts_itself_and_fragments() -> None:
    for pager in (
        '<a href="https://annan.example.org/p/2">Nästa</a>',
        '<a href="#">Nästa</a>',
        '<a href="javascript:next()">Nästa</a>',
        f'<a href="{BASE}">Nästa</a>',
        '<a href="/p/2">Läs mer</a>',
    ):
        assert discover(raw(_page_with(pager))).next_url is None, pager


def test_an_article_is_unknown() -> None:
    page = discover(
        raw(b"<html><body><article><h1>En nyhet</h1><p>Bara text.</p></article></body></html>")
    )
    assert page.shape == "unknown" and page.problem


def test_listing_in_the_shape_of_the_seed_listings(seeds_dir: Path) -> None:
    """Seed 003 (a Region Stockholm list: title, summary, a category line) as the HTML it was
    copied from: one <li> per item, built from the seed at test time."""
    text = (seeds_dir / "003_e87280e1bdd3c82d.txt").read_text(encoding="utf-8")
    blocks = [b for b in text.split(" • ")[1:] if b.strip()]
    items = []
    for n, block in enumerate(blocks):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        title, summary, category = lines[0], " ".join(lines[1:-1]), lines[-1]
        items.append(
            f'<li class="news-list__item"><a href="/nyheter/{n}"><h3>{title}</h3></a>'
            f'<p>{summary}</p><span class="category">{category}</span></li>'
        )
    html = f"<html><body><h1>Nyheter</h1><ul class='news-list'>{''.join(items)}</ul><nav class='pagination'><a href='?page=2'>Nästa</a></nav></body></html>"
    page = discover(raw(html.encode(), origin="https://www.regionstockholm.se/nyheter/"))
    assert page.shape == "listing"
    assert len(page.items) == len(blocks) >= 3
    assert page.items[0].url == "https://www.regionstockholm.se/nyheter/0"
    assert page.items[0].title == blocks[0].strip().splitlines()[0].strip()
    assert page.next_url == "https://www.regionstockholm.se/nyheter/?page=2"


def test_huge_pages_give_bounded_items() -> None:
    items = [(f"/a/{n}", f"Nyhet {n}") for n in range(3000)]
    page = discover(raw(listing(items)), max_items=100)
    assert len(page.items) == 100
    feed_page = discover(
        raw(rss([(f"https://x.se/{n}", f"T {n}") for n in range(500)]), "application/rss+xml"),
        max_items=10,
    )
    assert len(feed_page.items) == 10


def test_binary_and_empty_pages_are_unknown() -> None:
    assert discover(raw(b"\x00\x01\x02" * 100, "application/octet-stream")).shape == "unknown"
    assert discover(raw(b"", "text/html")).shape == "unknown"


def test_a_malformed_sitemap_with_nothing_readable_is_a_problem_saying_where() -> None:
    page = discover(raw(b'<?xml version="1.0"?><urlset><<<', "application/xml"), "sitemap")
    assert page.items == () and page.problem is not None
    assert page.problem.startswith("unreadable sitemap: malformed XML: line 1, column 31:")


def test_a_sitemap_read_past_malformed_xml_says_where_it_is() -> None:
    data = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://x.se/a</loc></url>\n<url><loc>https://x.se/b</urlset>"
    )
    page = discover(raw(data, "application/xml"), "sitemap")
    assert [i.url for i in page.items][:1] == ["https://x.se/a"] and page.problem is None
    assert page.fault is not None and page.fault.startswith("malformed XML: line 2, column")
    # a well-formed one has no fault
    assert discover(raw(sitemap([("https://x.se/a", None)]), "text/xml"), "sitemap").fault is None


def test_a_sitemap_is_read_up_to_the_protocols_50000_urls_and_says_when_it_lists_more() -> None:
    within = sitemap([(f"https://x.se/a/{n}", None) for n in range(10_000)])
    page = discover(raw(within, "application/xml"), "sitemap")
    assert len(page.items) == 10_000 and page.fault is None  # 5,000 were kept, the rest never
    over = sitemap([(f"https://x.se/a/{n}", None) for n in range(60_000)])
    page = discover(raw(over, "application/xml"), "sitemap")
    assert [i.url for i in page.items] == [f"https://x.se/a/{n}" for n in range(50_000)]
    assert page.fault is not None and "more than 50,000" in page.fault
    assert "only the first 50,000 are read" in page.fault


def test_a_truncated_gzip_is_an_error_naming_it() -> None:
    import gzip

    from lofte.errors import ReadError
    from lofte.watch.discover import unpacked

    packed = gzip.compress(sitemap([("https://x.se/a", None)]))
    cut = raw(packed[: len(packed) // 2], "application/gzip", "https://x.se/s.xml.gz")
    with pytest.raises(ReadError) as caught:
        unpacked(cut, max_bytes=10_000)
    assert "https://x.se/s.xml.gz" in str(caught.value) and "ends early" in str(caught.value)


def test_a_listing_without_items_says_so_without_naming_its_own_address() -> None:
    # QA: "error: URL: URL: no repeated news items": the run names the page, the problem too
    page = discover(raw(b"<html><body><p>Underhall pagar.</p></body></html>"), "listing")
    assert page.problem and "no repeated news items" in page.problem
    assert BASE not in page.problem
