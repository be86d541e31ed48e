using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Genre.Eval.Plans;

/// <summary>
/// A plan as Kubernetes Jobs (written by <c>--plan</c> beside plan.tsv): an Indexed Job whose pod with
/// <c>JOB_COMPLETION_INDEX</c> = K − 1 trains unit K (as array task K does under Slurm), and a collect Job to apply once it has
/// completed. The pods run <c>genre</c> from an image that has it on PATH, the output folder mounted from a ReadWriteMany claim at
/// the path the plan names, and the data's folder from a read-only claim at its path, so every command runs as written.
/// </summary>
public static class Kubernetes
{
    /// <summary>The manifests' folder inside the output folder, and their names.</summary>
    public const string Folder = "kubernetes", TrainFile = "train-job.json", CollectFile = "collect-job.json";

    /// <summary>The image the manifests name: one the user builds with genre on PATH (README, "On a Slurm cluster").</summary>
    public const string Image = "genre:0.1.0";

    /// <summary>The claims the pods mount: the output folder's (ReadWriteMany) and the data's (ReadOnlyMany).</summary>
    public const string OutClaim = "genre-out", DataClaim = "genre-data";

    /// <summary>Threads (and CPUs requested) per pod: the configuration bench/results measures.</summary>
    public const int Threads = 2;

    /// <summary>The Indexed Job over every unit of <paramref name="plan"/> (index K − 1 = unit K); the plan must have units.</summary>
    public static JsonObject TrainJob(Plan plan)
    {
        var sb = new StringBuilder("set -u\ncase \"${JOB_COMPLETION_INDEX:-}\" in\n");
        foreach (var (u, i) in plan.Units.Select((u, i) => (u, i)))
            sb.Append(CultureInfo.InvariantCulture, $"  {i}) log={Shell.Quote(u.Log)}; cmd=({Shell.Line(InImage(u.Command, plan))}) ;;\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"  *) echo \"genre: no unit for index '${{JOB_COMPLETION_INDEX:-}}' (0-{plan.Units.Count - 1})\" >&2; exit 2 ;;\n");
        sb.Append("esac\n")
          .Append("echo \"== $(date -u +%FT%TZ) pod $(hostname), index $JOB_COMPLETION_INDEX\" >>\"$log\"\n")
          .Append(CultureInfo.InvariantCulture, $"exec \"${{cmd[@]}}\" --threads {Threads} >>\"$log\" 2>&1\n");
        return Job(Slurm.JobName(plan.Request.OutDir), plan, sb.ToString(), new JsonObject
        {
            ["completionMode"] = "Indexed",
            ["completions"] = plan.Units.Count,
            ["parallelism"] = plan.Units.Count,
            ["backoffLimitPerIndex"] = 3,
        });
    }

    /// <summary>The collect Job: apply it once the train Job has completed (<c>kubectl wait --for=condition=complete</c>).</summary>
    public static JsonObject CollectJob(Plan plan) =>
        Job(Slurm.CollectName(plan.Request.OutDir), plan,
            $"exec {Shell.Line(InImage(plan.Collect, plan))} --threads {Threads.ToString(CultureInfo.InvariantCulture)}\n",
            new JsonObject { ["backoffLimit"] = 0 });

    /// <summary>The command with the image's <c>genre</c> in place of the program that wrote the plan.</summary>
    static Seq<string> InImage(Seq<string> command, Plan plan) => Seq1("genre") + command.Skip(plan.Request.Genre.Count);

    static JsonObject Job(string name, Plan plan, string script, JsonObject spec)
    {
        var outDir = plan.Request.OutDir;
        var dataDir = Path.GetDirectoryName(plan.Request.Data)!;
        var inOut = dataDir == outDir || dataDir.StartsWith(outDir + "/", StringComparison.Ordinal);
        var mounts = new JsonArray(Mount(OutClaim, outDir, readOnly: false));
        var volumes = new JsonArray(Volume(OutClaim, readOnly: false));
        if (!inOut)
        {
            mounts.Add(Mount(DataClaim, dataDir, readOnly: true));
            volumes.Add(Volume(DataClaim, readOnly: true));
        }
        spec["template"] = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["restartPolicy"] = "Never",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "genre",
                    ["image"] = Image,
                    ["command"] = new JsonArray("bash", "-c", script),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = $"{Threads}" } },
                    ["volumeMounts"] = mounts,
                }),
                // SIGTERM on deletion or eviction: genre finishes its epoch and writes a checkpoint within this
                ["terminationGracePeriodSeconds"] = Slurm.WarnSeconds,
                ["volumes"] = volumes,
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = "genre" } },
            ["spec"] = spec,
        };
    }

    static JsonObject Mount(string claim, string path, bool readOnly) =>
        new() { ["name"] = claim, ["mountPath"] = path, ["readOnly"] = readOnly };

    static JsonObject Volume(string claim, bool readOnly) =>
        new() { ["name"] = claim, ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim, ["readOnly"] = readOnly } };
}
