using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Eval.Plans;

namespace Genre.Eval.Tests;

/// <summary>A plan as a Kubernetes Indexed Job (issue 26, point 4): the manifest's values, and its script run for each index
/// with a stand-in <c>genre</c> that records what it was asked to do.</summary>
public class KubernetesTests
{
    static Plan PaperPlan(string outDir = "/shared/out", string data = "/data/dataset.csv") =>
        Plan.Of(new PlanRequest(Seq("/usr/bin/dotnet", "/opt/genre/genre.dll"), "paper", Ok(SeedFolder.Parse("1,2")),
                Ok(Experiments.Only(Some("softmax,rnn2"))), outDir, data, None, None),
            s => Ok(Profiles.ByName("paper", s)), Seq<(int, string)>());

    static JsonObject Container(JsonObject job) => job["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();

    [Fact]
    public void The_train_job_is_indexed_one_completion_per_unit_with_the_output_and_data_claims_at_their_paths()
    {
        var plan = PaperPlan();
        var job = Kubernetes.TrainJob(plan);
        Assert.Equal("batch/v1", (string?)job["apiVersion"]);
        Assert.Equal("Job", (string?)job["kind"]);
        Assert.Equal(Slurm.JobName("/shared/out"), (string?)job["metadata"]!["name"]);
        Assert.Equal("Indexed", (string?)job["spec"]!["completionMode"]);
        Assert.Equal(4, (int)job["spec"]!["completions"]!);
        var mounts = Container(job)["volumeMounts"]!.AsArray().Select(m => ((string)m!["name"]!, (string)m["mountPath"]!));
        Assert.Equal(new[] { ("genre-out", "/shared/out"), ("genre-data", "/data") }, mounts);
        Assert.Equal("Never", (string?)job["spec"]!["template"]!["spec"]!["restartPolicy"]);
        var collect = Kubernetes.CollectJob(plan);
        Assert.Null(collect["spec"]!["completionMode"]);
        Assert.Contains("exec genre reproduce --profile paper --collect --out /shared/out", (string)Container(collect)["command"]![2]!);

        // data inside the output folder: one claim
        var inside = Kubernetes.TrainJob(PaperPlan(data: "/shared/out/data/dataset.csv"));
        Assert.Single(Container(inside)["volumeMounts"]!.AsArray());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // the stand-in genre is made executable as a file mode
    public void Each_index_runs_its_units_command_with_the_images_genre_appending_to_the_units_log()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-k8s-" + Guid.NewGuid().ToString("N"));
        var bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        var shim = Path.Combine(bin, "genre");
        File.WriteAllText(shim, "#!/bin/bash\necho \"genre $*\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var plan = PaperPlan(Path.Combine(dir, "out"));
        Directory.CreateDirectory(Path.Combine(dir, "out", "logs"));
        var script = (string)Container(Kubernetes.TrainJob(plan))["command"]![2]!;

        foreach (var (unit, index) in plan.Units.Select((u, i) => (u, i)))
        {
            var (code, _) = Bash(script, bin, index.ToString());
            Assert.Equal(0, code);
            var log = File.ReadAllLines(unit.Log);
            Assert.Matches($@"^== \S+Z pod \S+, index {index}$", log[0]);
            Assert.Equal("genre " + string.Join(" ", unit.Command.Skip(2)) + " --threads 2", log[1]);
        }
        var (outOfRange, stderr) = Bash(script, bin, plan.Units.Count.ToString());
        Assert.Equal(2, outOfRange);
        Assert.Contains($"no unit for index '{plan.Units.Count}' (0-{plan.Units.Count - 1})", stderr);
    }

    [KubectlFact]
    public void Kubectl_decodes_both_manifests_as_batch_v1_jobs()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-k8s-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var plan = PaperPlan();
        foreach (var (name, job) in new[] { ("train", Kubernetes.TrainJob(plan)), ("collect", Kubernetes.CollectJob(plan)) })
        {
            var file = Path.Combine(dir, name + ".json");
            File.WriteAllText(file, job.ToJsonString());
            // --local: decoded by kubectl's own scheme, no API server (apply --dry-run=client needs one for discovery)
            var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "label", "--local", "-f", file, "checked=yes", "-o", "json" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
            var decoded = JsonNode.Parse(stdout)!;
            Assert.Equal("yes", (string?)decoded["metadata"]!["labels"]!["checked"]);
            // what the pods run and mount survives kubectl's decoding (which orders members its own way)
            Assert.Equal(Container(job)["command"]!.ToJsonString(), Container(decoded.AsObject())["command"]!.ToJsonString());
            Assert.Equal(Container(job)["volumeMounts"]!.AsArray().Count, Container(decoded.AsObject())["volumeMounts"]!.AsArray().Count);
            Assert.Equal((string?)job["spec"]!["completionMode"], (string?)decoded["spec"]!["completionMode"]);
            Assert.Equal((int?)job["spec"]!["completions"], (int?)decoded["spec"]!["completions"]);
        }
    }

    static (int Code, string Stderr) Bash(string script, string bin, string index)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment["JOB_COMPLETION_INDEX"] = index;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stderr);
    }

}

/// <summary>Needs kubectl on PATH (not a Debian 12 package this project installs); skipped by name otherwise.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "kubectl"))))
            Skip = "kubectl is not on PATH";
    }
}
