using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;

namespace Genre.Eval.Plans;

/// <summary>
/// A multi-seed reproduce request as a plan sees it: how to call genre (<c>genre</c>, or <c>dotnet …/genre.dll</c>), the profile,
/// seeds and experiments asked for, and the absolute paths every unit's command names, so a unit runs alike from any folder of
/// any machine that sees the output folder.
/// </summary>
public sealed record PlanRequest(Seq<string> Genre, string Profile, Seq<int> Seeds, Seq<Experiment> Experiments, string OutDir,
                                 string Data, Option<string> AuthorsModels, Option<int> Threads);

/// <summary>What a unit costs, from its model: dense nets are minutes, one LSTM about five times a dense net, two LSTMs (RNN2)
/// about five times one (bench/results/training.md).</summary>
public enum CostClass
{
    /// <summary>A dense net: minutes.</summary>
    Dense,
    /// <summary>One LSTM: about five times a dense net.</summary>
    Lstm,
    /// <summary>Two LSTMs (RNN2): about five times one.</summary>
    Rnn2,
}

/// <summary>
/// One unit of work: the experiments of one seed that train as one (usually one experiment; twins — same layers, labels and
/// settings, as mlp and dnn1 — train once, as a local run does), the command that trains exactly them into the seed folder and
/// writes no report, and the log its batch job appends to.
/// </summary>
public sealed record PlanUnit(int Seed, Seq<string> Experiments, CostClass Cost, Settings Settings, Seq<string> Command, string Log)
{
    /// <summary>"seed-2/rnn2", or "seed-1/mlp+dnn1" for twins.</summary>
    public string Name => $"seed-{Seed}/{string.Join("+", Experiments)}";
}

/// <summary>
/// The units a request still needs (finished ones left out), longest first so a cluster that runs a few at a time finishes
/// sooner, and the collect step that, once they are done, re-scores every seed folder and writes the mean ± sd report.
/// </summary>
public sealed record Plan(PlanRequest Request, Seq<PlanUnit> Units, Seq<string> Finished, Seq<string> Collect)
{
    /// <summary>plan.json and plan.tsv, in the output folder.</summary>
    public const string JsonFile = "plan.json", TsvFile = "plan.tsv";

    /// <summary>The folder of the per-unit logs (and of the scheduler's own).</summary>
    public const string LogsFolder = "logs";

    /// <summary>
    /// The plan of <paramref name="r"/>: per seed, the experiments not in <paramref name="finished"/> (pairs of seed and
    /// experiment name), twins grouped into one unit, each with its command; ordered by cost class (RNN2 first), then seed, then
    /// the report's order.
    /// </summary>
    public static Plan Of(PlanRequest r, Func<int, Profile> profileFor, Seq<(int Seed, string Experiment)> finished)
    {
        var units = r.Seeds.Bind(seed =>
        {
            var profile = profileFor(seed);
            var pending = r.Experiments.Filter(e => !finished.Exists(f => f.Seed == seed && f.Experiment == e.Name))
                .Map(e => (Experiment: e, Settings: profile.SettingsFor(e)));
            return pending
                .GroupBy(p => Twin(p.Experiment, p.Settings))
                .Select(g => g.ToSeq().Strict())
                .Select(g => Unit(r, seed, g.Map(p => p.Experiment), g.Head.Settings))
                .ToSeq();
        });
        var ordered = units.OrderByDescending(u => u.Cost).ThenBy(u => r.Seeds.ToList().IndexOf(u.Seed)).ToSeq().Strict();
        var done = r.Seeds.Bind(seed => r.Experiments.Filter(e => finished.Exists(f => f.Seed == seed && f.Experiment == e.Name))
            .Map(e => $"seed-{seed}/{e.Name}")).Strict();
        return new Plan(r, ordered, done, r.Genre + CollectArgs(r));
    }

    /// <summary>What makes two experiments train alike (the rule <c>reproduce</c> follows to train twins once): their recipe, the
    /// network's name left out.</summary>
    static object Twin(Experiment e, Settings s) =>
        e.RecipeWith(s) with { Model = e.Model is Learner.Net n ? new Learner.Net(n.Spec with { Name = "" }) : e.Model };

    static PlanUnit Unit(PlanRequest r, int seed, Seq<Experiment> experiments, Settings settings)
    {
        var names = experiments.Map(e => e.Name).Strict();
        var log = Path.Combine(r.OutDir, LogsFolder, $"seed-{seed}-{string.Join("+", names)}.log");
        var args = Seq("reproduce", "--profile", r.Profile, "--seeds", Text(seed), "--only", string.Join(",", names),
            "--out", r.OutDir, "--data", r.Data, "--no-report") + ThreadsArgs(r.Threads);
        return new PlanUnit(seed, names, experiments.Map(e => CostOf(e.Model)).Max(), settings, r.Genre + args, log);
    }

    /// <summary>Dense nets, one LSTM, or two (RNN2): the cost of training grows with the LSTM layers far more than with anything
    /// else the experiments vary.</summary>
    public static CostClass CostOf(Learner model) =>
        model.Network.Map(n => n.Layers.Count(l => l is Lstm)).IfNone(0) switch
        {
            0 => CostClass.Dense,
            1 => CostClass.Lstm,
            _ => CostClass.Rnn2,
        };

    /// <summary>The collect step: re-scores every seed folder and writes each one's report and the mean ± sd report.</summary>
    static Seq<string> CollectArgs(PlanRequest r) =>
        Seq("reproduce", "--profile", r.Profile, "--collect", "--out", r.OutDir, "--data", r.Data)
        + r.AuthorsModels.Map(dir => Seq("--authors-models", dir)).IfNone(Seq<string>())
        + ThreadsArgs(r.Threads);

    /// <summary>The command that writes this plan again from the folder's state: what is still missing.</summary>
    public Seq<string> Again => Request.Genre + Seq("reproduce", "--profile", Request.Profile,
        "--seeds", string.Join(",", Request.Seeds.Map(Text)), "--only", string.Join(",", Request.Experiments.Map(e => e.Name)),
        "--out", Request.OutDir, "--data", Request.Data, "--plan")
        + Request.AuthorsModels.Map(dir => Seq("--authors-models", dir)).IfNone(Seq<string>());

    static Seq<string> ThreadsArgs(Option<int> threads) => threads.Map(t => Seq("--threads", Text(t))).IfNone(Seq<string>());

    static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"dense", "lstm", "rnn2".</summary>
    public static string Name(CostClass c) => c.ToString().ToLowerInvariant();

    /// <summary>plan.json: the request, each unit (1-based index, name, seed, experiments, cost, settings, log, command) and the
    /// collect step.</summary>
    public JsonObject Json() => new()
    {
        ["profile"] = Request.Profile,
        ["seeds"] = new JsonArray(Request.Seeds.Map(s => (JsonNode?)s).ToArray()),
        ["experiments"] = Strings(Request.Experiments.Map(e => e.Name)),
        ["out"] = Request.OutDir,
        ["data"] = Request.Data,
        ["finished"] = Strings(Finished),
        ["units"] = new JsonArray(Units.Select((u, i) => (JsonNode?)new JsonObject
        {
            ["index"] = i + 1,
            ["unit"] = u.Name,
            ["seed"] = u.Seed,
            ["experiments"] = Strings(u.Experiments),
            ["cost"] = Name(u.Cost),
            ["epochs"] = u.Settings.Epochs,
            ["batch_size"] = u.Settings.BatchSize,
            ["log"] = u.Log,
            ["command"] = Strings(u.Command),
            ["command_line"] = Shell.Line(u.Command),
        }).ToArray()),
        ["collect"] = new JsonObject { ["command"] = Strings(Collect), ["command_line"] = Shell.Line(Collect) },
    };

    static JsonArray Strings(Seq<string> xs) => new(xs.Map(x => (JsonNode?)x).ToArray());

    /// <summary>plan.tsv: a header, then one line per unit (index, unit, seed, experiments, cost, epochs, batch, log, command line) —
    /// line K + 1 is array task K.</summary>
    public string Tsv()
    {
        var sb = new StringBuilder("index\tunit\tseed\texperiments\tcost\tepochs\tbatch_size\tlog\tcommand\n");
        foreach (var (u, i) in Units.Select((u, i) => (u, i)))
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1}\t{u.Name}\t{u.Seed}\t{string.Join(",", u.Experiments)}\t{Name(u.Cost)}\t")
              .Append(CultureInfo.InvariantCulture, $"{u.Settings.Epochs}\t{u.Settings.BatchSize}\t{u.Log}\t{Shell.Line(u.Command)}\n");
        return sb.ToString();
    }

    /// <summary>One line per unit for people: "seed-2/rnn2 (rnn2, 1000 epochs) log: …".</summary>
    public Seq<string> Lines() =>
        Units.Map(u => $"{u.Name} ({Name(u.Cost)}, {u.Settings.Epochs} epochs) log: {u.Log}");
}

/// <summary>POSIX shell quoting: a command line a shell reads back as the same words.</summary>
public static class Shell
{
    /// <summary>The word as is when it holds only characters no shell treats specially, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>The words quoted and joined by spaces.</summary>
    public static string Line(Seq<string> words) => string.Join(" ", words.Map(Quote));
}
