#!/usr/bin/env python3
"""Re-reads a committed summary (bench/results/mutation*.md) with today's equivalent.txt and killed.txt.

Stryker's JSON reports are not committed and older ones are gone, so a summary cannot always be made again from its reports.
Its tables (killed, timeout, survived, no coverage per file) and its list of surviving mutants are Stryker's figures; this
keeps them and recomputes what depends on the triage of the survivors: which are equivalent, which a test written since the
run kills (verified by applying the mutant by hand), and the scores less those. Prose is left as it is.
A newer Stryker report of some files can be merged in first (--report PATH, oldest first): for each file it mutated, its
figures and survivors replace the summary's, as summarize.py lets the newest report of a file win.
Usage: bench/mutation/triage.py [--report out/<project>/<tag>/reports/mutation-report.json ...] bench/results/mutation-data.md
(rewrites each summary in place)"""
import json, os, re, sys

from mutants import lookup, score, shown, table, wrap

reasons = table("equivalent.txt")
kills = table("killed.txt")
SURVIVOR = re.compile(r"^- (?P<file>[^:]+):(?P<line>\d+) (?P<mutator>.+?) \((?P<status>Survived|NoCoverage)\): `(?P<text>.*?)`")


def rewrite(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("## ") or not re.match(r"## [\w.]+: [\d.]+%", line):
            out.append(line)
            i += 1
            continue
        project = line[3:].split(":")[0]
        # the section: header, Killed line, table, survivor list; up to the next "## " or the end
        end = i + 1
        while end < len(lines) and not lines[end].startswith("## "):
            end += 1
        section = lines[i + 1:end]
        rows, items, before_table, between, intro, after = [], [], [], [], [], []
        part = "before"
        j = 0
        while j < len(section):
            s = section[j]
            if s.startswith("| file | run |"):
                part = "table"
                j += 2
                continue
            if part == "table":
                if s.startswith("| "):
                    cells = [c.strip() for c in s.strip("|").split("|")]
                    rows.append(cells)
                    j += 1
                    continue
                part = "between"
            if s.startswith("### Surviving and uncovered mutants"):
                part = "list"
                j += 1
                continue
            if part == "list":
                if s.startswith("- "):
                    text = s
                    while j + 1 < len(section) and section[j + 1].startswith("  ") and not section[j + 1].startswith("- "):
                        j += 1
                        text += " " + section[j].strip()
                    items.append(text)
                    j += 1
                    continue
                if not items:  # a paragraph between the heading and the list
                    intro.append(s)
                    j += 1
                    continue
                if s.strip() == "" and not after:
                    j += 1
                    continue
                part = "after"
            if part == "before":
                if s.startswith("Killed "):  # the totals' paragraph, made again below
                    while j + 1 < len(section) and section[j + 1].strip():
                        j += 1
                before_table.append(s)
            elif part == "between":
                between.append(s)
            elif part == "after":
                after.append(s)
            j += 1
        for report in reports:  # newer reports replace the rows and survivors of the files they mutated
            tag = report.split(os.sep)[-3]
            for source, f in json.load(open(report))["files"].items():
                ms = [m for m in f["mutants"] if m["status"] not in ("Ignored", "CompileError")]
                marker = f"/src/{project}/"
                if not ms or marker not in source:
                    continue
                name = source.split(marker, 1)[1]
                status = [m["status"] for m in ms]
                row = [name, tag] + [str(status.count(s)) for s in ("Killed", "Timeout", "Survived", "NoCoverage")]
                rows = [r for r in rows if r[0] != name] + [row]
                items = [i for i in items if not i.startswith(f"- {name}:")]
                for m in ms:
                    if m["status"] in ("Survived", "NoCoverage"):
                        items.append(f"- {name}:{m['location']['start']['line']} {m['mutatorName']} ({m['status']}): "
                                     f"`{shown(m.get('replacement', ''))}`")
        rows.sort(key=lambda r: r[0])
        items.sort(key=lambda i: (i[2:].split(":")[0], int(i[2:].split(":")[1].split(" ")[0])))
        survivors = []
        for text in items:
            m = SURVIVOR.match(text)
            if not m:
                raise SystemExit(f"{path}: cannot read the survivor line: {text}")
            where = f"{m['file']}:{m['line']}"
            why = lookup(reasons, where, m["mutator"], m["text"])
            test = None if why else lookup(kills, where, m["mutator"], m["text"])
            survivors.append((m["file"], m["line"], m["mutator"], m["status"], m["text"], why, test))
        per_file = {}
        for f, _, _, _, _, why, test in survivors:
            e, x = per_file.get(f, (0, 0))
            per_file[f] = (e + (why is not None), x + (test is not None))
        totals = dict(k=0, t=0, s=0, n=0, e=0, x=0)
        new_rows = []
        for cells in rows:
            name, tag = cells[0], cells[1]
            k, t, s, n = (int(c) for c in cells[2:6])
            e, x = per_file.get(name, (0, 0))
            for key, v in zip("ktsnex", (k, t, s, n, e, x)):
                totals[key] += v
            new_rows.append(f"| {name} | {tag} | {k} | {t} | {s} | {n} | {e} | {x} | {score(k, t, s, n):.1f}% | "
                            f"{score(k, t, s, n, e):.1f}% | {score(k, t, s, n, e, x):.1f}% |")
        tt = totals
        out.append(f"## {project}: {score(tt['k'], tt['t'], tt['s'], tt['n']):.1f}% "
                   f"({score(tt['k'], tt['t'], tt['s'], tt['n'], tt['e']):.1f}% less equivalents, "
                   f"{score(tt['k'], tt['t'], tt['s'], tt['n'], tt['e'], tt['x']):.1f}% with kills since)")
        for s in before_table:
            if s.startswith("Killed "):
                s = wrap(f"Killed {tt['k']}, timeout {tt['t']}, survived {tt['s']}, no coverage {tt['n']} "
                         f"({tt['e']} of the survivors and uncovered explained as equivalent, {tt['x']} killed by tests written since).")
            out.append(s)
        out.append("| file | run | killed | timeout | survived | no coverage | equivalent | killed since | score | less equivalents | "
                   "with kills since |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        out.extend(new_rows)
        out.extend(between)
        out.append(f"### Surviving and uncovered mutants ({len(survivors)})")
        while intro and intro[-1].strip() == "":
            intro.pop()
        out.extend(intro if intro else [""])
        if intro:
            out.append("")
        for f, line_no, mutator, status, text, why, test in survivors:
            out.append(wrap(f"- {f}:{line_no} {mutator} ({status}): `{text}`" + (f" — equivalent: {why}" if why else "")
                            + (f" — killed since by {test}" if test else ""), "  "))
        out.append("")
        out.extend(after)
        i = end
    open(path, "w", encoding="utf-8").write("\n".join(out))


args, reports = sys.argv[1:], []
while args and args[0] == "--report":
    reports.append(args[1])
    args = args[2:]
for p in args:
    rewrite(p)
