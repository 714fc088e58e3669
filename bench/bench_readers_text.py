"""Documents per second of the text-dump and import readers on the seeds, with a baseline.

    .venv/bin/python bench/bench_readers_text.py [--repeat 50] [--seconds 0.5]

Each seed's items are repeated `--repeat` times into one input (header and footer kept once), so a
call parses a sizeable text. The baseline, timed in the same process on the same input, is the
least a reader must do: `str.splitlines()` plus dropping blank lines for the text dumps, and
`csv.reader` / `json.loads` for the imports (built in memory from seed 000's documents). The
ratio is reader time over baseline time per input: how much the reading of the shape costs.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

from lofte.model import RawInput
from lofte.sources import plaintext, tabular, textdump
from lofte.sources.decode import decode_text
from timing import best_rate  # bench/timing.py, beside this script

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
ALL_READERS = [plaintext.PlainTextReader(), textdump.EXCERPT_LINES, textdump.BULLET_LISTING,
               textdump.READ_MORE_PAGE, tabular.CSV_IMPORT, tabular.JSON_IMPORT]


def seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return decode_text(path.read_bytes(), str(path))


def repeat_lines(text: str, n: int) -> str:
    return "\n".join([text.rstrip("\n")] * n)


def repeat_listing(text: str, n: int) -> str:
    """The header once, the items n times."""
    start = text.index("•")
    start = text.rfind("\n", 0, start) + 1
    return text[:start] + "\n".join([text[start:].rstrip("\n")] * n)


def repeat_page(text: str, n: int) -> str:
    """The items n times, the footer after the last "Läs mer" once."""
    cut = text.rindex("Läs mer") + len("Läs mer")
    return "\n\n".join([text[:cut]] * n) + text[cut:]


def import_inputs(n: int) -> tuple[str, str]:
    """CSV and JSON holding seed 000's excerpts n times, with ids."""
    docs = textdump.parse_excerpt_lines(seed("000"), "000")
    rows = [{"id": f"{i}-{d.item_key}", "title": d.title, "body": d.body, "date": "2024-05"}
            for i in range(n) for d in docs]
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue(), json.dumps({"documents": rows}, ensure_ascii=False)


def lines_baseline(text: str) -> int:
    return len([line for line in text.splitlines() if line.strip()])


def csv_baseline(text: str) -> int:
    return len(list(csv.reader(io.StringIO(text, newline="")))) - 1


def json_baseline(text: str) -> int:
    return len(json.loads(text)["documents"])




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="copies of each seed's items")
    parser.add_argument("--seconds", type=float, default=0.6, help="time per measurement")
    args = parser.parse_args()
    n = args.repeat
    csv_text, json_text = import_inputs(n)
    cases = [
        ("000", textdump.EXCERPT_LINES, repeat_lines(seed("000"), n), lines_baseline),
        ("001", textdump.BULLET_LISTING, repeat_listing(seed("001"), n), lines_baseline),
        ("003", textdump.BULLET_LISTING, repeat_listing(seed("003"), n), lines_baseline),
        ("004", textdump.READ_MORE_PAGE, repeat_page(seed("004"), n), lines_baseline),
        ("000 as CSV", tabular.CSV_IMPORT, csv_text, csv_baseline),
        ("000 as JSON", tabular.JSON_IMPORT, json_text, json_baseline),
    ]
    print(f"{'input':<12} {'reader':<15} {'KiB':>6} {'docs':>6} {'docs/s':>10} "
          f"{'baseline/s':>11} {'ratio':>6} {'sniff all ms':>12}")
    for label, reader, text, baseline in cases:
        raw = RawInput(data=text.encode(), origin=label)
        docs = len(reader.parse(raw, text))
        rate = best_rate(lambda: reader.parse(raw, text), args.seconds)
        base_rate = best_rate(lambda: baseline(text), args.seconds)
        sniff_rate = best_rate(lambda: [r.sniff(raw, text) for r in ALL_READERS], args.seconds)
        print(f"{label:<12} {reader.name:<15} {len(text.encode()) / 1024:>6.0f} {docs:>6} "
              f"{docs * rate:>10.0f} {docs * base_rate:>11.0f} {base_rate / rate:>5.1f}x "
              f"{1000 / sniff_rate:>12.2f}")


if __name__ == "__main__":
    main()
