using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Genre.Data;

namespace Genre.Eval.Plans;

/// <summary>
/// How the batch jobs ask Slurm for resources: a partition (else the cluster's default), CPUs per task (each unit trains with
/// that many threads), a time limit per task (else the partition's), and how many tasks may run at once (else all).
/// </summary>
public sealed record SlurmOptions(Option<string> Partition, int CpusPerTask, Option<string> Time, Option<int> MaxParallel)
{
    /// <summary>Two CPUs per task: the configuration bench/results measures.</summary>
    public static readonly SlurmOptions Default = new(None, 2, None, None);

    /// <summary>The options checked as sbatch would read them; a usage error naming the option otherwise.</summary>
    public static Fin<SlurmOptions> Of(Option<string> partition, int cpusPerTask, Option<string> time, Option<int> maxParallel) =>
        partition.Exists(p => !Regex.IsMatch(p, "^[A-Za-z0-9_.,-]+$"))
            ? GenreError.Usage($"--partition: '{partition.IfNone("")}' is not a partition name (letters, digits, '_', '-', '.', ',')")
        : cpusPerTask < 1 ? GenreError.Usage($"--cpus-per-task: {cpusPerTask} is not a positive number of CPUs")
        : time.Exists(t => !IsTime(t))
            ? GenreError.Usage($"--time: '{time.IfNone("")}' is not a Slurm time limit (MINUTES, HH:MM:SS, D-HH:MM:SS or UNLIMITED)")
        : maxParallel.Exists(m => m < 1) ? GenreError.Usage($"--max-parallel: {maxParallel.IfNone(0)} is not a positive number of tasks")
        : FinSucc(new SlurmOptions(partition, cpusPerTask, time, maxParallel));

    // sbatch's formats: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S
    static bool IsTime(string t) =>
        t is "UNLIMITED" or "INFINITE" || Regex.IsMatch(t, @"^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$");
}

/// <summary>
/// A plan as Slurm batch scripts: one array job whose task K trains unit K (its own log in the output folder, as many threads as
/// the task has CPUs, requeued to resume from its checkpoint when the time limit nears) and one collect job, submitted after the
/// array has ended however it ended, that writes the reports and lists every unit that did not finish with its log.
/// </summary>
public static class Slurm
{
    /// <summary>The scripts' folder inside the output folder, and their names.</summary>
    public const string Folder = "slurm", ArrayFile = "train.sbatch", CollectFile = "collect.sbatch";

    /// <summary>How long before its time limit a task is told to stop: a paper RNN2 epoch on 2 cores takes about 7 s, so a task
    /// finishes its epoch and writes its checkpoint well within this.</summary>
    public const int WarnSeconds = 120;

    /// <summary>The jobs' name, one per output folder: what a rerun looks for in the queue before it submits again.</summary>
    public static string JobName(string outDir) => "genre-" + Crc32c.Hex(Crc32c.Compute(Encoding.UTF8.GetBytes(outDir)));

    /// <summary>The collect job's name.</summary>
    public static string CollectName(string outDir) => JobName(outDir) + "-collect";

    /// <summary>The array job over every unit of <paramref name="plan"/> (task K = unit K, 1-based); the plan must have units.</summary>
    public static string ArrayScript(Plan plan, SlurmOptions o)
    {
        var k = plan.Units.Count;
        var outDir = plan.Request.OutDir;
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"# genre reproduce --slurm: {k} unit(s) of {outDir}, one per array task ")
          .Append("(task K is line K + 1 of plan.tsv).\n")
          .Append("# Written by genre; running the same reproduce command again writes it over what is still missing.\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={JobName(outDir)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=1-{k}{o.MaxParallel.Map(m => $"%{m}").IfNone("")}\n");
        Resources(sb, o);
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(outDir, Plan.LogsFolder, "slurm-%A_%a.out")}\n");
        sb.Append("#SBATCH --open-mode=append\n#SBATCH --requeue\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --signal=B:USR1@{WarnSeconds}\n");
        sb.Append("set -u\ncase \"${SLURM_ARRAY_TASK_ID:-}\" in\n");
        foreach (var (u, i) in plan.Units.Select((u, i) => (u, i)))
            sb.Append(CultureInfo.InvariantCulture, $"  {i + 1}) unit={Shell.Quote(u.Name)}; log={Shell.Quote(u.Log)}\n")
              .Append(CultureInfo.InvariantCulture, $"     cmd=({Shell.Line(u.Command)}) ;;\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"  *) echo \"genre: no unit for array task '${{SLURM_ARRAY_TASK_ID:-}}' (tasks 1-{k})\" >&2; exit 2 ;;\n");
        sb.Append("esac\n");
        sb.Append(TaskBody);
        return sb.ToString();
    }

    // Why the signals go this way: --signal=B:USR1 reaches only this shell, WarnSeconds before the time limit; genre stops on
    // SIGINT after its current epoch with a checkpoint (exit 130), and the task is requeued to resume from it. scancel and
    // preemption send TERM to every process of the task, genre included, which stops the same way; such a task is not requeued
    // from here (a preempting cluster requeues it itself; a cancelled one is resubmitted by running reproduce again).
    const string TaskBody = """
        exec >>"$log" 2>&1
        echo "== $(date -u +%FT%TZ) $unit: task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID} on $(hostname -s)," \
          "${SLURM_CPUS_PER_TASK:-1} thread(s), restart ${SLURM_RESTART_COUNT:-0}"
        pid=
        requeue=0
        trap 'requeue=1; [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null' USR1
        trap '[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null' TERM
        "${cmd[@]}" --threads "${SLURM_CPUS_PER_TASK:-1}" &
        pid=$!
        wait "$pid"
        # a trapped signal ends wait early: wait until genre has exited; bash keeps its status for the last wait
        while kill -0 "$pid" 2>/dev/null; do wait "$pid"; done
        wait "$pid"; rc=$?
        echo "== $(date -u +%FT%TZ) $unit: exit $rc"
        if [ "$requeue" = 1 ] && [ "$rc" = 130 ]; then
          echo "== time limit near: requeued, to resume from the checkpoint"
          scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}" && exit 0
        fi
        exit "$rc"

        """;

    /// <summary>
    /// The collect job: writes every seed folder's report and the mean ± sd report from what finished, then writes the plan again
    /// from the folders' state, which lists each unit that did not finish with its log; exits 1 when any did not.
    /// </summary>
    public static string CollectScript(Plan plan, SlurmOptions o)
    {
        var outDir = plan.Request.OutDir;
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"# genre reproduce --slurm: the collect step of {outDir}, submitted with ")
          .Append("--dependency=afterany:<the array job> so it runs\n# whether or not every unit finished.\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={CollectName(outDir)}\n");
        Resources(sb, o);
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(outDir, Plan.LogsFolder, "collect-%j.out")}\n");
        sb.Append("set -u\n");
        sb.Append(CultureInfo.InvariantCulture, $"collect=({Shell.Line(plan.Collect)})\n");
        sb.Append(CultureInfo.InvariantCulture, $"again=({Shell.Line(plan.Again)})\n");
        sb.Append(CultureInfo.InvariantCulture, $"tsv={Shell.Quote(Path.Combine(outDir, Plan.TsvFile))}\n");
        sb.Append(CollectBody);
        return sb.ToString();
    }

    const string CollectBody = """
        echo "== $(date -u +%FT%TZ) collect: job ${SLURM_JOB_ID:-?} on $(hostname -s)"
        "${collect[@]}" --threads "${SLURM_CPUS_PER_TASK:-1}"
        collected=$?
        echo "== units that did not finish (the plan written again from the folders):"
        "${again[@]}" || exit $?
        left=$(( $(wc -l < "$tsv") - 1 ))
        if [ "$left" -gt 0 ]; then
          echo "genre: $left unit(s) did not finish (above, each with its log);" \
            "run the same reproduce --slurm --submit again to resubmit them" >&2
          exit 1
        fi
        exit "$collected"

        """;

    static void Resources(StringBuilder sb, SlurmOptions o)
    {
        foreach (var p in o.Partition) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={p}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={o.CpusPerTask}\n");
        foreach (var t in o.Time) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={t}\n");
    }
}
