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


def killed_since():
    """killed.txt: 'file:line | mutator | the test that fails with this mutant applied by hand' — survivors of a run that a test
    written after it kills (verified by hand, not yet by another Stryker run)."""
    tests = {}
    path = os.path.join(here, "killed.txt")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                where, mutator, test = (p.strip() for p in line.split("|", 2))
                tests[(where, mutator)] = test
    return tests


def relative(path, project):
    marker = f"/src/{project}/"
    return path.split(marker, 1)[1] if marker in path else path


reasons = equivalents()
kills = killed_since()
print("# Mutation testing (Stryker.NET)\n")
def wrap(text, indent=""):
    """The repository keeps lines within 140 columns, generated Markdown included."""
    return textwrap.fill(text, 140, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


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
                text = m.get("replacement", "").replace("\n", " ").replace("`", "'")
                text = text if len(text) <= 70 else text[:67] + "..."
                # a line with two mutants of one mutator names the one meant by its replacement: "Equality mutation `k < 0`"
                where, exact = f"{name}:{line}", (f"{name}:{line}", f"{m['mutatorName']} `{text}`")
                why = reasons.get(exact) or reasons.get((where, m["mutatorName"]))
                test = None if why else kills.get(exact) or kills.get((where, m["mutatorName"]))
                e += why is not None
                x += test is not None
                survivors.append((name, line, m["mutatorName"], m["status"], m.get("replacement", ""), why, test))
        for key, v in zip("ktsnex", (k, t, s, n, e, x)):
            totals[key] += v
        if k + t + s + n:
            rows.append((name, tags[name], k, t, s, n, e, x))

    def score(k, t, s, n, e=0, x=0):
        d = k + t + s + n - e
        return 100.0 * (k + t + x) / d if d else 100.0

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
        text = replacement.replace("\n", " ").replace("`", "'")
        text = text if len(text) <= 70 else text[:67] + "..."
        print(wrap(f"- {name}:{line} {mutator} ({status}): `{text}`" + (f" — equivalent: {why}" if why else "")
                   + (f" — killed since by {test}" if test else ""), "  "))
    print()
