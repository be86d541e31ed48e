namespace Genre.Data.Tests;

public class SyntheticTests
{
    [Fact]
    public void Same_seed_same_tracks_other_seed_other_tracks()
    {
        var a = Synthetic.Generate(5, 4);
        Assert.Equal(a, Synthetic.Generate(5, 4));
        Assert.NotEqual(a, Synthetic.Generate(6, 4));
    }

    [Fact]
    public void Has_the_real_files_shape_and_quirks()
    {
        var t = Synthetic.Generate(42, 50);
        Assert.Equal(114 * 50, t.Count);
        Assert.Equal(KaggleGenres.FileOrder, t.Map(x => x.TrackGenre).Distinct().ToSeq());
        Assert.Equal(Enumerable.Range(0, t.Count).Select(i => (long)i), t.Map(x => x.RowId));
        Assert.Single(t, x => x.Artists.IsNone && x.AlbumName.IsNone && x.TrackName.IsNone);
        Assert.True(Cleaning.DropDuplicates(t).Count < t.Count, "some exact duplicates");
        var crossGenre = t.GroupBy(x => x.TrackId).Count(g => g.Select(x => x.TrackGenre).Distinct().Count() > 1);
        Assert.InRange(crossGenre, t.Count / 50, t.Count / 5);
        var names = t.Choose(x => x.AlbumName).Concat(t.Choose(x => x.TrackName)).Concat(t.Choose(x => x.Artists)).ToList();
        Assert.Contains(names, n => n.Contains(','));
        Assert.Contains(names, n => n.Contains('"'));
        Assert.Contains(names, n => n.Contains(';'));
        Assert.Contains(names, n => n.Any(c => c > 127));
        Assert.All(t, x =>
        {
            Assert.InRange(x.Popularity, 0, 100);
            Assert.InRange(x.Danceability, 0, 1);
            Assert.InRange(x.Key, 0, 11);
            Assert.InRange(x.Loudness, -50, 0);
            Assert.InRange(x.Tempo, 0, 250);
            Assert.InRange(x.TimeSignature, 0, 5);
            Assert.True(x.DurationMs > 0);
            Assert.Equal(22, x.TrackId.Length);
        });
        Assert.Contains(t, x => x.Instrumentalness > 0 && x.Instrumentalness < 1e-4);
    }

    [Fact]
    public void Written_synthetic_files_load_back_identically()
    {
        var t = Synthetic.Generate(3, 6);
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "s.csv");
        Assert.True(TrackCsv.Save(path, t).IsSucc);
        Assert.Equal(t, Ok(TrackCsv.Load(path)));
        Assert.Single(Directory.GetFiles(dir)); // no temp file left behind
    }
}
