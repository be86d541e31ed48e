using FsCheck;
using FsCheck.Fluent;
using Genre.Data;

namespace Genre.Testing.Laws;

/// <summary>Laws a Kaggle-format CSV writer and reader obey together, as FsCheck properties over generated tracks.</summary>
public static class CsvLaws
{
    /// <summary>
    /// Reading what <paramref name="write"/> wrote gives the same tracks, also when the text is dressed as other tools write it
    /// (a BOM, CRLF line ends): names with quotes, commas, line breaks and non-ASCII letters survive.
    /// </summary>
    public static Property WriteThenReadIsTheIdentity(Func<Seq<Track>, string> write, Func<string, Fin<Seq<Track>>> read,
                                                      int maxRows = 12) =>
        Prop.ForAll(GenreArb.Tracks(maxRows), Arb.From(Gen.Elements(false, true).Two()), (tracks, dress) =>
            read(GenreArb.Dress(write(tracks), dress.Item1, dress.Item2)).Match(back => back == tracks, _ => false)
                .Label($"{tracks.Count} track(s), BOM {dress.Item1}, CRLF {dress.Item2}"));

    /// <summary>genre's own writer and reader (<see cref="TrackCsv"/>).</summary>
    public static Property GenresWriterAndReader(int maxRows = 12) =>
        WriteThenReadIsTheIdentity(tracks => TrackCsv.Format(tracks),
            text => ReportPipeline.ToFin(TrackCsv.Parse(text, "generated.csv")), maxRows);
}
