using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;

namespace Genre.Eval.Plans;

/// <summary>Experiments already finished in a multi-seed output: what a plan leaves out.</summary>
public static class PlanFolders
{
    /// <summary>
    /// The (seed, experiment) pairs of <paramref name="seeds"/> × <paramref name="experiments"/> finished in
    /// <paramref name="outDir"/> with the profile's settings — what <c>reproduce</c> itself would skip: a finished marker with
    /// these settings, or a recorded ensemble. A damaged folder is its error (exit 5), as in <c>reproduce</c>.
    /// </summary>
    public static Fin<Seq<(int Seed, string Experiment)>> Finished(string outDir, Func<int, Profile> profileFor, Seq<int> seeds,
                                                                   Seq<Experiment> experiments) =>
        seeds.Bind(seed => experiments.Map(e => (Seed: seed, Experiment: e)))
            .Map(p => Done(Path.Combine(SeedFolder.Path(outDir, p.Seed), p.Experiment.Name), p.Experiment, profileFor(p.Seed))
                .Map(done => (p.Seed, p.Experiment.Name, Done: done)))
            .Sequence()
            .Map(all => all.Filter(x => x.Done).Map(x => (x.Seed, x.Name)).Strict());

    static Fin<bool> Done(string dir, Experiment e, Profile profile) =>
        Runners.OfNetworks(e).Finished(e, profile.SettingsFor(e), dir);

    /// <summary>plan.json and plan.tsv in the output folder, the Kubernetes Jobs in its kubernetes/ (each written whole or not at
    /// all; the train Job only when the plan has units), and its logs folder.</summary>
    public static Fin<Unit> Write(Plan plan)
    {
        var k8s = Path.Combine(plan.Request.OutDir, Kubernetes.Folder);
        var train = Path.Combine(k8s, Kubernetes.TrainFile);
        return from _1 in AtomicFile.WriteAllText(Path.Combine(plan.Request.OutDir, Plan.JsonFile), Indented(plan.Json()))
               from _2 in AtomicFile.WriteAllText(Path.Combine(plan.Request.OutDir, Plan.TsvFile), plan.Tsv())
               from _3 in plan.Units.IsEmpty ? Remove(train) : AtomicFile.WriteAllText(train, Indented(Kubernetes.TrainJob(plan)))
               from _4 in AtomicFile.WriteAllText(Path.Combine(k8s, Kubernetes.CollectFile), Indented(Kubernetes.CollectJob(plan)))
               from _5 in Folder(Path.Combine(plan.Request.OutDir, Plan.LogsFolder))
               select unit;
    }

    // for people and kubectl alike: a script's quotes and redirections as written, not as \u0022 and \u003E
    static string Indented(JsonNode json) =>
        json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    /// <summary>The Slurm scripts in <c>outDir/slurm</c> (the array's only when the plan has units), each written whole or not at
    /// all.</summary>
    public static Fin<(Option<string> Array, string Collect)> WriteSlurm(Plan plan, SlurmOptions o)
    {
        var dir = Path.Combine(plan.Request.OutDir, Slurm.Folder);
        var array = Path.Combine(dir, Slurm.ArrayFile);
        var collect = Path.Combine(dir, Slurm.CollectFile);
        return from _1 in plan.Units.IsEmpty ? Remove(array) : AtomicFile.WriteAllText(array, Slurm.ArrayScript(plan, o))
               from _2 in AtomicFile.WriteAllText(collect, Slurm.CollectScript(plan, o))
               select (plan.Units.IsEmpty ? Option<string>.None : Some(array), collect);
    }

    // an array script or Job left from an earlier plan would train units that have finished since
    static Fin<Unit> Remove(string path) => Files.Delete(path, "the old plan's file");

    /// <summary>Slurm opens a job's log before the job runs: its folder must exist at submission.</summary>
    internal static Fin<Unit> Folder(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return GenreError.Io($"{dir}: cannot create the folder ({GenreError.Reason(e)})");
        }
    }
}

