"""Minimal PDF files written by hand for the reader tests: numbered objects, an xref table, a
trailer. Object 1 must be the catalog."""

from __future__ import annotations

import io


def pdf_file(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF 1.4 file holding `objects` as objects 1, 2, … in order; `trailer`: more entries
    of the trailer (an /Encrypt dictionary)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    extra = b" " + trailer if trailer else b""
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, extra, xref)
    )
    return out.getvalue()


def text_pdf(operations: list[str], info: bytes = b"") -> bytes:
    """One page of Helvetica text drawn by the content-stream operations given; `info`: its
    document information dictionary (object 6), if any."""
    stream = "\n".join(operations).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
    ]
    if not info:
        return pdf_file(objects)
    return pdf_file([*objects, info], trailer=b"/Info 6 0 R")
