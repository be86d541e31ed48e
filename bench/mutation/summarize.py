#!/usr/bin/env python3
"""bench/results/mutation.md from Stryker's JSON reports (mutation-testing-elements schema): score per project and per file,
and every surviving mutant (file:line, mutator, replacement)."""
import glob, json, os, sys

out = sys.argv[1]
print("# Mutation testing (Stryker.NET)\n")
print("`bench/mutation/run` (dotnet-stryker pinned in `.config/dotnet-tools.json`). Score = killed / (killed + survived + "
      "no coverage), timeouts counted as killed, as Stryker computes it; compile errors and ignored mutants excluded.\n")
for project in sorted(os.listdir(out)):
    reports = sorted(glob.glob(os.path.join(out, project, "**", "mutation-report.json"), recursive=True))
    if not reports:
        continue
    report = json.load(open(reports[-1]))
    rows, survivors, totals = [], [], {"k": 0, "s": 0, "n": 0}
    for path, f in sorted(report["files"].items()):
        k = sum(m["status"] in ("Killed", "Timeout") for m in f["mutants"])
        s = sum(m["status"] == "Survived" for m in f["mutants"])
        n = sum(m["status"] == "NoCoverage" for m in f["mutants"])
        totals["k"] += k; totals["s"] += s; totals["n"] += n
        name = path.split("/src/")[-1] if "/src/" in path else path
        if k + s + n:
            rows.append((name, k, s, n, 100.0 * k / (k + s + n)))
        for m in f["mutants"]:
            if m["status"] in ("Survived", "NoCoverage"):
                survivors.append((name, m["location"]["start"]["line"], m["mutatorName"], m["status"], m.get("replacement", "")))
    total = totals["k"] + totals["s"] + totals["n"]
    print(f"## {project}: {100.0 * totals['k'] / max(total, 1):.1f}% ({totals['k']} killed of {total})\n")
    print("| file | killed | survived | no coverage | score |\n|---|---|---|---|---|")
    for name, k, s, n, score in rows:
        print(f"| {name} | {k} | {s} | {n} | {score:.1f}% |")
    print(f"\n### Surviving mutants ({len(survivors)})\n")
    for name, line, mutator, status, replacement in survivors:
        print(f"- {name}:{line} {mutator} ({status}): `{replacement[:80]}`")
    print()
