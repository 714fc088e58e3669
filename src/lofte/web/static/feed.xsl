<?xml version="1.0" encoding="utf-8"?>
<!--
  Löfte: an RSS feed opened in a browser, shown as a readable page (a phone showed raw XML, QA).
  The feeds name this file in an <?xml-stylesheet?> instruction; feed readers ignore it.

  Every text of the feed goes out through xsl:value-of or an attribute value, which the XSLT
  processor escapes: nothing in a feed becomes markup here (no disable-output-escaping). An item's
  description is HTML-escaped text with <br> for its line breaks (publish/feeds.py `_html`): it is
  shown as that text again, its breaks kept by CSS. The page's words are in Swedish, or in
  English for a feed whose <language> is English (its ?lang=en address); there an item's
  Swedish text (a quote, a document's title, a rationale, a passage) is marked lang="sv".
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:variable name="en" select="starts-with(/rss/channel/language, 'en')"/>
  <xsl:variable name="self" select="/rss/channel/atom:link[@rel = 'self']/@href"/>

  <xsl:template match="/">
    <html>
      <xsl:attribute name="lang"><xsl:choose><xsl:when test="$en">en</xsl:when><xsl:otherwise>sv</xsl:otherwise></xsl:choose></xsl:attribute>
      <head>
        <!-- no <meta charset>: the server runs this sheet with libxslt (web/feed_view.py),
             whose html output adds its own Content-Type meta, and two are invalid HTML -->
        <link rel="icon" href="data:,"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="/rss/channel/title"/></title>
        <style>
          body { font-family: system-ui, sans-serif; color: #1b1b1b; background: #fff; margin: 0; line-height: 1.55; font-size: 1.05rem; }
          main { max-width: 62rem; margin: 0 auto; padding: 0 1rem 2rem; overflow-wrap: break-word; }
          a { color: #0b5394; }
          a:focus-visible { outline: 3px solid #000; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd54f; }
          .about { margin: 1rem 0; padding: .75rem 1rem; border-left: 4px solid #0b4a6f; background: #f1f8fc; color: #0b4a6f; }
          .about p { margin: .25rem 0; }
          .address { font-family: ui-monospace, monospace; font-size: .95rem; overflow-wrap: anywhere; background: #fff; padding: .1rem .3rem; }
          .meta { color: #595959; }
          .text { white-space: pre-line; }
          ol.items { list-style: none; padding: 0; }
          ol.items li { border-top: 1px solid #d0d0d0; padding: .5rem 0; }
          h1 { font-size: 1.5rem; line-height: 1.25; }
          ol.items h2 { font-size: 1.1rem; margin: .25rem 0; }
          .home a { display: inline-block; min-height: 44px; line-height: 44px; }
        </style>
      </head>
      <body>
        <main>
          <div class="about" role="note">
            <xsl:choose>
              <xsl:when test="$en">
                <p><strong>This is a news feed (RSS).</strong> To follow it, copy its address into a feed reader (an RSS reader); the reader then shows each new item as it comes.</p>
                <xsl:choose>
                  <xsl:when test="starts-with($self, 'http')"><p>The feed’s address: <span class="address"><xsl:value-of select="$self"/></span></p></xsl:when>
                  <xsl:otherwise><p>The feed’s address is the address of this page, in the browser’s address bar.</p></xsl:otherwise>
                </xsl:choose>
                <p>Below is what the feed holds now.</p>
              </xsl:when>
              <xsl:otherwise>
                <p><strong>Det här är ett nyhetsflöde (RSS).</strong> För att följa det kopierar du adressen till en flödesläsare (RSS-läsare), som sedan visar varje ny post när den kommer.</p>
                <xsl:choose>
                  <xsl:when test="starts-with($self, 'http')"><p>Flödets adress: <span class="address"><xsl:value-of select="$self"/></span></p></xsl:when>
                  <xsl:otherwise><p>Flödets adress är den här sidans adress, den i webbläsarens adressfält.</p></xsl:otherwise>
                </xsl:choose>
                <p>Nedan syns vad flödet innehåller just nu.</p>
              </xsl:otherwise>
            </xsl:choose>
          </div>
          <xsl:apply-templates select="/rss/channel"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:value-of select="title"/></h1>
    <xsl:if test="normalize-space(description)">
      <p class="text"><xsl:call-template name="plain"><xsl:with-param name="text" select="description"/></xsl:call-template></p>
    </xsl:if>
    <xsl:if test="normalize-space(link)">
      <p class="home"><a href="{normalize-space(link)}"><xsl:choose><xsl:when test="$en">To the page on the site</xsl:when><xsl:otherwise>Till sidan på webbplatsen</xsl:otherwise></xsl:choose></a></p>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="item">
        <ol class="items">
          <xsl:apply-templates select="item"/>
        </ol>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:choose><xsl:when test="$en">The feed holds nothing yet.</xsl:when><xsl:otherwise>Flödet är tomt än så länge.</xsl:otherwise></xsl:choose></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="item">
    <li>
      <h2>
        <xsl:choose>
          <xsl:when test="normalize-space(link)"><a href="{normalize-space(link)}"><xsl:call-template name="title"/></a></xsl:when>
          <xsl:otherwise><xsl:call-template name="title"/></xsl:otherwise>
        </xsl:choose>
      </h2>
      <xsl:if test="pubDate">
        <p class="meta"><xsl:call-template name="date"><xsl:with-param name="rfc822" select="normalize-space(pubDate)"/></xsl:call-template></p>
      </xsl:if>
      <xsl:if test="normalize-space(description)">
        <p class="text">
          <xsl:choose>
            <xsl:when test="not($en)"><xsl:call-template name="plain"><xsl:with-param name="text" select="description"/></xsl:call-template></xsl:when>
            <!-- "As of …: " (the page's words) before a verdict's rationale (the editors') -->
            <xsl:when test="starts-with(description, 'As of ') and contains(description, ': ')">
              <xsl:call-template name="plain"><xsl:with-param name="text" select="concat(substring-before(description, ': '), ': ')"/></xsl:call-template>
              <span lang="sv"><xsl:call-template name="plain"><xsl:with-param name="text" select="substring-after(description, ': ')"/></xsl:call-template></span>
            </xsl:when>
            <xsl:otherwise><span lang="sv"><xsl:call-template name="plain"><xsl:with-param name="text" select="description"/></xsl:call-template></span></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- An item's title: "Kept: " or "New evidence: " in the page's words, then a pledge's quote
       or a document's title, which are Swedish: marked so on the English page (a screen
       reader reads them in Swedish) -->
  <xsl:template name="title">
    <xsl:choose>
      <xsl:when test="$en and contains(title, ': ')">
        <xsl:value-of select="concat(substring-before(title, ': '), ': ')"/>
        <span lang="sv"><xsl:value-of select="substring-after(title, ': ')"/></span>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="title"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "Thu, 05 Dec 2024 10:00:00 +0000" (RFC 822, as publish/feeds.py writes it) as "5 december 2024" -->
  <xsl:template name="date">
    <xsl:param name="rfc822"/>
    <xsl:variable name="rest" select="normalize-space(substring-after($rfc822, ','))"/>
    <xsl:variable name="day" select="substring-before($rest, ' ')"/>
    <xsl:variable name="month" select="substring-before(substring-after($rest, ' '), ' ')"/>
    <xsl:variable name="year" select="substring(substring-after(substring-after($rest, ' '), ' '), 1, 4)"/>
    <xsl:variable name="index" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $month)) div 3"/>
    <xsl:choose>
      <xsl:when test="string-length($month) = 3 and contains('JanFebMarAprMayJunJulAugSepOctNovDec', $month) and number($day) = number($day)">
        <xsl:variable name="names">
          <xsl:choose>
            <xsl:when test="$en">January  February March    April    May      June     July     August   SeptemberOctober  November December </xsl:when>
            <xsl:otherwise>januari  februari mars     april    maj      juni     juli     augusti  septemberoktober  november december </xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <time datetime="{$year}-{format-number($index + 1, '00')}-{format-number(number($day), '00')}">
          <xsl:value-of select="concat(number($day), ' ', normalize-space(substring($names, $index * 9 + 1, 9)), ' ', $year)"/>
        </time>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$rfc822"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A description as the text it was written as: without its <br> (its line breaks follow
       them) and with &lt; &gt; &amp; read back, the last one last -->
  <xsl:template name="plain">
    <xsl:param name="text"/>
    <xsl:variable name="a"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($text)"/><xsl:with-param name="from" select="'&lt;br&gt;'"/><xsl:with-param name="to" select="''"/></xsl:call-template></xsl:variable>
    <xsl:variable name="b"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($a)"/><xsl:with-param name="from" select="'&amp;lt;'"/><xsl:with-param name="to" select="'&lt;'"/></xsl:call-template></xsl:variable>
    <xsl:variable name="c"><xsl:call-template name="replace"><xsl:with-param name="text" select="string($b)"/><xsl:with-param name="from" select="'&amp;gt;'"/><xsl:with-param name="to" select="'&gt;'"/></xsl:call-template></xsl:variable>
    <xsl:call-template name="replace"><xsl:with-param name="text" select="string($c)"/><xsl:with-param name="from" select="'&amp;amp;'"/><xsl:with-param name="to" select="'&amp;'"/></xsl:call-template>
  </xsl:template>

  <xsl:template name="replace">
    <xsl:param name="text"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($text, $from)">
        <xsl:value-of select="substring-before($text, $from)"/>
        <xsl:value-of select="$to"/>
        <xsl:call-template name="replace">
          <xsl:with-param name="text" select="substring-after($text, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
