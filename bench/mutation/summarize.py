#!/usr/bin/env python3
"""bench/results/mutation.md from Stryker's JSON reports (mutation-testing-elements schema): score per project and per file,
and every surviving mutant (file:line, mutator, replacement) with the reason it is equivalent when equivalent.txt gives one.

On 2 cores Stryker runs a folder at a time (bench/mutation/run with MUTATION_TAG and --mutate), so a project may have several
reports under out/<project>/<tag>/; for each source file the newest report that mutated it wins, and files no report mutated
are listed as not measured."""
import glob, json, os, sys, textwrap

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))


def equivalents():
    """equivalent.txt: 'file:line | mutator | why the mutant cannot change behaviour' (file relative to src/<project>/)."""
    reasons = {}
    path = os.path.join(here, "equivalent.txt")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                where, mutator, why = (p.strip() for p in line.split("|", 2))
                reasons[(where, mutator)] = why
    return reasons


def relative(path, project):
    marker = f"/src/{project}/"
    return path.split(marker, 1)[1] if marker in path else path


reasons = equivalents()
print("# Mutation testing (Stryker.NET)\n")
def wrap(text, indent=""):
    """The repository keeps lines within 140 columns, generated Markdown included."""
    return textwrap.fill(text, 140, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


print(wrap("`bench/mutation/run` (dotnet-stryker pinned in `.config/dotnet-tools.json`). Score = killed / (killed + survived + "
           "no coverage), timeouts counted as killed, as Stryker computes it; compile errors and ignored mutants excluded. "
           "*Score less equivalents* also leaves out the surviving mutants listed below as equivalent (no test can kill them).") + "\n")
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
    totals = dict(k=0, t=0, s=0, n=0, e=0)
    for name, f in sorted(files.items()):
        status = [m["status"] for m in f["mutants"]]
        k, t = status.count("Killed"), status.count("Timeout")
        s, n = status.count("Survived"), status.count("NoCoverage")
        e = 0
        for m in f["mutants"]:
            if m["status"] in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                why = reasons.get((f"{name}:{line}", m["mutatorName"]))
                e += why is not None
                survivors.append((name, line, m["mutatorName"], m["status"], m.get("replacement", ""), why))
        for key, v in zip("ktsne", (k, t, s, n, e)):
            totals[key] += v
        if k + t + s + n:
            rows.append((name, tags[name], k, t, s, n, e))

    def score(k, t, s, n, e=0):
        d = k + t + s + n - e
        return 100.0 * (k + t) / d if d else 100.0

    tt = totals
    print(f"## {project}: {score(tt['k'], tt['t'], tt['s'], tt['n']):.1f}% "
          f"({score(tt['k'], tt['t'], tt['s'], tt['n'], tt['e']):.1f}% less equivalents)\n")
    print(f"Killed {tt['k']}, timeout {tt['t']}, survived {tt['s']}, no coverage {tt['n']} "
          f"({tt['e']} of the survivors and uncovered explained as equivalent).\n")
    src = os.path.join(root, "src", project)
    measured = set(files)
    unmeasured = sorted(os.path.relpath(p, src) for p in glob.glob(os.path.join(src, "**", "*.cs"), recursive=True)
                        if "/obj/" not in p and "/bin/" not in p and os.path.relpath(p, src) not in measured)
    if unmeasured:
        print(wrap(f"Not measured (not in any run's `--mutate` scope): {', '.join(unmeasured)}.") + "\n")
    print("| file | run | killed | timeout | survived | no coverage | equivalent | score | less equivalents |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, tag, k, t, s, n, e in rows:
        print(f"| {name} | {tag} | {k} | {t} | {s} | {n} | {e} | {score(k, t, s, n):.1f}% | {score(k, t, s, n, e):.1f}% |")
    print(f"\n### Surviving and uncovered mutants ({len(survivors)})\n")
    for name, line, mutator, status, replacement, why in survivors:
        text = replacement.replace("\n", " ").replace("`", "'")
        text = text if len(text) <= 70 else text[:67] + "..."
        print(wrap(f"- {name}:{line} {mutator} ({status}): `{text}`" + (f" — equivalent: {why}" if why else ""), "  "))
    print()
