"""What summarize.py and triage.py share: the triage tables beside them, how a survivor is looked up in them, how a mutant's
replacement is shown, the scores and the 140-column wrapping."""
import os, textwrap

here = os.path.dirname(os.path.abspath(__file__))


def table(name):
    """equivalent.txt ('file:line | mutator | why the mutant cannot change behaviour') or killed.txt ('file:line | mutator | the
    test that fails with this mutant applied by hand'), file relative to src/<project>/: {(where, mutator): text}."""
    found = {}
    path = os.path.join(here, name)
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                where, mutator, value = (p.strip() for p in line.split("|", 2))
                found[(where, mutator)] = value
    return found


def lookup(found, where, mutator, text):
    """The entry for a survivor; a line with two mutants of one mutator names the one meant by its replacement
    ("Equality mutation `k < 0`")."""
    return found.get((where, f"{mutator} `{text}`")) or found.get((where, mutator))


def shown(replacement):
    """A mutant's replacement as the summaries list it: one line, no backticks, at most 70 characters."""
    text = replacement.replace("\n", " ").replace("`", "'")
    return text if len(text) <= 70 else text[:67] + "..."


def score(k, t, s, n, e=0, x=0):
    """Killed (with timeouts and x kills since) over all but the e equivalents, in per cent."""
    d = k + t + s + n - e
    return 100.0 * (k + t + x) / d if d else 100.0


def wrap(text, indent=""):
    """The repository keeps lines within 140 columns, generated Markdown included."""
    return textwrap.fill(text, 140, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
