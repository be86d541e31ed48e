using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Eval.Plans;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// What a plan writes, in full (Stryker over <c>Plans/</c> found the manifests, scripts and plan.json checked only by the values
/// the scheduler reads): the Kubernetes Jobs and Slurm scripts of a one-unit plan written out by hand, plan.json and plan.tsv of
/// a twin unit, the files <see cref="PlanFolders"/> writes and removes, and the local workers' events and processes.
/// </summary>
public class PlansMutationTests
{
    static readonly Seq<string> Dotnet = Seq("/usr/bin/dotnet", "/opt/genre/genre.dll");

    // the data beside the output folder, not in it: a name that only starts with the output folder's is another folder
    static Plan Softmax(string outDir = "/shared/out", string data = "/shared/out2/dataset.csv") =>
        Plan.Of(new PlanRequest(Dotnet, "paper", Seq1(1), Ok(Experiments.Only(Some("softmax"))), outDir, data, None, None),
            s => Ok(Profiles.ByName("paper", s)), Seq<(int, string)>());

    static string Relaxed(JsonNode n) =>
        n.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    static string Name(string outDir) => "genre-" + Crc32c.Hex(Crc32c.Compute(Encoding.UTF8.GetBytes(outDir)));

    const string Volumes = """
        "volumeMounts":[{"name":"genre-out","mountPath":"/shared/out","readOnly":false},
        {"name":"genre-data","mountPath":"/shared/out2","readOnly":true}]}],"terminationGracePeriodSeconds":120,
        "volumes":[{"name":"genre-out","persistentVolumeClaim":{"claimName":"genre-out","readOnly":false}},
        {"name":"genre-data","persistentVolumeClaim":{"claimName":"genre-data","readOnly":true}}]}}}}
        """;

    static string Manifest(string name, string spec, string script) =>
        Relaxed(JsonNode.Parse(("{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + name +
            "\",\"labels\":{\"app\":\"genre\"}},\"spec\":{" + spec + "\"template\":{\"spec\":{\"restartPolicy\":\"Never\"," +
            "\"containers\":[{\"name\":\"genre\",\"image\":\"genre:0.1.0\",\"command\":[\"bash\",\"-c\"," +
            JsonSerializer.Serialize(script) + "],\"resources\":{\"requests\":{\"cpu\":\"2\"}}," + Volumes).Replace("\n", ""))!);

    const string UnitArgs = "reproduce --profile paper --seeds 1 --only softmax --out /shared/out --data /shared/out2/dataset.csv";

    [Fact]
    public void The_train_job_is_the_manifest_written_out_in_full()
    {
        var script = "set -u\ncase \"${JOB_COMPLETION_INDEX:-}\" in\n" +
                     $"  0) log=/shared/out/logs/seed-1-softmax.log; cmd=(genre {UnitArgs} --no-report) ;;\n" +
                     "  *) echo \"genre: no unit for index '${JOB_COMPLETION_INDEX:-}' (0-0)\" >&2; exit 2 ;;\n" +
                     "esac\n" +
                     "echo \"== $(date -u +%FT%TZ) pod $(hostname), index $JOB_COMPLETION_INDEX\" >>\"$log\"\n" +
                     "exec \"${cmd[@]}\" --threads 2 >>\"$log\" 2>&1\n";
        var spec = "\"completionMode\":\"Indexed\",\"completions\":1,\"parallelism\":1,\"backoffLimitPerIndex\":3,";
        Assert.Equal(Manifest(Name("/shared/out"), spec, script), Relaxed(Kubernetes.TrainJob(Softmax())));
    }

    [Fact]
    public void The_collect_job_is_the_manifest_written_out_in_full()
    {
        var script = "exec genre reproduce --profile paper --collect --out /shared/out --data /shared/out2/dataset.csv --threads 2\n";
        Assert.Equal(Manifest(Name("/shared/out") + "-collect", "\"backoffLimit\":0,", script),
            Relaxed(Kubernetes.CollectJob(Softmax())));
    }

    [Fact]
    public void The_array_script_is_written_out_in_full_down_to_the_task_body()
    {
        var o = Ok(SlurmOptions.Of(Some("p1"), 3, Some("1:00:00"), Some(1)));
        var head = $$"""
            #!/bin/bash
            # genre reproduce --slurm: 1 unit(s) of /shared/out, one per array task (task K is line K + 1 of plan.tsv).
            # Written by genre; running the same reproduce command again writes it over what is still missing.
            #SBATCH --job-name={{Name("/shared/out")}}
            #SBATCH --array=1-1%1
            #SBATCH --partition=p1
            #SBATCH --cpus-per-task=3
            #SBATCH --time=1:00:00
            #SBATCH --output=/shared/out/logs/slurm-%A_%a.out
            #SBATCH --open-mode=append
            #SBATCH --requeue
            #SBATCH --signal=B:USR1@120
            set -u
            case "${SLURM_ARRAY_TASK_ID:-}" in
              1) unit=seed-1/softmax; log=/shared/out/logs/seed-1-softmax.log
                 cmd=(/usr/bin/dotnet /opt/genre/genre.dll {{UnitArgs}} --no-report) ;;
              *) echo "genre: no unit for array task '${SLURM_ARRAY_TASK_ID:-}' (tasks 1-1)" >&2; exit 2 ;;
            esac
            exec >>"$log" 2>&1

            """;
        Assert.StartsWith(head, Slurm.ArrayScript(Softmax(), o));
    }

    const string Dll = "/usr/bin/dotnet /opt/genre/genre.dll reproduce --profile paper";

    [Fact]
    public void The_collect_script_is_written_out_in_full_down_to_its_body()
    {
        var plan = Plan.Of(new PlanRequest(Dotnet, "paper", Seq1(1), Ok(Experiments.Only(Some("softmax"))), "/shared/out",
            "/data/d.csv", Some("/ref/am"), Some(3)), s => Ok(Profiles.ByName("paper", s)), Seq<(int, string)>());
        var head = $$"""
            #!/bin/bash
            # genre reproduce --slurm: the collect step of /shared/out, submitted with --dependency=afterany:<the array job> so it runs
            # whether or not every unit finished.
            #SBATCH --job-name={{Name("/shared/out")}}-collect
            #SBATCH --cpus-per-task=2
            #SBATCH --output=/shared/out/logs/collect-%j.out
            set -u
            collect=({{Dll}} --collect --out /shared/out --data /data/d.csv --authors-models /ref/am --threads 3)
            again=({{Dll}} --seeds 1 --only softmax --out /shared/out --data /data/d.csv --plan --authors-models /ref/am)
            tsv=/shared/out/plan.tsv
            echo "== $(date -u +%FT%TZ) collect: job ${SLURM_JOB_ID:-?} on $(hostname -s)"

            """;
        Assert.StartsWith(head, Slurm.CollectScript(plan, SlurmOptions.Default));
    }

    [Fact]
    public void Slurm_accepts_one_task_at_a_time_and_an_infinite_time_limit()
    {
        Assert.Equal(Some(1), Ok(SlurmOptions.Of(None, 1, None, Some(1))).MaxParallel);
        Assert.Equal(Some("INFINITE"), Ok(SlurmOptions.Of(None, 1, Some("INFINITE"), None)).Time);
    }

    [Fact]
    public void Plan_json_tsv_and_lines_carry_a_twin_unit_in_full()
    {
        var genre = Seq1("/opt/genre dir/genre");
        var request = new PlanRequest(genre, "paper", Seq(1, 2), Ok(Experiments.Only(Some("mlp,dnn1"))), "/shared/out",
            "/data/d.csv", Some("/ref/am"), Some(3));
        var plan = Plan.Of(request, s => Ok(Profiles.ByName("paper", s)), Seq((2, "mlp"), (2, "dnn1")));
        var settings = Ok(Profiles.ByName("paper", 1)).SettingsFor(Ok(Experiments.Only(Some("mlp"))).Head);
        var (epochs, batch) = (settings.Epochs, settings.BatchSize);
        var unitArgs = "\"reproduce\",\"--profile\",\"paper\",\"--seeds\",\"1\",\"--only\",\"mlp,dnn1\",\"--out\",\"/shared/out\"," +
                       "\"--data\",\"/data/d.csv\",\"--no-report\",\"--threads\",\"3\"";
        var line = "'/opt/genre dir/genre' reproduce --profile paper --seeds 1 --only mlp,dnn1 --out /shared/out --data /data/d.csv " +
                   "--no-report --threads 3";
        var collect = "'/opt/genre dir/genre' reproduce --profile paper --collect --out /shared/out --data /data/d.csv " +
                      "--authors-models /ref/am --threads 3";
        var expected = "{\"profile\":\"paper\",\"seeds\":[1,2],\"experiments\":[\"mlp\",\"dnn1\"],\"out\":\"/shared/out\"," +
            "\"data\":\"/data/d.csv\",\"finished\":[\"seed-2/mlp\",\"seed-2/dnn1\"],\"units\":[{\"index\":1," +
            "\"unit\":\"seed-1/mlp+dnn1\",\"seed\":1,\"experiments\":[\"mlp\",\"dnn1\"],\"cost\":\"dense\"," +
            $"\"epochs\":{epochs},\"batch_size\":{batch},\"log\":\"/shared/out/logs/seed-1-mlp+dnn1.log\"," +
            $"\"command\":[\"/opt/genre dir/genre\",{unitArgs}],\"command_line\":\"{line}\"}}]," +
            "\"collect\":{\"command\":[\"/opt/genre dir/genre\",\"reproduce\",\"--profile\",\"paper\",\"--collect\",\"--out\"," +
            "\"/shared/out\",\"--data\",\"/data/d.csv\",\"--authors-models\",\"/ref/am\",\"--threads\",\"3\"]," +
            $"\"command_line\":\"{collect}\"}}}}";
        Assert.Equal(expected, Relaxed(plan.Json()));
        Assert.Equal("index\tunit\tseed\texperiments\tcost\tepochs\tbatch_size\tlog\tcommand\n" +
                     $"1\tseed-1/mlp+dnn1\t1\tmlp,dnn1\tdense\t{epochs}\t{batch}\t/shared/out/logs/seed-1-mlp+dnn1.log\t{line}\n",
            plan.Tsv());
        Assert.Equal([$"seed-1/mlp+dnn1 (dense, {epochs} epochs) log: /shared/out/logs/seed-1-mlp+dnn1.log"], plan.Lines().ToArray());
        Assert.Equal(genre + Seq("reproduce", "--profile", "paper", "--seeds", "1,2", "--only", "mlp,dnn1", "--out", "/shared/out",
            "--data", "/data/d.csv", "--plan", "--authors-models", "/ref/am"), plan.Again);
    }

    [Fact]
    public void An_empty_word_is_quoted_so_a_shell_still_reads_a_word() => Assert.Equal("''", Shell.Quote(""));

    [Fact]
    public void Writing_a_plan_writes_its_files_indented_and_as_written_then_an_empty_plan_removes_the_train_files()
    {
        var outDir = GenreCli.TempDir("plans");
        var plan = Softmax(outDir, "/data/dataset.csv");
        Ok(PlanFolders.Write(plan));
        var train = Path.Combine(outDir, "kubernetes", "train-job.json");
        var text = File.ReadAllText(train);
        // indented for people, quotes and redirections as a script has them (not \u0022, \u003E), a newline at the end
        Assert.StartsWith("{\n  \"apiVersion\": \"batch/v1\",\n", text);
        Assert.Contains("echo \\\"== $(date -u +%FT%TZ) pod $(hostname), index $JOB_COMPLETION_INDEX\\\" >>\\\"$log\\\"", text);
        Assert.EndsWith("}\n", text);
        Assert.Equal(Relaxed(Kubernetes.TrainJob(plan)), Relaxed(JsonNode.Parse(text)!));
        Assert.True(File.Exists(Path.Combine(outDir, "kubernetes", "collect-job.json")));
        Assert.Equal(plan.Tsv(), File.ReadAllText(Path.Combine(outDir, "plan.tsv")));
        Assert.True(Directory.Exists(Path.Combine(outDir, "logs")));
        var (array, collect) = Ok(PlanFolders.WriteSlurm(plan, SlurmOptions.Default));
        Assert.Equal(Some(Path.Combine(outDir, "slurm", "train.sbatch")), array);
        Assert.Equal(Slurm.ArrayScript(plan, SlurmOptions.Default), File.ReadAllText(Path.Combine(outDir, "slurm", "train.sbatch")));
        Assert.Equal(Path.Combine(outDir, "slurm", "collect.sbatch"), collect);

        var none = plan with { Units = Seq<PlanUnit>() };
        Ok(PlanFolders.Write(none));
        Assert.False(File.Exists(train));
        Assert.Equal(Option<string>.None, Ok(PlanFolders.WriteSlurm(none, SlurmOptions.Default)).Array);
        Assert.False(File.Exists(Path.Combine(outDir, "slurm", "train.sbatch")));
        Assert.Equal(Slurm.CollectScript(none, SlurmOptions.Default), File.ReadAllText(collect));
    }

    [Fact]
    public void A_logs_folder_that_cannot_be_created_is_a_one_line_error()
    {
        var outDir = GenreCli.TempDir("plans");
        var logs = Path.Combine(outDir, "logs");
        File.WriteAllText(logs, "a file where the folder goes");
        var e = PlanFolders.Write(Softmax(outDir, "/data/dataset.csv"))
            .Match(_ => throw new Xunit.Sdk.XunitException("expected failure"), e => e);
        Assert.StartsWith($"{logs}: cannot create the folder (", e.Message);
    }

    [Fact]
    public void An_old_train_file_that_cannot_be_removed_is_a_one_line_error_saying_which_file_it_was()
    {
        // a folder where the empty plan's train Job would be removed: unlink refuses it (EISDIR) even for root
        var outDir = GenreCli.TempDir("plans");
        var train = Path.Combine(outDir, "kubernetes", "train-job.json");
        Directory.CreateDirectory(train);
        var none = Softmax(outDir, "/data/dataset.csv") with { Units = Seq<PlanUnit>() };
        var e = PlanFolders.Write(none).Match(_ => throw new Xunit.Sdk.XunitException("expected failure"), e => e);
        Assert.StartsWith($"{train}: cannot remove the old plan's file (", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void One_thread_per_unit_is_a_valid_choice() => Assert.Equal(new Workers(2, 1), Ok(Workers.Of(2, 8, Some(1))));

    sealed class Recorder : IProgress<WorkerEvent>
    {
        public readonly List<string> Events = [];
        public void Report(WorkerEvent e)
        {
            lock (Events)
                Events.Add(e switch
                {
                    UnitStarted s => $"started {s.Index} {s.Unit.Name} {s.Threads}",
                    UnitEnded d => $"ended {d.Outcome.Index} {d.Outcome.Describe()}",
                    _ => "?",
                });
        }
    }

    [Fact]
    public void One_lane_reports_each_unit_started_then_ended_with_its_1_based_index()
    {
        var plan = Plan.Of(new PlanRequest(Seq1("genre"), "paper", Seq(1, 2), Ok(Experiments.Only(Some("softmax"))), "/o", "/d/x.csv",
            None, None), s => Ok(Profiles.ByName("paper", s)), Seq<(int, string)>());
        var events = new Recorder();
        LocalWorkers.Run(plan, new Workers(1, 2), (u, _, _) => u.Seed + 3, events);
        Assert.Equal(["started 1 seed-1/softmax 2", "ended 1 exit 4", "started 2 seed-2/softmax 2", "ended 2 exit 5"], events.Events);
    }

    [Fact]
    public void A_units_log_is_written_through_so_the_unit_itself_reads_its_header()
    {
        var dir = GenreCli.TempDir("plans");
        var log = Path.Combine(dir, "logs", "u.log");
        // sh -c SCRIPT --threads 2: the unit prints its log's first line as it is when it starts. Not cat: cat would go on
        // reading the lines its own output appends, and print the header twice when the writer is faster than its next read
        var unit = new PlanUnit(1, Seq1("softmax"), CostClass.Dense, Ok(Profiles.ByName("paper", 1)).SettingsFor(
            Ok(Experiments.Only(Some("softmax"))).Head), Seq("/bin/sh", "-c", $"head -n 1 {Shell.Quote(log)}"), log);
        Assert.Equal(0, Ok(UnitProcess.Run(unit, 2, default)));
        var lines = File.ReadAllLines(log);
        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^== \S+Z seed-1/softmax: local worker \(process {Environment.ProcessId}\), 2 thread\(s\)$", lines[0]);
        Assert.Equal(lines[0], lines[1]);
        Assert.Matches(@"^== \S+Z seed-1/softmax: exit 0$", lines[2]);
    }

    [Fact]
    public void An_attached_command_gets_its_arguments_and_is_waited_for()
    {
        Assert.Equal(7, Ok(UnitProcess.Attached(Seq("/bin/sh", "-c", "sleep 0.2; exit $0", "7"))));
        var e = UnitProcess.Attached(Seq("/nonexistent/genre-x", "a b")).Match(_ => throw new Xunit.Sdk.XunitException("expected failure"),
            e => e);
        Assert.StartsWith("cannot run /nonexistent/genre-x 'a b' (", e.Message);
        Assert.EndsWith("No such file or directory)", e.Message);
    }

    [Fact]
    public void Training_units_with_nothing_to_train_gives_each_seed_its_run_unless_cancelled_first()
    {
        var tiny = Path.Combine(Inputs.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");
        var source = Ok(DataSource.Of(tiny));
        var outDir = GenreCli.TempDir("plans");
        var backend = new Genre.Models.Backend.Torch.TorchBackend();
        Func<int, Profile> profile = s => Ok(Profiles.ByName("paper", s));
        var runs = Ok(Reproduce.TrainUnits(backend, source, profile, Seq(1, 2), Seq<Experiment>(), outDir));
        Assert.Equal([1, 2], runs.Map(r => r.Seed).ToArray());
        Assert.All(runs, r => Assert.Empty(r.Result.Results));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Empty(Ok(Reproduce.TrainUnits(backend, source, profile, Seq(1, 2), Seq<Experiment>(), outDir, cancel: cancelled.Token)));
    }

    [Fact]
    public void A_unit_returns_only_the_experiments_it_was_given_not_the_others_finished_in_its_seed_folder()
    {
        var tiny = Path.Combine(Inputs.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");
        var source = Ok(DataSource.Of(tiny));
        var outDir = GenreCli.TempDir("plans-finished");
        var backend = new Genre.Models.Backend.Torch.TorchBackend();
        Func<int, Profile> profile = s => Profile.Of("tiny", "one epoch", new Settings(1, 256, s));
        Experiment Named(string name) => Experiments.OfReport.Find(e => e.Name == name).IfNone(() => throw new Exception(name));
        var first = Ok(Reproduce.TrainUnits(backend, source, profile, Seq1(1), Seq1(Named("softmax")), outDir));
        Assert.Equal(Seq1("softmax"), first.Head.Result.Results.Map(r => r.Experiment.Name));
        // softmax is now finished in seed-1 with these settings; a unit of dnn1 trains and returns dnn1 alone (a report's run
        // would add the finished softmax, re-scored)
        var second = Ok(Reproduce.TrainUnits(backend, source, profile, Seq1(1), Seq1(Named("dnn1")), outDir));
        Assert.Equal(Seq1("dnn1"), second.Head.Result.Results.Map(r => r.Experiment.Name));
    }
}
