#!/usr/bin/env python3
"""bench/results/mutation.md from Stryker's JSON reports (mutation-testing-elements schema): score per project and per file,
and every surviving mutant (file:line, mutator, replacement) with the reason it is equivalent when equivalent.txt gives one.

On 2 cores Stryker runs a folder at a time (bench/mutation/run with MUTATION_TAG and --mutate), so a project may have several
reports under out/<project>/<tag>/; for each source file the newest report that mutated it wins, and files no report mutated
are listed as not measured."""
import glob, json, os, sys

from mutants import lookup, score, shown, table, wrap

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))


def relative(path, project):
    marker = f"/src/{project}/"
    return path.split(marker, 1)[1] if marker in path else path


reasons = table("equivalent.txt")
kills = table("killed.txt")
print("# Mutation testing (Stryker.NET)\n")
print(wrap("`bench/mutation/run` (dotnet-stryker pinned in `.config/dotnet-tools.json`). Score = killed / (killed + survived + "
           "no coverage), timeouts counted as killed, as Stryker computes it; compile errors and ignored mutants excluded. "
           "*Score less equivalents* also leaves out the surviving mutants listed below as equivalent (no test can kill them); "
           "*with kills since* also counts as killed the survivors a test written after the run kills (`bench/mutation/killed.txt`: "
           "the test fails with the mutant applied by hand).") + "\n")
notes = os.path.join(here, "notes.md")  # what was run and why (scope, machine), kept by hand beside the generated figures
if os.path.exists(notes):
    print(open(notes, encoding="utf-8").read().rstrip() + "\n")
for project in sorted(os.listdir(out)):
    reports = sorted(glob.glob(os.path.join(out, project, "**", "mutation-report.json"), recursive=True), key=os.path.getmtime)
    if not reports:
        continue
    files, tags = {}, {}
    for r in reports:  # oldest first: a newer report of the same file replaces the older one
        tag = os.path.relpath(r, os.path.join(out, project)).split(os.sep)[0]
        for path, f in json.load(open(r))["files"].items():
            if all(m["status"] in ("Ignored", "CompileError") for m in f["mutants"]):
                continue  # outside this run's --mutate scope: an earlier run's figures for the file stand
            files[relative(path, project)] = f
            tags[relative(path, project)] = tag
    rows, survivors = [], []
    totals = dict(k=0, t=0, s=0, n=0, e=0, x=0)
    for name, f in sorted(files.items()):
        status = [m["status"] for m in f["mutants"]]
        k, t = status.count("Killed"), status.count("Timeout")
        s, n = status.count("Survived"), status.count("NoCoverage")
        e = x = 0
        for m in f["mutants"]:
            if m["status"] in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                where, text = f"{name}:{line}", shown(m.get("replacement", ""))
                why = lookup(reasons, where, m["mutatorName"], text)
                test = None if why else lookup(kills, where, m["mutatorName"], text)
                e += why is not None
                x += test is not None
                survivors.append((name, line, m["mutatorName"], m["status"], text, why, test))
        for key, v in zip("ktsnex", (k, t, s, n, e, x)):
            totals[key] += v
        if k + t + s + n:
            rows.append((name, tags[name], k, t, s, n, e, x))

    tt = totals
    print(f"## {project}: {score(tt['k'], tt['t'], tt['s'], tt['n']):.1f}% "
          f"({score(tt['k'], tt['t'], tt['s'], tt['n'], tt['e']):.1f}% less equivalents, "
          f"{score(tt['k'], tt['t'], tt['s'], tt['n'], tt['e'], tt['x']):.1f}% with kills since)\n")
    print(wrap(f"Killed {tt['k']}, timeout {tt['t']}, survived {tt['s']}, no coverage {tt['n']} "
               f"({tt['e']} of the survivors and uncovered explained as equivalent, {tt['x']} killed by tests written since).") + "\n")
    src = os.path.join(root, "src", project)
    measured = set(files)
    unmeasured = sorted(os.path.relpath(p, src) for p in glob.glob(os.path.join(src, "**", "*.cs"), recursive=True)
                        if "/obj/" not in p and "/bin/" not in p and os.path.relpath(p, src) not in measured)
    if unmeasured:
        print(wrap(f"Not measured (not in any run's `--mutate` scope): {', '.join(unmeasured)}.") + "\n")
    print("| file | run | killed | timeout | survived | no coverage | equivalent | killed since | score | less equivalents | "
          "with kills since |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, tag, k, t, s, n, e, x in rows:
        print(f"| {name} | {tag} | {k} | {t} | {s} | {n} | {e} | {x} | {score(k, t, s, n):.1f}% | {score(k, t, s, n, e):.1f}% | "
              f"{score(k, t, s, n, e, x):.1f}% |")
    print(f"\n### Surviving and uncovered mutants ({len(survivors)})\n")
    for name, line, mutator, status, replacement, why, test in survivors:
        print(wrap(f"- {name}:{line} {mutator} ({status}): `{replacement}`" + (f" — equivalent: {why}" if why else "")
                   + (f" — killed since by {test}" if test else ""), "  "))
    print()
