"""Cards sharing an event on one day, in Anki itself (issue 15): the built-in bank exported in English, imported
into a fresh collection with the official `anki` library, studied with Anki's v3 scheduler for `--days` days,
every card answered Good until the day's queue is empty.

    python bench/anki_same_day.py [--days 30] [--lang en]

Pairs are distinct cards shown on one day whose notes share an event (two cards of one event note count too);
"new pairs" are those where both cards were new that day (what the new positions decide); the others pair a new
card with a review of a card learnt earlier (or two reviews), which no order of new cards can always prevent.
The table goes to `bench/RESULTS.md` between this script's markers (unless --no-write); no wall-clock number.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import anki_days  # noqa: E402
from anki.collection import Collection  # noqa: E402

from quiz.bank import load_bank  # noqa: E402
from quiz.export import anki as ax  # noqa: E402
from quiz.export.anki_outputs import top_descriptions  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- bench/anki_same_day.py: start -->", "<!-- bench/anki_same_day.py: end -->"


def write_results(section: str) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--lang", default="en", choices=("en", "ar"))
    parser.add_argument("--only", type=int, nargs="*", help="the settings to run (row numbers, from 1)")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    args = parser.parse_args()
    bank = load_bank().bank
    notes = ax.plan(bank, [q for q in bank.questions if not q.draft], (args.lang,))
    events = anki_days.events_by_guid(notes)
    deck = notes[0].top
    bury, position, unlimited = anki_days.bury_all, anki_days.by_position, anki_days.no_new_limit
    settings = [
        ("Anki's Default preset (20 new/day, siblings not buried, gathered deck by deck)", False, None, args.days),
        ("Default preset, bury siblings ticked", False, bury, args.days),
        ("Default preset, bury siblings, gather by ascending position", False,
         anki_days.combined(bury, position), args.days),
        ("the package's own preset (\"Import deck presets\" ticked)", True, None, args.days),
        ("Default preset, no new-card limit", False, unlimited, 1),
        ("Default preset, bury siblings, no new-card limit", False, anki_days.combined(bury, unlimited), 1),
    ]
    lines = [START, "## Cards sharing an event on one day, in Anki (issue 15)", "",
             f"`python bench/anki_same_day.py --days {args.days} --lang {args.lang}`: the built-in bank "
             f"({len(notes)} notes, {sum(n.cards for n in notes)} cards) imported into a fresh collection with the "
             "official `anki` library, Anki's v3 scheduler run day after day, every card answered Good until the "
             "queue is empty. A pair is two distinct cards shown on one day whose notes share an event; new–new: "
             "both were new that day (what the new positions decide). Anki's fuzz makes the counts vary by a few "
             "percent from run to run.", "",
             "| setting | days | cards shown | new | sharing pairs | of them new–new | of one note | day one |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for line in lines:
        print(line)
    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / "deck.apkg"
        ax.write_package(notes, package, {}, datetime.now(timezone.utc), top_descriptions(notes, bank))
        for i, (name, presets, options, days) in enumerate(settings):
            if args.only and i + 1 not in args.only:
                continue
            path = Path(folder) / f"c{i}" / "collection.anki2"
            path.parent.mkdir()
            col = Collection(str(path))
            anki_days.import_package(col, package, presets=presets)
            col.close()
            got = anki_days.study(path, deck, events, days, options=options)
            lines.append(f"| {name} | {days} | {got.cards} | {got.new_cards} | {got.total} | {got.new_pairs} | "
                         f"{got.same_note} | {len(got.pairs[0])} |")
            print(lines[-1])
    lines.append(END)
    if not args.no_write and not args.only:
        write_results("\n".join(lines))


if __name__ == "__main__":
    main()
