namespace Genre.Data;

/// <summary>Made-up artist, album and track names with the real file's quirks: ';' between artists, commas, quotes, non-ASCII.</summary>
internal static class SyntheticNames
{
    static readonly string[] Syllables =
        ["ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "da", "ré", "zo", "ñu", "bel", "mar", "tin", "ös", "gra", "fy", "lu", "ch"];
    static readonly string[] Words =
        ["Love", "Night", "Dream", "Fire", "Blue", "Heart", "Road", "Summer", "Rain", "Gold", "Wild", "Home", "Light", "Dance", "Moon",
         "Corazón", "Nuit", "Träume", "夜", "사랑", "Água", "Señor", "Zürich", "Ölüm", "Smile"];
    static readonly string[] Extras =
        ["", "", "", "", " (Remastered)", " - Live", ", Pt. 2", " \"Acoustic\"", " (feat. DJ Ñ)", " - Radio Edit", "; Reprise", " 'Demo'"];

    public static string Artist(SyntheticRandom r)
    {
        var n = 2 + r.Next(3);
        var s = "";
        for (var i = 0; i < n; i++) s += Syllables[r.Next(Syllables.Length)];
        s = char.ToUpperInvariant(s[0]) + s[1..];
        return r.Bernoulli(0.15) ? s + " & The " + Words[r.Next(Words.Length)] + "s" : s;
    }

    public static string Artists(SyntheticRandom r)
    {
        var n = r.Bernoulli(0.2) ? 2 + r.Next(2) : 1;
        return string.Join(";", Enumerable.Range(0, n).Select(_ => Artist(r)));
    }

    public static string Title(SyntheticRandom r)
    {
        var n = 1 + r.Next(3);
        var words = Enumerable.Range(0, n).Select(_ => Words[r.Next(Words.Length)]);
        return string.Join(" ", words) + Extras[r.Next(Extras.Length)];
    }

    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string TrackId(SyntheticRandom r) =>
        string.Create(22, r, (span, rnd) => { for (var i = 0; i < span.Length; i++) span[i] = Base62[rnd.Next(62)]; });
}
