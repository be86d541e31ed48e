using System.Text.Json.Nodes;
using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// Label reduction as a value: each source genre is merged into a target genre; unmapped genres stay themselves.
/// Valid mappings have no duplicate source, no source equal to its target, and no target that is itself merged away,
/// so <see cref="Apply"/> is idempotent.
/// </summary>
public sealed record GenreMapping(Map<string, string> Merges)
{
    /// <summary>The mapping that merges nothing: every genre stays itself (the full 114-genre task).</summary>
    public static readonly GenreMapping Identity = new(Map<string, string>());

    /// <summary>The report's merges (Spotify_Classification_reduce_genre.ipynb): 114 → 66 genres.</summary>
    public static readonly GenreMapping ReportMerges = Create(
        Targets("pop", "cantopop", "indie-pop", "j-pop", "k-pop", "pop-film", "power-pop", "synth-pop", "mandopop", "mpb")
        .Concat(Targets("country", "honky-tonk"))
        .Concat(Targets("rock", "psych-rock", "punk-rock", "rock-n-roll", "rockabilly", "alt-rock", "black-metal", "death-metal",
            "grindcore",
            "grunge", "hard-rock", "hardcore", "heavy-metal", "j-rock", "metal", "metalcore", "punk"))
        .Concat(Targets("house", "chicago-house", "progressive-house", "deep-house"))
        .Concat(Targets("dance", "club", "dancehall", "detroit-techno", "disco", "dub", "dubstep", "edm", "electro", "groove", "hardstyle",
            "hip-hop", "j-dance", "minimal-techno", "party", "samba", "salsa", "tango", "techno", "trance")))
        .Match(Succ: m => m, Fail: e => throw new InvalidOperationException(e.Head.Message));

    static IEnumerable<(string Source, string Target)> Targets(string target, params string[] sources) => sources.Select(s => (s, target));

    /// <summary>
    /// A mapping from (source genre → target genre) pairs. Fails with every problem at once (data errors naming
    /// <paramref name="origin"/>): a source mapped more than once, a source mapped to itself, a target that is itself merged away.
    /// </summary>
    public static Validation<Error, GenreMapping> Create(IEnumerable<(string Source, string Target)> pairs, string origin = "mapping") =>
        Create(pairs.Select(p => (p.Source, p.Target, origin)));

    /// <summary>Pairs with the place each came from (e.g. "file:line"), which the errors name.</summary>
    static Validation<Error, GenreMapping> Create(IEnumerable<(string Source, string Target, string Place)> pairs)
    {
        var list = pairs.ToList();
        var errors = new List<Error>();
        var sources = list.Select(p => p.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var dup in list.GroupBy(p => p.Source, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add(GenreError.Data(
                $"{dup.ElementAt(1).Place}: genre '{GenreError.Show(dup.Key)}' is mapped more than once " +
                    $"({string.Join(", ", dup.Select(p => GenreError.Show(p.Target)))})"));
        foreach (var (s, _, place) in list.Where(p => p.Source == p.Target))
            errors.Add(GenreError.Data($"{place}: genre '{GenreError.Show(s)}' is mapped to itself"));
        foreach (var (s, t, place) in list.Where(p => p.Source != p.Target && sources.Contains(p.Target)).DistinctBy(p => p.Target))
            errors.Add(GenreError.Data($"{place}: target '{GenreError.Show(t)}' (of '{GenreError.Show(s)}') is itself merged away"));
        return errors.Count > 0
            ? Fail<Error, GenreMapping>(toSeq(errors))
            : Success<Error, GenreMapping>(new GenreMapping(toMap(list.Select(p => (p.Source, p.Target)))));
    }

    /// <summary>Every genre the mapping names must be one of <paramref name="known"/>.</summary>
    public Validation<Error, GenreMapping> ValidateAgainst(IEnumerable<string> known, string origin = "mapping")
    {
        var set = known.ToHashSet(StringComparer.Ordinal);
        var unknown = Merges.Keys.Concat(Merges.Values).Distinct().Where(g => !set.Contains(g)).ToList();
        return unknown.Count == 0
            ? Success<Error, GenreMapping>(this)
            : Fail<Error, GenreMapping>(toSeq(unknown.Select(g => GenreError.Data($"{origin}: unknown genre '{GenreError.Show(g)}'"))));
    }

    /// <summary>Total: a genre not merged maps to itself.</summary>
    public string Apply(string genre) => Merges.Find(genre).IfNone(genre);

    /// <summary>Genres removed by the mapping (its sources).</summary>
    public Set<string> MergedAway => toSet(Merges.Keys);

    /// <summary>
    /// First <paramref name="first"/>, then <paramref name="second"/> (as two <c>.replace</c> calls in a row), validated:
    /// fails when <paramref name="second"/> merges a genre into one that <paramref name="first"/> merged away, since the
    /// result would not be a reduction (applying it twice would differ from applying it once).
    /// </summary>
    public static Validation<Error, GenreMapping> Compose(GenreMapping first, GenreMapping second) =>
        Create(first.Compose(second).Merges.AsEnumerable().Select(p => (p.Key, p.Value)), "composed mapping");

    /// <summary>
    /// First this, then <paramref name="then"/>: g ↦ then(this(g)), with identities dropped. This is the composed function
    /// as it is; use the static <see cref="Compose(GenreMapping, GenreMapping)"/> to have it checked as a reduction.
    /// </summary>
    public GenreMapping Compose(GenreMapping then)
    {
        var keys = Merges.Keys.Concat(then.Merges.Keys).Distinct();
        var pairs = keys.Select(k => (k, then.Apply(Apply(k)))).Where(p => p.k != p.Item2);
        return new GenreMapping(toMap(pairs));
    }

    /// <summary>The merges as a JSON object {source: target}, as model folders and experiment folders store them.</summary>
    public JsonObject ToJson() => new(Merges.AsEnumerable().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    /// <summary>The mapping a JSON object {source: target} holds, validated as
    /// <see cref="Create(IEnumerable{ValueTuple{string, string}}, string)"/>; an error names <paramref name="origin"/>.</summary>
    public static Fin<GenreMapping> FromJson(JsonNode? node, string origin) =>
        from o in Json.Object(node).ToFin(GenreError.Model($"{origin}: mapping is not an object — the file is damaged"))
        from pairs in o.Select(p => Json.String(p.Value).Map(v => (p.Key, v))).ToSeq().Sequence()
            .ToFin(GenreError.Model($"{origin}: mapping holds a value that is not a genre name — the file is damaged"))
        from m in Create(pairs, origin)
            .Match(FinSucc, errs => FinFail<GenreMapping>(GenreError.Model($"{origin}: mapping: {errs.Head.Message}")))
        select m;

    /// <summary>Reads "source,target" lines (a header line "source,target" and blank lines are skipped); errors name file:line.</summary>
    public static Validation<Error, GenreMapping> Load(string path) =>
        Files.ReadLines(path).Match(lines => Parse(lines, path), e => Fail<Error, GenreMapping>(e));

    static Validation<Error, GenreMapping> Parse(string[] lines, string path)
    {
        var pairs = new List<(string, string, string)>();
        var errors = new List<Error>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || (i == 0 && line.Equals("source,target", StringComparison.OrdinalIgnoreCase))) continue;
            var parts = line.Split(',');
            if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
                errors.Add(GenreError.Data($"{path}:{i + 1}: expected 'source,target', got '{GenreError.Show(line, 60)}'"));
            else pairs.Add((parts[0].Trim(), parts[1].Trim(), $"{path}:{i + 1}"));
        }
        return errors.Count > 0 ? Fail<Error, GenreMapping>(toSeq(errors)) : Create(pairs);
    }
}
