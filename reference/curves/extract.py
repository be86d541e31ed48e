#!/usr/bin/env python3
"""The authors' TF2 learning curves, read from the Keras progress lines their notebooks printed.

Usage (plain python3, standard library only):
    python3 reference/curves/extract.py [NOTEBOOK_DIR]

NOTEBOOK_DIR defaults to ../shared/reference/notebooks relative to the repository root. Writes, beside this script,
one CSV per experiment with the header epoch,loss,accuracy,val_loss,val_accuracy and the values exactly as Keras printed
them (4 decimals). Each training cell prints, per epoch, an "Epoch N/1000" line and then a progress line such as
    8/8 [====] - 1s 67ms/step - loss: 4.7228 - accuracy: 0.0220 - val_loss: 4.6974 - val_accuracy: 0.0351
which may start with an earlier "ETA: ..." partial segment; the final values (after the "/step" timing) are taken.
Exits non-zero, naming the notebook and cell, unless every experiment has exactly epochs 1..1000, each with one
progress line.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_NOTEBOOKS = os.path.join(REPO, "..", "shared", "reference", "notebooks")
EPOCHS = 1000

# experiment name -> (notebook file, index of the training cell among all cells, counting from 0)
SOURCES = {
    "rnn1": ("Spotify_Classification_LSTM.ipynb", 22),
    "rnn2": ("Spotify_Classification_LSTM.ipynb", 34),
    "dnn1": ("Spotify_Classification_Dropout.ipynb", 21),
    "dnn2": ("Spotify_Classification_Dropout.ipynb", 33),
    "reduced-rnn1": ("Spotify_Classification_reduce_genre.ipynb", 25),
}

HEADER = re.compile(r"^Epoch (\d+)/(\d+)$")
NUMBER = r"([0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?|nan|inf)"
FINAL = re.compile(r" - [0-9.]+m?s [0-9.]+(?:us|ms|s)/step - loss: " + NUMBER + " - accuracy: " + NUMBER
                   + " - val_loss: " + NUMBER + " - val_accuracy: " + NUMBER + r"\s*$")


class ExtractError(Exception):
    pass


def cell_text(path, index):
    """All stream output of one code cell, joined (a progress line may be split across output chunks)."""
    with open(path, encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    if index >= len(cells):
        raise ExtractError(f"{path}: has {len(cells)} cells, no cell {index}")
    cell = cells[index]
    source = "".join(cell.get("source", []))
    if cell.get("cell_type") != "code" or ".fit(" not in source or f"epochs={EPOCHS}" not in source.replace(" ", ""):
        raise ExtractError(f"{path} cell {index}: not a training cell with epochs={EPOCHS}")
    texts = [o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
    return "".join(t if isinstance(t, str) else "".join(t) for t in texts)


def epochs_of(text, where):
    """[(epoch, loss, accuracy, val_loss, val_accuracy)] as printed; raises unless epochs are exactly 1..EPOCHS."""
    rows, current = [], None
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        header = HEADER.match(line)
        if header:
            epoch, total = int(header.group(1)), int(header.group(2))
            if total != EPOCHS:
                raise ExtractError(f"{where} line {number}: 'Epoch {epoch}/{total}' (expected /{EPOCHS})")
            if current is not None:
                raise ExtractError(f"{where} line {number}: epoch {current} has no progress line")
            current = epoch
        elif "val_accuracy:" in line:
            final = FINAL.search(line)
            if final is None:
                raise ExtractError(f"{where} line {number}: cannot read the final values of {line!r}")
            if current is None:
                raise ExtractError(f"{where} line {number}: progress line without an 'Epoch N/{EPOCHS}' line before it")
            rows.append((current,) + final.groups())
            current = None
    if current is not None:
        raise ExtractError(f"{where}: epoch {current} has no progress line")
    got = [r[0] for r in rows]
    if got != list(range(1, EPOCHS + 1)):
        missing = sorted(set(range(1, EPOCHS + 1)) - set(got))
        extra = len(got) - len(set(got))
        raise ExtractError(f"{where}: expected epochs 1..{EPOCHS} once each, got {len(got)} "
                           f"(missing {missing[:5]}{'...' if len(missing) > 5 else ''}, {extra} repeated, in order: {got == sorted(got)})")
    return rows


def main(argv):
    notebooks = argv[1] if len(argv) > 1 else DEFAULT_NOTEBOOKS
    out = {}
    for name, (notebook, index) in SOURCES.items():
        path = os.path.join(notebooks, notebook)
        out[name] = epochs_of(cell_text(path, index), f"{notebook} cell {index} ({name})")
    for name, rows in out.items():
        target = os.path.join(HERE, f"{name}.csv")
        with open(target + ".tmp", "w", encoding="utf-8", newline="\n") as f:
            f.write("epoch,loss,accuracy,val_loss,val_accuracy\n")
            for row in rows:
                f.write(",".join(str(v) for v in row) + "\n")
        os.replace(target + ".tmp", target)
        last = rows[-1]
        print(f"{name}: {len(rows)} epochs, epoch {last[0]} loss {last[1]} val_accuracy {last[4]} -> {os.path.relpath(target)}")


if __name__ == "__main__":
    try:
        main(sys.argv)
    except (ExtractError, OSError, ValueError, KeyError) as e:
        print(f"extract.py: {e}", file=sys.stderr)
        sys.exit(1)
