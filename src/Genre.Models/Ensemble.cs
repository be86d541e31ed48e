using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models.Backend;

namespace Genre.Models;

/// <summary>
/// A trained classifier as read from disk: one model, or an ensemble of models trained alike from different seeds whose
/// prediction is the mean of the members' softmax probabilities (what Keras' <c>Average</c> layer over the members' outputs
/// computes). Members share their input, their classes and their preprocessing.
/// </summary>
public sealed record StoredClassifier(Seq<StoredModel> Members)
{
    /// <summary>The first member's spec: every member reads the same input and predicts the same classes.</summary>
    public Sequential Spec => Members.Head.Spec;

    /// <summary>The members' preprocessing (the same for all of them).</summary>
    public Option<Preprocessing> Preprocessing => Members.Head.Preprocessing;

    /// <summary>More than one member.</summary>
    public bool IsEnsemble => Members.Count > 1;

    /// <summary>One model as a classifier.</summary>
    public static StoredClassifier Of(StoredModel model) => new(Seq1(model));

    /// <summary>"tabular" or "an ensemble of 5 tabular models".</summary>
    public string Describe() => IsEnsemble ? $"an ensemble of {Members.Count} {Spec.Name} models" : Spec.Name;
}

/// <summary>
/// An ensemble folder: <c>ensemble.json</c> (checksummed; format <see cref="Format"/>) lists member model folders inside it
/// (<see cref="ModelFolder"/>, e.g. <c>member-1</c>), each a complete model folder. It is written after every member is saved,
/// so a folder with it is a finished ensemble. Members must read the same input, predict the same classes, and carry the same
/// <c>preprocessing.json</c> byte for byte; anything else is an error naming the member.
/// </summary>
public static class EnsembleFolder
{
    /// <summary>The file that makes a folder an ensemble.</summary>
    public const string FileName = "ensemble.json";

    /// <summary>The file's format tag.</summary>
    public const string Format = "genre-ensemble-1";

    /// <summary>Whether <paramref name="dir"/> holds an ensemble (has <see cref="FileName"/>).</summary>
    public static bool Is(string dir) => File.Exists(Path.Combine(dir, FileName));

    /// <summary>Member <paramref name="k"/>'s folder name (1-based): <c>member-k</c>.</summary>
    public static string MemberName(int k) => $"member-{k}";

    /// <summary>Records <paramref name="members"/> (folder names inside <paramref name="dir"/>) as the ensemble, atomically.</summary>
    public static Fin<Unit> Save(string dir, Seq<string> members) =>
        ChecksummedJson.Write(Path.Combine(dir, FileName), new JsonObject
        {
            ["format"] = Format,
            ["combine"] = "mean of the members' probabilities",
            ["members"] = new JsonArray(members.Map(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        }, indented: true);

    /// <summary>The member folders' names, checked: at least one, each a plain name inside the folder, none twice.</summary>
    public static Fin<Seq<string>> Members(string dir)
    {
        var path = Path.Combine(dir, FileName);
        return from found in ChecksummedJson.Read(path)
               from o in found.ToFin(GenreError.Io($"{path}: not found"))
               from _ in Json.String(o, "format") == Some(Format)
                   ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{path}: not a {Format} file (format '{Json.String(o, "format").IfNone("?")}')"))
               from names in Json.Array(o, "members").Bind(a => a.Select(Json.String).ToSeq().Sequence())
                   .ToFin(GenreError.Model($"{path}: members is not a list of folder names — the file is damaged"))
               from __ in names.IsEmpty
                   ? FinFail<Unit>(GenreError.Model($"{path}: the ensemble has no members — the file is damaged"))
                   : names.Find(n => !IsPlainName(n)).Match(
                       bad => FinFail<Unit>(GenreError.Model($"{path}: member '{bad}' is not a folder name inside the ensemble")),
                       () => names.Distinct().Count() == names.Count
                           ? FinSucc(unit)
                           : FinFail<Unit>(GenreError.Model($"{path}: a member is listed twice — the file is damaged")))
               select names;
    }

    static bool IsPlainName(string n) =>
        n.Length > 0 && n != "." && n != ".." && n.IndexOfAny(['/', '\\']) < 0 && n.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    /// <summary>Every member loaded and checked against the first.</summary>
    public static Fin<StoredClassifier> Load(string dir, Data.Stages.StageRegistry? registry = null) =>
        from names in Members(dir)
        from members in names.Map(n => ModelFolder.Load(Path.Combine(dir, n), registry)).Sequence()
        from _ in names.Zip(members).Tail.Fold(FinSucc(unit),
            (acc, m) => acc.Bind(__ => Alike(dir, names.Head, members.Head, m.Item1, m.Item2)))
        select new StoredClassifier(members);

    static Fin<Unit> Alike(string dir, string firstName, StoredModel first, string name, StoredModel m)
    {
        var at = Path.Combine(dir, name);
        if (m.Spec.InputShape != first.Spec.InputShape)
            return GenreError.Model($"{at}: reads input ({string.Join(", ", m.Spec.InputShape)}) but {firstName} reads " +
                                    $"({string.Join(", ", first.Spec.InputShape)}); an ensemble's members read the same input");
        if (m.Spec.Classes() != first.Spec.Classes())
            return GenreError.Model($"{at}: predicts {Shown(m.Spec.Classes())} classes but {firstName} predicts " +
                                    $"{Shown(first.Spec.Classes())}");
        var same = (m.Preprocessing.Map(p => p.ToJson().ToJsonString()), first.Preprocessing.Map(p => p.ToJson().ToJsonString())) switch
        {
            ({ IsNone: true }, { IsNone: true }) => true,
            ({ Case: string a }, { Case: string b }) => a == b,
            _ => false,
        };
        return same
            ? FinSucc(unit)
            : GenreError.Model($"{Path.Combine(at, Data.Preprocessing.FileName)}: not the preprocessing of {firstName}; " +
                               "an ensemble's members are trained on the same data");
    }

    static string Shown(Option<int> classes) => classes.Map(c => c.ToString()).IfNone("no");
}

/// <summary>Loading and running a classifier whichever it is: a model folder, a TF2 SavedModel, or an ensemble folder.</summary>
public static class Classifiers
{
    /// <summary>An ensemble folder (it has <c>ensemble.json</c>), else one model (<see cref="ModelFolder.LoadAny"/>).</summary>
    public static Fin<StoredClassifier> Load(string dir) =>
        EnsembleFolder.Is(dir) ? EnsembleFolder.Load(dir) : ModelFolder.LoadAny(dir).Map(StoredClassifier.Of);

    /// <summary>
    /// The classifier's probabilities for <paramref name="rows"/> inputs (rows × classes, row-major): one model's softmax, or the
    /// <see cref="Mean"/> of the members'. Each member is compiled, run and disposed in turn.
    /// </summary>
    public static Fin<float[]> Predict(IBackend backend, StoredClassifier c, float[] x, int rows, int batchSize = 10_000) =>
        c.Members.Map(m => backend.Load(m.Spec, m.Weights).Use(model => FinSucc(model.Predict(x, rows, batchSize))))
            .Sequence()
            .Map(probabilities => c.IsEnsemble ? Mean(probabilities) : probabilities.Head);

    /// <summary>The element-wise mean of equally long probability arrays: summed in order in float64, then rounded to float32.</summary>
    public static float[] Mean(Seq<float[]> members)
    {
        var sum = new double[members.Head.Length];
        foreach (var p in members)
            for (var i = 0; i < p.Length; i++) sum[i] += p[i];
        return System.Array.ConvertAll(sum, v => (float)(v / members.Count));
    }
}
