using System.Text.Json.Nodes;
using Genre.Models;
using static Genre.Eval.Tests.SmallRuns;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// What an experiment is as a value and as a file, without training (Stryker over <c>Experiments/</c> found the settings file,
/// the seed folders, the gbdt trials file, the ensembles' records and the blends checked only through the training tests or
/// the slow suites): each member of the settings and trials files read back and each damaged one refused with its message,
/// the seeds' parsing and spread, the selection of experiments by name, and the small records reports read.
/// </summary>
public class ExperimentsMutationTests
{
    /// <summary>JSON written with single quotes, to read without escapes.</summary>
    static string J(string json) => json.Replace('\'', '"');

    static string Folder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-experiments-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // ---- seed folders and the spread over seeds

    [Fact]
    public void A_seed_folder_is_seed_dash_the_seed_and_other_names_are_no_seed()
    {
        Assert.Equal(Path.Combine("out", "seed-7"), SeedFolder.Path("out", 7));
        Assert.Equal(Some(3), SeedFolder.SeedOf("seed-3"));
        Assert.Equal(Some(12), SeedFolder.SeedOf("seed-12"));
        foreach (var name in new[] { "seed-", "seed--1", "seed-+1", "Seed-1", "seeds-1", "xseed-1", "seed-1a" })
            Assert.Equal(Option<int>.None, SeedFolder.SeedOf(name));
    }

    [Fact]
    public void The_seeds_of_an_output_are_its_seed_folders_in_ascending_order()
    {
        var dir = Folder();
        Assert.Equal(Seq<int>(), SeedFolder.Seeds(Path.Combine(dir, "absent")));
        foreach (var name in new[] { "seed-10", "seed-2", "seed-x", "other" }) Directory.CreateDirectory(Path.Combine(dir, name));
        File.WriteAllText(Path.Combine(dir, "seed-5"), "a file, not a folder");
        Assert.Equal(Seq(2, 10), SeedFolder.Seeds(dir));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("1,2,3", new[] { 1, 2, 3 })]
    [InlineData("1-3", new[] { 1, 2, 3 })]
    [InlineData(" 4 , 1-2 ,2", new[] { 4, 1, 2 })]
    [InlineData("5-5", new[] { 5 })]
    [InlineData("0", new[] { 0 })]
    public void Seeds_parse_as_a_list_or_ranges_keeping_the_order_given(string text, int[] seeds) =>
        Assert.Equal(seeds, Ok(SeedFolder.Parse(text)));

    [Theory]
    [InlineData("3-1", "3-1")]
    [InlineData("a", "a")]
    [InlineData("1,-2", "-2")]
    [InlineData("1-x", "1-x")]
    [InlineData("+1", "+1")]
    public void A_seed_that_is_not_one_is_a_usage_error_naming_it(string text, string part) =>
        Assert.Equal($"--seeds: '{part}' is not a seed (non-negative integer) or a range FROM-TO", Fail(SeedFolder.Parse(text)));

    [Fact]
    public void No_seed_at_all_is_a_usage_error_with_an_example() =>
        Assert.Equal("--seeds: no seed given (e.g. --seeds 1,2,3 or --seeds 1-5)", Fail(SeedFolder.Parse(" , ")));

    static ExperimentResult Result(string name, double accuracy, int seed = 2) =>
        new(Named(name), new Settings(3, 256, seed), new Evaluation(1, accuracy, 4), new History(Seq<EpochMetrics>()), 1,
            new long[2, 2], Seq("a", "b"), new Provenance.Trained());

    [Fact]
    public void The_spread_is_the_mean_and_sample_sd_in_the_reports_order_and_seed_order()
    {
        var perSeed = Seq(
            new SeedRun(3, new ReproduceResult(new DataSource("d", true, 1, ""), Profiles.Fast(3),
                Seq(Result("tabular", 0.5, 3), Result("dnn1", 0.25, 3)), Seq<AuthorsScore>(), 1)),
            new SeedRun(1, new ReproduceResult(new DataSource("d", true, 1, ""), Profiles.Fast(1),
                Seq(Result("dnn1", 0.5, 1), Result("softmax", 0.125, 1)), Seq<AuthorsScore>(), 1)));
        var spreads = SeedSpread.Of(perSeed);
        Assert.Equal(Seq("softmax", "dnn1", "tabular"), spreads.Map(s => s.Experiment.Name));
        var dnn1 = spreads[1];
        Assert.Equal(Seq(1, 3), dnn1.Runs.Map(r => r.Seed));
        Assert.Equal(Seq(0.5, 0.25), dnn1.Accuracies);
        Assert.Equal(0.375, dnn1.Mean);
        Assert.Equal(Math.Sqrt(2 * 0.125 * 0.125), dnn1.Sd, 15);
        // the settings of the first run found (seed 3's, listed first)
        Assert.Equal(3, dnn1.Settings.Seed);
        Assert.True(double.IsNaN(spreads[0].Sd));
        Assert.Equal(0.125, spreads[0].Mean);
        var three = new SeedSpread(Named("dnn1"), new Settings(1, 1, 1),
            Seq((1, Result("dnn1", 0.25)), (2, Result("dnn1", 0.5)), (3, Result("dnn1", 0.75))));
        Assert.Equal(0.5, three.Mean);
        Assert.Equal(0.25, three.Sd, 15);
    }

    // ---- experiments, profiles, settings

    [Fact]
    public void An_experiments_settings_are_its_profiles_row_else_any_profiles_else_the_notebooks()
    {
        var fast = new Settings(5, 64, 0);
        var any = new Settings(6, 32, 0);
        var e = Named("dnn1") with { Training = HashMap(("fast", fast), (Experiment.AnyProfile, any)) };
        Assert.Equal(fast, e.TrainingIn("fast"));
        Assert.Equal(any, e.TrainingIn("paper"));
        Assert.Equal(Profiles.Notebooks, (e with { Training = HashMap(("fast", fast)) }).TrainingIn("paper"));
        Assert.Equal(fast with { Seed = 9 }, Profiles.Fast(9).SettingsFor(e));
        var uniform = new Settings(1, 2, 3);
        Assert.Equal(uniform, Profile.Of("fast", "d", uniform).SettingsFor(e));
        Assert.Equal(3, Profile.Of("fast", "d", uniform).Seed);
    }

    [Fact]
    public void The_named_profiles_and_an_unknown_one()
    {
        Assert.Equal(("paper", 4), (Ok(Profiles.ByName("paper", 4)).Name, Ok(Profiles.ByName("paper", 4)).Seed));
        Assert.Equal(("fast", 5), (Ok(Profiles.ByName("fast", 5)).Name, Ok(Profiles.ByName("fast", 5)).Seed));
        Assert.Equal("unknown profile 'slow' (known: fast, paper)", Fail(Profiles.ByName("slow", 1)));
        Assert.Equal("as the notebooks: Adam(1e-3), batch 10,000, 1000 epochs (the notebooks' seed is 2; this run's is 7)",
            Profiles.Paper(7).Description);
        Assert.Equal(new Settings(1000, 10_000, 7), Profiles.Paper(7).SettingsFor(Named("dnn1")));
    }

    [Fact]
    public void Experiments_are_chosen_by_name_in_the_reports_order_and_an_unknown_name_is_a_usage_error()
    {
        Assert.Equal(Experiments.OfReport, Ok(Experiments.Only(None)));
        Assert.Equal(Seq("softmax", "dnn1", "tabular"), Ok(Experiments.Only(Some(" tabular,dnn1,,softmax "))).Map(e => e.Name));
        var known = string.Join(", ", (Experiments.OfReport + Experiments.Beyond).Map(e => e.Name));
        Assert.Equal($"--only: unknown experiment(s) nope, other (known: {known}, gbdt)",
            Fail(Experiments.Only(Some("dnn1,nope,other"))));
        Assert.Equal(0, Experiments.OrderOf(Named("softmax")));
        Assert.Equal(6, Experiments.OrderOf(Named("reduced-rnn1")));
        Assert.Equal(int.MaxValue, Experiments.OrderOf(Named("tabular")));
    }

    [Fact]
    public void A_rate_is_described_with_its_schedule()
    {
        Assert.Equal("0.003", new Settings(1, 1, 1, 3e-3).DescribeRate());
        Assert.Equal("0.003 → 0 (cosine)", new Settings(1, 1, 1, 3e-3, Decay: new CosineDecay()).DescribeRate());
        Assert.Equal("0.003 → 0.0003 (cosine)", new Settings(1, 1, 1, 3e-3, Decay: new CosineDecay(0.1)).DescribeRate());
        Assert.Equal("0.04 (coslog4)", new Settings(1, 1, 1, 0.04, Decay: new CosLog(4)).DescribeRate());
        Assert.Equal("0.0001", new Settings(1, 1, 1, 0.000123456).DescribeRate());
    }

    [Fact]
    public void Settings_become_a_training_configuration_that_resumes()
    {
        var stopping = new EarlyStopping("val_accuracy", Patience: 4);
        var c = new Settings(7, 64, 3, 2e-3, stopping, new CosLog(4), Beta2: 0.95, LabelSmoothing: 0.1).ToConfig();
        Assert.Equal((7, 64, 3), (c.Epochs, c.BatchSize, c.Seed));
        Assert.Equal(new AdamSettings(2e-3, Beta2: 0.95, Decay: new CosLog(4)), c.Adam);
        Assert.Equal(Some(stopping), c.EarlyStopping);
        Assert.True(c.Resume);
        Assert.Equal(0.1, c.LabelSmoothing);
    }

    // ---- the settings file: settings and experiments as JSON

    [Fact]
    public void Settings_are_written_with_only_the_members_set_and_read_back_equal()
    {
        var plain = new Settings(3, 64, 2, 1e-3);
        Assert.Equal(J("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.001}"), ExperimentJson.ToJson(plain).ToJsonString());
        var full = new Settings(3, 64, 2, 0.5, new EarlyStopping("val_loss", 4, 0.25, true, RestoreAtEnd: true), new CosLog(4), 0.5, 0.25);
        Assert.Equal(J("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.5,'coslog_cycles':4,'beta_2':0.5,") +
                     J("'label_smoothing':0.25,'early_stopping':{'monitor':'val_loss','patience':4,'min_delta':0.25,") +
                     J("'restore_best_weights':true,'restore_at_end':true}}"), ExperimentJson.ToJson(full).ToJsonString());
        var cosine = plain with { Decay = new CosineDecay(0.125), EarlyStopping = new EarlyStopping("val_accuracy", 2, 0, false) };
        Assert.Equal(J("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.001,'cosine_decay_alpha':0.125,") +
                     J("'early_stopping':{'monitor':'val_accuracy','patience':2,'min_delta':0,'restore_best_weights':false}}"),
            ExperimentJson.ToJson(cosine).ToJsonString());
        foreach (var s in new[] { plain, full, cosine })
            Assert.Equal(s, Ok(ExperimentJson.SettingsOf(ExperimentJson.ToJson(s), "s.json")));
    }

    static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'cosine_decay_alpha':0,'coslog_cycles':4}",
        "s.json: cosine_decay_alpha and coslog_cycles are two schedules: a run has one — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'cosine_decay_alpha':'x'}",
        "s.json: 'cosine_decay_alpha' is not a number — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'coslog_cycles':0.5}",
        "s.json: 'coslog_cycles' is not an integer — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'beta_2':'x'}",
        "s.json: 'beta_2' is not a number — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'label_smoothing':'x'}",
        "s.json: 'label_smoothing' is not a number — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'early_stopping':1}",
        "s.json: 'early_stopping' is not an object — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'early_stopping':{'monitor':'val_loss','patience':1," +
                "'min_delta':0,'restore_best_weights':1}}",
        "s.json early_stopping: restore_best_weights must be true or false — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'early_stopping':{'monitor':'val_loss','patience':1," +
                "'min_delta':0,'restore_best_weights':true,'restore_at_end':'yes'}}",
        "s.json early_stopping: restore_at_end must be true or false — the file is damaged")]
    [InlineData("{'epochs':3,'batch_size':64,'seed':2,'learning_rate':0.1,'early_stopping':{'monitor':'val_loss','patience':1," +
                "'min_delta':'0','restore_best_weights':true}}",
        "s.json early_stopping: 'min_delta' is not a number — the file is damaged")]
    public void Each_damaged_setting_is_refused_with_its_one_line_message(string json, string message) =>
        Assert.Equal(message, Fail(ExperimentJson.SettingsOf(Parse(J(json)), "s.json")));

    [Fact]
    public void Early_stopping_without_restore_at_end_reads_as_false_and_beta_2_and_smoothing_default_to_keras()
    {
        var s = Ok(ExperimentJson.SettingsOf(Parse("""
            {"epochs":3,"batch_size":64,"seed":2,"learning_rate":0.1,"early_stopping":{"monitor":"val_loss","patience":1,
             "min_delta":0,"restore_best_weights":true}}
            """), "s.json"));
        Assert.Equal(new EarlyStopping("val_loss", 1, 0, true, RestoreAtEnd: false), s.EarlyStopping);
        Assert.Equal((0.999, 0.0), (s.Beta2, s.LabelSmoothing));
        Assert.True(s.Decay.IsNone);
    }

    static JsonObject Dnn1Json() => ExperimentJson.ToJson(Named("dnn1"));

    static string FromJsonError(Action<JsonObject> damage)
    {
        var o = Dnn1Json();
        damage(o);
        return Fail(ExperimentJson.FromJson(o, "e.json"));
    }

    [Fact]
    public void An_experiment_is_written_with_its_nulls_and_training_table_in_name_order()
    {
        var o = ExperimentJson.ToJson(Named("tabular") with
        {
            Training = HashMap(("paper", new Settings(1, 2, 3)), ("fast", new Settings(4, 5, 6))),
        });
        Assert.Null(o["report_accuracy"]);
        Assert.Null(o["authors_model"]);
        Assert.Null(o["labels"]);
        Assert.Equal("report", o["split"]!.GetValue<string>());
        Assert.Equal(new[] { "fast", "paper" }, o["training"]!.AsObject().Select(p => p.Key));
        Assert.Equal(J("{'epochs':4,'batch_size':5,'seed':6,'learning_rate':0.001}"), o["training"]!["fast"]!.ToJsonString());
        var reduced = ExperimentJson.ToJson(Named("reduced-rnn1"));
        Assert.Equal("reducedRNNnet", reduced["authors_model"]!.GetValue<string>());
        Assert.Equal(0.407882, reduced["report_accuracy"]!.GetValue<double>());
        Assert.NotNull(reduced["labels"]);
        Assert.Equal("artist-aware", ExperimentJson.SplitName(DataSplit.ArtistAware));
        Assert.Equal("track-aware", ExperimentJson.SplitName(DataSplit.TrackAware));
        Assert.Equal("report", ExperimentJson.SplitName(DataSplit.Report));
        foreach (var split in new[] { DataSplit.Report, DataSplit.TrackAware, DataSplit.ArtistAware })
        {
            var e = Named("dnn1") with { Split = split };
            Assert.Equal(split, Ok(ExperimentJson.FromJson(ExperimentJson.ToJson(e), "e.json")).Split);
        }
    }

    [Fact]
    public void Each_damaged_member_of_an_experiment_is_refused_naming_it()
    {
        Assert.Equal("e.json: report_accuracy must be a number or null — the file is damaged",
            FromJsonError(o => o["report_accuracy"] = "high"));
        Assert.Equal("e.json: authors_model must be a string or null — the file is damaged",
            FromJsonError(o => o["authors_model"] = 3));
        Assert.Equal("e.json: model: unknown model kind 'forest' (known: net, ensemble, trees) — the file is damaged",
            FromJsonError(o => o["model"]!["kind"] = "forest"));
        Assert.Equal("e.json: model: an ensemble needs at least 2 members, got 1 — the file is damaged",
            FromJsonError(o =>
            {
                o["model"]!["kind"] = "ensemble";
                o["model"]!["members"] = 1;
            }));
        Assert.Equal("e.json: training.fast is not an object — the file is damaged", FromJsonError(o => o["training"]!["fast"] = 1));
        Assert.Equal("e.json: training.fast: 'epochs' is not an integer — the file is damaged",
            FromJsonError(o => o["training"]!["fast"]!["epochs"] = "many"));
        Assert.Equal("e.json: 'training' is not an object — the file is damaged", FromJsonError(o => o["training"] = 1));
        Assert.Equal("e.json: 'split' is not a string — the file is damaged", FromJsonError(o => o.Remove("split")));
        Assert.Equal("e.json: 'title' is not a string — the file is damaged", FromJsonError(o => o.Remove("title")));
        var trees = ExperimentJson.ToJson(Experiments.Gbdt);
        trees["model"]!["candidates"]![1] = 5;
        Assert.Equal("e.json: model: candidates[1] is not an object — the file is damaged",
            Fail(ExperimentJson.FromJson(trees, "e.json")));
        trees["model"]!["candidates"]![1] = new JsonObject { ["learning_rate"] = 0.1 };
        Assert.Equal("e.json: model candidates[1]: 'leaves' is not an integer — the file is damaged",
            Fail(ExperimentJson.FromJson(trees, "e.json")));
    }

    [Fact]
    public void Damaged_features_or_labels_are_refused_naming_them_and_the_stage_kinds_are_the_registrys()
    {
        Assert.StartsWith("e.json: features: ", FromJsonError(o => o["features"] = 5));
        Assert.Equal("e.json: features must be a pipeline — the file is damaged",
            FromJsonError(o => o["features"] = ((Genre.Data.Stages.Pipeline)Named("dnn1").Features).Stages[0].ToJson()));
        Assert.StartsWith("e.json: labels: ", FromJsonError(o => o["labels"] = 5));
        // a registry without the built-in kinds cannot read the report's pipeline
        var none = new Genre.Data.Stages.StageRegistry(HashMap<string, Genre.Data.Stages.StageKind>());
        Assert.StartsWith("e.json: features", Fail(ExperimentJson.FromJson(Dnn1Json(), "e.json", none)));
        Assert.Equal(Named("dnn1"), Ok(ExperimentJson.FromJson(Dnn1Json(), "e.json", Genre.Data.Stages.StageRegistry.BuiltIn)));
        // two members are enough for an ensemble
        var pair = Named("tabular-ensemble") with { Model = new Learner.Ensemble(Zoo.Tabular(), 2) };
        Assert.Equal(pair, Ok(ExperimentJson.FromJson(ExperimentJson.ToJson(pair), "e.json")));
    }

    [Fact]
    public void A_missing_report_accuracy_or_authors_model_reads_as_none_and_an_ensemble_keeps_its_members()
    {
        var o = Dnn1Json();
        o.Remove("report_accuracy");
        o.Remove("authors_model");
        o.Remove("labels");
        var e = Ok(ExperimentJson.FromJson(o, "e.json"));
        Assert.True(double.IsNaN(e.ReportAccuracy));
        Assert.True(e.AuthorsModel.IsNone);
        Assert.True(e.Labels.IsNone);
        var ensemble = Ok(ExperimentJson.FromJson(ExperimentJson.ToJson(Named("tabular-ensemble")), "e.json"));
        Assert.Equal(5, ensemble.Members);
        Assert.Equal(new Learner.Ensemble(Zoo.Tabular(), 5), ensemble.Model);
    }

    [Fact]
    public void A_learner_as_json_and_what_it_trains()
    {
        var trees = new Learner.Trees(Seq1(new GbdtSettings(0.05, 15, 50, 400, 10)));
        Assert.Equal(J("{'kind':'trees','candidates':[{'learning_rate':0.05,'leaves':15,'min_leaf':50,'max_rounds':400,") +
                     J("'early_stop':10}]}"), trees.ToJson().ToJsonString());
        Assert.Equal("ensemble", new Learner.Ensemble(Zoo.Dnn1(), 3).ToJson()["kind"]!.GetValue<string>());
        Assert.Equal(3, new Learner.Ensemble(Zoo.Dnn1(), 3).ToJson()["members"]!.GetValue<int>());
        Assert.Equal("net", new Learner.Net(Zoo.Dnn1()).ToJson()["kind"]!.GetValue<string>());
        Assert.Equal((1, 3, 1), (new Learner.Net(Zoo.Dnn1()).Models, new Learner.Ensemble(Zoo.Dnn1(), 3).Models, trees.Models));
        Assert.Equal(Some(Zoo.Dnn1()), new Learner.Ensemble(Zoo.Dnn1(), 3).Network);
        Assert.Equal(Some(Zoo.Dnn1()), new Learner.Net(Zoo.Dnn1()).Network);
        Assert.True(trees.Network.IsNone);
    }

    // ---- gbdt's records and trials file

    [Fact]
    public void A_gbdt_configuration_is_described_and_becomes_a_booster()
    {
        var s = new GbdtSettings(0.05, 15, 50, 400, 10);
        Assert.Equal("lr 0.05, 15 leaves, ≥ 50 rows a leaf, ≤ 400 rounds (early stop 10)", s.Describe());
        var b = s.Booster(7, 3, 2);
        Assert.Equal((7, 0.05, 15, 50, 400, 10, 3, 2), (b.Classes, b.LearningRate, b.Leaves, b.MinDataInLeaf, b.Rounds, b.Patience, b.Seed,
            b.Threads));
        var chosen = new GbdtSettings(0.1, 7, 5);
        var g = new GbdtResult(Seq(new GbdtTrial(s, 0.25, 1), new GbdtTrial(chosen, 0.5, 1)), chosen, new Evaluation(1, 0.5, 4), 1,
            [0, 1], [1, 1], Seq("a", "b"), new Provenance.Trained());
        Assert.Equal(0.5, g.ValAccuracy);
        Assert.True(double.IsNaN((g with { Chosen = new GbdtSettings(0.2, 3, 1) }).ValAccuracy));
        Assert.Equal(("gbdt", false, Seq("a", "b")), (g.Rows.Name, g.Rows.Merged, g.Rows.Classes));
        Assert.Equal(new[] { 0, 1 }, g.Rows.Labels);
        Assert.Equal(new[] { 1, 1 }, g.Rows.Predictions);
    }

    static readonly GbdtSettings Small = new(0.1, 7, 5, 8, 4);

    static JsonObject Trials(int seed = 3) => new()
    {
        ["seed"] = seed,
        ["model"] = new JsonObject { ["file"] = Gbdt.ModelFile, ["rounds"] = 5, ["crc32c"] = "0a0b0c0d" },
        ["seconds"] = 2.5,
        ["trials"] = new JsonArray(new JsonObject
        {
            ["settings"] = ExperimentJson.ToJson(Small),
            ["val_accuracy"] = 0.5,
            ["seconds"] = 2.5,
            ["rounds"] = 5,
        }),
    };

    static string GbdtFolder(JsonObject trials, bool model = true)
    {
        var dir = Folder();
        Ok(ChecksummedJson.Write(Path.Combine(dir, Gbdt.TrialsFile), trials));
        if (model) File.WriteAllText(Path.Combine(dir, Gbdt.ModelFile), "tree");
        return dir;
    }

    [Fact]
    public void A_finished_gbdt_folder_is_its_trials_with_these_candidates_this_seed_and_the_model_there()
    {
        var dir = GbdtFolder(Trials());
        var run = Ok(Gbdt.Finished(dir, Seq1(Small), 3)).IfNone(() => throw new Xunit.Sdk.XunitException("not finished"));
        Assert.Equal(Seq1(new GbdtTrial(Small, 0.5, 2.5, 5)), run.Trials);
        Assert.Equal((2.5, 3, 5, 0x0a0b0c0du), (run.Seconds, run.Seed, run.ModelRounds, run.ModelCrc));
        Assert.True(Ok(Gbdt.Finished(dir, Seq1(Small), 4)).IsNone);
        Assert.True(Ok(Gbdt.Finished(dir, Seq1(Small with { Leaves = 8 }), 3)).IsNone);
        Assert.True(Ok(Gbdt.Finished(dir, Seq(Small, Small), 3)).IsNone);
        File.Delete(Path.Combine(dir, Gbdt.ModelFile));
        Assert.True(Ok(Gbdt.Finished(dir, Seq1(Small), 3)).IsNone);
        Assert.True(Ok(Gbdt.Finished(Path.Combine(dir, "absent"), Seq1(Small), 3)).IsNone);
        // a folder from before native LightGBM (no model member) is refitted, not refused
        var old = Trials();
        old.Remove("model");
        Assert.True(Ok(Gbdt.Finished(GbdtFolder(old), Seq1(Small), 3)).IsNone);
        // a trial without its rounds (written before they were recorded) reads as 0
        var noRounds = Trials();
        noRounds["trials"]![0]!.AsObject().Remove("rounds");
        Assert.Equal(0, Ok(Gbdt.Finished(GbdtFolder(noRounds), Seq1(Small), 3)).Map(r => r.Trials[0].Rounds).IfNone(-1));
    }

    [Fact]
    public void Each_damaged_member_of_a_trials_file_is_refused_naming_it()
    {
        string Damaged(Action<JsonObject> damage)
        {
            var o = Trials();
            damage(o);
            var dir = GbdtFolder(o);
            return Fail(Gbdt.Finished(dir, Seq1(Small), 3)).Replace(Path.Combine(dir, Gbdt.TrialsFile), "gbdt.json");
        }
        Assert.StartsWith("gbdt.json has no seed (written by an earlier genre): run genre migrate ", Damaged(o => o.Remove("seed")));
        Assert.Equal("gbdt.json: 'seed' is not an integer — the file is damaged", Damaged(o => o["seed"] = "x"));
        Assert.Equal("gbdt.json: 'model' is not an object — the file is damaged", Damaged(o => o["model"] = 1));
        Assert.Equal("gbdt.json: model: 'rounds' is not an integer — the file is damaged", Damaged(o => o["model"]!["rounds"] = 1.5));
        Assert.Equal("gbdt.json: model: 'crc32c' is not a string — the file is damaged", Damaged(o => o["model"]!["crc32c"] = 1));
        Assert.Equal("gbdt.json: model.crc32c is not 8 hex digits — the file is damaged",
            Damaged(o => o["model"]!["crc32c"] = "abc"));
        Assert.Equal("gbdt.json: model.crc32c is not 8 hex digits — the file is damaged",
            Damaged(o => o["model"]!["crc32c"] = "0a0b0c0g"));
        Assert.Equal("gbdt.json: model.crc32c is not 8 hex digits — the file is damaged",
            Damaged(o => o["model"]!["crc32c"] = "00a0b0c0d"));
        Assert.Equal("gbdt.json: no trials — the file is damaged", Damaged(o => o["trials"] = new JsonArray()));
        Assert.Equal("gbdt.json: 'trials' is not a list — the file is damaged", Damaged(o => o["trials"] = 1));
        Assert.Equal("gbdt.json: trials[0]: not a JSON object — the file is damaged", Damaged(o => o["trials"]![0] = 1));
        Assert.Equal("gbdt.json: trials[0]: 'settings' is not an object — the file is damaged",
            Damaged(o => o["trials"]![0]!["settings"] = 1));
        Assert.Equal("gbdt.json: trials[0].settings: 'early_stop' is not an integer — the file is damaged",
            Damaged(o => o["trials"]![0]!["settings"]!.AsObject().Remove("early_stop")));
        Assert.Equal("gbdt.json: trials[0]: 'val_accuracy' is not a number — the file is damaged",
            Damaged(o => o["trials"]![0]!["val_accuracy"] = "x"));
        Assert.Equal("gbdt.json: trials[0]: 'seconds' is not a number — the file is damaged",
            Damaged(o => o["trials"]![0]!["seconds"] = "x"));
        Assert.Equal("gbdt.json: trials[0]: 'rounds' is not an integer — the file is damaged",
            Damaged(o => o["trials"]![0]!["rounds"] = "x"));
        Assert.Equal("gbdt.json: 'seconds' is not a number — the file is damaged", Damaged(o => o.Remove("seconds")));
    }

    [Fact]
    public void Gbdt_keeps_the_candidate_best_on_validation_writes_its_trials_indented_and_rescores_the_same_choice()
    {
        var (dir, source) = SmallRuns.SyntheticSource("gbdt-choice");
        var data = Ok(ReportData.Load(source)).Full;
        var candidates = Seq(new GbdtSettings(0.1, 2, 5, 8, 4), new GbdtSettings(0.1, 15, 5, 8, 4));
        var fitted = Ok(Gbdt.Run(data, candidates, dir, 2, 1));
        var best = fitted.Trials.OrderByDescending(t => t.ValAccuracy).First();
        Assert.NotEqual(fitted.Trials[0].ValAccuracy, fitted.Trials[1].ValAccuracy);
        Assert.Equal(best.Settings, fitted.Chosen);
        Assert.IsType<Provenance.Trained>(fitted.How);
        var text = File.ReadAllText(Path.Combine(dir, Gbdt.TrialsFile));
        Assert.StartsWith("{\n  \"seed\": 2,\n  \"model\": {\n    \"file\": \"model.txt\",", text);
        var json = Ok(ChecksummedJson.Parse(text, "gbdt.json"));
        Assert.Equal(new[] { "seed", "model", "chosen", "seconds", "test_accuracy", "trials" }, json.Select(p => p.Key));
        Assert.Equal(ExperimentJson.ToJson(fitted.Chosen).ToJsonString(), json["chosen"]!.ToJsonString());
        Assert.Equal(fitted.Seconds, json["seconds"]!.GetValue<double>());
        Assert.Equal(fitted.Test.Accuracy, json["test_accuracy"]!.GetValue<double>());
        Assert.Equal(new[] { "settings", "val_accuracy", "seconds", "rounds" }, json["trials"]![0]!.AsObject().Select(p => p.Key));
        var rescored = Ok(Gbdt.Run(data, candidates, dir, 2, 1));
        Assert.IsType<Provenance.AlreadyDone>(rescored.How);
        Assert.Equal(fitted.Chosen, rescored.Chosen);
        Assert.Equal(fitted.TestPredictions, rescored.TestPredictions);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_gbdt_model_whose_checksum_differs_from_the_trials_file_is_damaged()
    {
        var dir = GbdtFolder(Trials());
        var run = new Gbdt.StoredRun(Seq1(new GbdtTrial(Small, 0.5, 1)), 1, 3, 5, 0x0a0b0c0du);
        var path = Path.Combine(dir, Gbdt.ModelFile);
        Assert.Equal($"{path}: its checksum does not match gbdt.json's — the file is damaged", Fail(Gbdt.Model(dir, run, 2, 15)));
        Assert.Contains(Path.Combine(dir, "absent", Gbdt.ModelFile), Fail(Gbdt.Model(Path.Combine(dir, "absent"), run, 2, 15)));
    }

    // ---- ensembles

    [Fact]
    public void Member_k_trains_from_seed_s_plus_k_minus_1_as_one_net_named_after_the_ensemble()
    {
        var s = new Settings(3, 64, 10);
        Assert.Equal(s with { Seed = 10 }, Ensembles.MemberSettings(s, 1));
        Assert.Equal(s with { Seed = 13 }, Ensembles.MemberSettings(s, 4));
        var member = Ensembles.Member(Named("tabular-ensemble"), 2);
        Assert.Equal("tabular-ensemble member 2", member.Name);
        Assert.Equal(new Learner.Net(Zoo.Tabular()), member.Model);
        Assert.Equal(Named("tabular-ensemble").Features, member.Features);
        var trees = Ensembles.Member(Experiments.Gbdt, 1);
        Assert.Equal(Experiments.Gbdt.Model, trees.Model);
    }

    [Fact]
    public void An_ensembles_record_and_epochs_are_its_members_in_order()
    {
        var scores = new EnsembleScores(double.NaN, Seq(new MemberScore(4, 63, 0.25, 0.5), new MemberScore(5, 70, 0.375,
            double.PositiveInfinity)));
        Assert.Equal("63, 70", Ensembles.EpochsRun(scores));
        Assert.Equal(J("{'val_accuracy':null,'members':[{'seed':4,'epochs':63,'val_accuracy':0.25,'test_accuracy':0.5},") +
                     J("{'seed':5,'epochs':70,'val_accuracy':0.375,'test_accuracy':null}]}"), Ensembles.Json(scores).ToJsonString());
        var x = Result("tabular-ensemble", 0.5) with { Ensemble = Some(scores) };
        Assert.Equal("63, 70", x.EpochsRun);
        Assert.Equal("0", Result("dnn1", 0.5).EpochsRun);
    }

    // ---- small records

    [Fact]
    public void Provenance_in_a_few_words()
    {
        Assert.Equal("trained", new Provenance.Trained().Describe());
        Assert.Equal("already done", new Provenance.AlreadyDone().Describe());
        Assert.Equal("same training as dnn1", new Provenance.SameTrainingAs("dnn1").Describe());
        Assert.Equal("?", new Elsewhere().Describe());
    }

    /// <summary>A provenance genre does not know.</summary>
    sealed record Elsewhere : Provenance;

    [Fact]
    public void An_authors_models_rows_are_merged_only_for_the_reduced_experiment()
    {
        Assert.True(new AuthorsScore("reduced-rnn1", "reducedRNNnet", new Evaluation(1, 1, 1)).Rows.Merged);
        Assert.False(new AuthorsScore("rnn1", "RNN1net", new Evaluation(1, 1, 1)).Rows.Merged);
        Assert.False(new AuthorsScore("mystery", "M", new Evaluation(1, 1, 1)).Rows.Merged);
        var rows = new AuthorsScore("rnn1", "RNN1net", new Evaluation(1, 1, 1))
        {
            TestLabels = [1],
            TestPredictions = [0],
            Classes = Seq("a", "b")
        }.Rows;
        Assert.Equal(("rnn1", Seq("a", "b")), (rows.Name, rows.Classes));
        Assert.Equal(new[] { 1 }, rows.Labels);
        Assert.Equal(new[] { 0 }, rows.Predictions);
        var result = Result("reduced-rnn1", 0.5) with { TestLabels = [0], TestPredictions = [1] };
        Assert.True(result.Rows.Merged);
        Assert.Equal("reduced-rnn1", result.Rows.Name);
        Assert.Equal(new[] { 0 }, result.Rows.Labels);
        Assert.Equal(new[] { 1 }, result.Rows.Predictions);
    }

    [Fact]
    public void A_history_and_a_runs_metrics_as_json_with_nulls_for_what_is_not_finite()
    {
        var h = new History(Seq(new EpochMetrics(1, 2.5, 0.25, double.NaN, double.NaN, 1.5), new EpochMetrics(2, 2, 0.5, 2.25,
            0.375, 2)));
        Assert.Equal(J("[{'epoch':1,'loss':2.5,'accuracy':0.25,'val_loss':null,'val_accuracy':null,'seconds':1.5},") +
                     J("{'epoch':2,'loss':2,'accuracy':0.5,'val_loss':2.25,'val_accuracy':0.375,'seconds':2}]"),
            TrainingRun.HistoryJson(h).ToJsonString());
        Assert.Equal(3.5, TrainingRun.TrainingSeconds(h));
        var o = new TrainingOutcome(Zoo.Dnn1(), h, new Evaluation(double.PositiveInfinity, 0.5, 8), 7, [], false);
        Assert.Equal(J(J("{'model':'") + Zoo.Dnn1().Name + J("','test_accuracy':0.5,'test_loss':null,'n':8,'epochs':2,'seconds':7}")),
            TrainingRun.MetricsJson(o).ToJsonString());
    }

    // ---- merges and blends

    [Fact]
    public void Merging_maps_each_class_to_its_family_in_the_merged_encodings_order()
    {
        var mapping = Ok(GenreMapping.Create([("punk", "rock"), ("metal", "rock")]));
        var classes = Seq("jazz", "metal", "punk", "rock");
        var (map, merged) = MergeAware.ClassMap(classes, mapping);
        Assert.Equal(Seq("jazz", "rock"), merged.Classes);
        Assert.Equal(new[] { 0, 1, 1, 1 }, map);
        Assert.Equal(new[] { 1, 0, 1 }, MergeAware.Apply([3, 0, 2], map));
        // metal taken for punk is a hit once merged, jazz taken for rock is not
        Assert.Equal(0.5, MergeAware.Accuracy([1, 0, 3, 0], [2, 3, 3, 1], classes, mapping));
        var confusion = new long[,] { { 1, 0, 0, 2 }, { 0, 3, 4, 0 }, { 0, 0, 5, 0 }, { 6, 0, 0, 7 } };
        Assert.Equal(new long[,] { { 1, 2 }, { 6, 19 } }, MergeAware.MergeConfusion(confusion, map, 2));
    }

    [Fact]
    public void Blends_of_unequal_probabilities_are_refused_with_the_counts()
    {
        var e = Assert.Throws<ArgumentException>(() => Blend.Mix([1f, 0f], [0.5f], 0.5));
        Assert.Equal("the two models gave 2 and 1 probabilities", e.Message);
        Assert.Equal(new[] { 0.75f, 0.25f }, Blend.Mix([1f, 0f], [0.5f, 0.5f], 0.5));
        var many = Assert.Throws<ArgumentException>(() => WeightedBlend.Mix(Seq(new[] { 1f }, new[] { 1f, 0f }), Seq(0.5, 0.5)));
        Assert.Equal("a blend needs one weight per model and the same number of probabilities from each", many.Message);
        Assert.Throws<ArgumentException>(() => WeightedBlend.Mix(Seq(new[] { 1f }, new[] { 0f }), Seq1(1.0)));
        Assert.Equal(new[] { 0.25f, 0.75f }, WeightedBlend.Mix(Seq(new[] { 1f, 0f }, new[] { 0f, 1f }), Seq(0.25, 0.75)));
    }

    [Fact]
    public void A_blend_record_is_written_out_in_full_indented_with_a_newline()
    {
        var blend = new CrossFamilyBlend(Seq("a", "b"), new WeightedBlend(Seq(0.25, 0.75), 0.5, 21), Seq((0.25, 0.375), (0.5, 0.625)),
            0.75, new Interval(0.5, 0.875, 0.95), new McNemarTest(8, 3, 1, 0.625, true));
        Assert.Equal(J("{'folders':['a','b'],'weights':[0.25,0.75],'val_accuracy':0.5,'test_accuracy':0.75,'test_interval':[0.5,0.875],") +
                     J("'grid_points':21,'models':[{'folder':'a','val_accuracy':0.25,'test_accuracy':0.375},{'folder':'b',") +
                     J("'val_accuracy':0.5,'test_accuracy':0.625}],'mcnemar_against_first':{'rows':8,'only_blend':3,'only_first':1,") +
                     J("'p_value':0.625},'split':'report','scores':null,'twins':null}"), CrossFamily.ToJson(blend).ToJsonString());
        var pair = new CrossFamilyResult(new Blend(0.25, 0.5, Seq<(double, double)>()), 0.125, 0.25, 0.375, 0.5, 0.625,
            new Interval(0.5, 0.75, 0.95), new McNemarTest(8, 2, 1, 1, true));
        Assert.Equal(J("{'first':'x','second':'y','weight_on_first':0.25,'val_accuracy':0.5,'test_accuracy':0.625,") +
                     J("'test_interval':[0.5,0.75],'first_val_accuracy':0.125,'second_val_accuracy':0.25,'first_test_accuracy':0.375,") +
                     J("'second_test_accuracy':0.5,'mcnemar_against_first':{'rows':8,'only_blend':2,'only_first':1,'p_value':1},") +
                     J("'split':'report','scores':null,'twins':null}"),
            CrossFamily.ToJson(pair, "x", "y").ToJsonString());
        var dir = Folder();
        Ok(CrossFamily.Write(Path.Combine(dir, "blend.json"), blend));
        var text = File.ReadAllText(Path.Combine(dir, "blend.json"));
        Assert.StartsWith("{\n  \"folders\": [\n", text);
        Assert.EndsWith("}\n", text);
        Ok(CrossFamily.Write(Path.Combine(dir, "pair.json"), pair, "x", "y"));
        Assert.Equal(CrossFamily.ToJson(pair, "x", "y").ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) +
                     "\n", File.ReadAllText(Path.Combine(dir, "pair.json")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void A_blend_of_fewer_than_two_folders_is_a_usage_error() =>
        Assert.Equal("a blend needs at least two folders, got 1",
            Fail(CrossFamily.RunMany(null!, null!, Seq1("a"), 1)));

    // ---- learned merges

    [Fact]
    public void A_genre_without_rows_is_confused_with_none_not_with_every_genre_as_nan()
    {
        var s = LearnedMerges.Similarity(new long[,] { { 2, 2, 0 }, { 0, 0, 0 }, { 4, 0, 0 } });
        Assert.Equal(new double[,] { { 0, 0.25, 0.5 }, { 0.25, 0, 0 }, { 0.5, 0, 0 } }, s);
    }

    /// <summary>Four genres: 0 and 1 taken for each other most; then 2 is joined to {0, 1} or to 3.</summary>
    static double[,] Four(double s02, double s12, double s23)
    {
        var s = new double[4, 4];
        void Set(int i, int j, double v) => (s[i, j], s[j, i]) = (v, v);
        Set(0, 1, 0.9);
        Set(0, 2, s02);
        Set(1, 2, s12);
        Set(2, 3, s23);
        return s;
    }

    [Fact]
    public void Clusters_are_joined_by_their_average_similarity_not_its_sum()
    {
        // {0, 1}–2 averages (0.3 + 0.3) / 2 = 0.3 < 0.5: 2 joins 3, though the sum (0.6) is larger
        Assert.Equal(Seq(Seq(0, 1), Seq(2, 3)), LearnedMerges.Cluster(Four(0.3, 0.3, 0.5), 2));
        // {0, 1}–2 averages (0.5 + 0.1) / 2 = 0.3 > 0.25: 2 joins {0, 1}
        Assert.Equal(Seq(Seq(0, 1, 2), Seq1(3)), LearnedMerges.Cluster(Four(0.5, 0.1, 0.25), 2));
    }

    [Fact]
    public void Of_equally_confused_pairs_the_first_in_index_order_is_joined()
    {
        var s = new double[,] { { 0, 0.5, 0.5 }, { 0.5, 0, 0.5 }, { 0.5, 0.5, 0 } };
        Assert.Equal(Seq(Seq(0, 1), Seq1(2)), LearnedMerges.Cluster(s, 2));
        Assert.Equal(Seq1(Seq(0, 1, 2)), LearnedMerges.Cluster(s, 0)); // at least one group
    }

    [Fact]
    public void A_group_is_named_after_its_genre_with_most_rows_then_by_name()
    {
        // a has 6 rows spread over both genres, b 5 with 4 in one cell: a has more rows
        var more = Ok(LearnedMerges.Learn(new long[,] { { 3, 3 }, { 1, 4 } }, Seq("a", "b"), 1));
        Assert.Equal(Seq1(("b", "a")), more.Merges.AsEnumerable().Map(p => (p.Key, p.Value)).ToSeq());
        var tie = Ok(LearnedMerges.Learn(new long[,] { { 1, 4 }, { 4, 1 } }, Seq("b", "a"), 1));
        Assert.Equal(Seq1(("b", "a")), tie.Merges.AsEnumerable().Map(p => (p.Key, p.Value)).ToSeq());
        Assert.Equal("confusion matrix is 2×2 but there are 3 classes",
            LearnedMerges.Learn(new long[2, 2], Seq("a", "b", "c"), 1).Match(_ => "", errors => errors.Head.Message));
    }

    [Fact]
    public void Families_of_the_same_size_are_listed_by_name()
    {
        var mapping = Ok(GenreMapping.Create([("z1", "zeta"), ("z2", "zeta"), ("b1", "beta"), ("a1", "alpha"), ("a0", "alpha")]));
        Assert.Equal(Seq("alpha ← a0, a1", "zeta ← z1, z2", "beta ← b1"), LearnedMerges.Families(mapping));
    }

    // ---- grouped splits

    static Seq<Track> Cleaned() => Ok(ReportData.Load(SmallRuns.SyntheticSource("experiments-split").Source)).Cleaned;

    [Fact]
    public void A_track_aware_split_puts_every_row_in_one_subset_and_no_track_in_two()
    {
        var cleaned = Cleaned();
        var (train, val, test) = Ok(TrackAware.Split(cleaned));
        Assert.Equal(Enumerable.Range(0, cleaned.Count), train.Concat(val).Concat(test).Order());
        System.Collections.Generic.HashSet<string> Ids(int[] rows) => rows.Select(r => cleaned[r].TrackId).ToHashSet();
        Assert.Empty(Ids(train).Intersect(Ids(val)));
        Assert.Empty(Ids(train).Intersect(Ids(test)));
        Assert.Empty(Ids(val).Intersect(Ids(test)));
        Assert.True(train.Length > val.Length && val.Length > 0 && test.Length > 0);
    }

    [Fact]
    public void A_track_without_artists_is_grouped_with_the_empty_artist_string()
    {
        var cleaned = Cleaned();
        Seq<Track> With(Option<string> artists) => cleaned.Map((i, t) => i % 7 == 0 ? t with { Artists = artists } : t).ToSeq();
        var (none, empty) = (With(None), With(Some("")));
        var (a, b) = (Ok(ArtistAware.Split(none)), Ok(ArtistAware.Split(empty)));
        Assert.Equal(b.Train, a.Train);
        Assert.Equal(b.Val, a.Val);
        Assert.Equal(b.Test, a.Test);
        // the group's place among the sorted artists matters: named otherwise, the split differs
        var last = Ok(ArtistAware.Split(With(Some("\U0010FFFF"))));
        Assert.NotEqual(a.Test, last.Test);
    }

    [Fact]
    public void Artists_sort_by_code_point_a_prefix_first_and_null_as_empty()
    {
        var order = ArtistAware.CodePointOrder.Instance;
        Assert.True(order.Compare("a", "aa") < 0);
        Assert.True(order.Compare("aa", "a") > 0);
        Assert.True(order.Compare("a\0", "a") > 0);
        Assert.True(order.Compare("a", "a\0") < 0);
        Assert.Equal(0, order.Compare("ab", "ab"));
        Assert.Equal(0, order.Compare(null, ""));
        Assert.Equal(0, order.Compare("", null));
        Assert.True(order.Compare(null, "a") < 0);
        Assert.True(order.Compare("\uFFFF", "\U0001F600") < 0); // UTF-16 ordinal order would put the surrogate pair first
    }

    // ---- blends and the experiments' table

    [Fact]
    public void A_model_of_weight_zero_adds_nothing_not_even_its_nans()
    {
        Assert.Equal(new[] { 0.25f, 0.75f }, WeightedBlend.Mix(Seq(new[] { float.NaN, 1f }, new[] { 0.25f, 0.75f }), Seq(0.0, 1.0)));
    }

    [Fact]
    public void Weighted_blends_are_equal_by_weights_accuracy_and_points()
    {
        var b = new WeightedBlend(Seq(0.25, 0.75), 0.5, 21);
        Assert.Equal(new WeightedBlend(Seq(0.25, 0.75), 0.5, 21), b);
        Assert.Equal(new WeightedBlend(Seq(0.25, 0.75), 0.5, 21).GetHashCode(), b.GetHashCode());
        Assert.NotEqual(new WeightedBlend(Seq(0.5, 0.5), 0.5, 21), b);
        Assert.NotEqual(new WeightedBlend(Seq(0.25, 0.75), 0.625, 21), b);
        Assert.NotEqual(new WeightedBlend(Seq(0.25, 0.75), 0.5, 22), b);
        Assert.False(b.Equals(null));
    }

    /// <summary>A schedule genre does not describe.</summary>
    sealed record Flat : RateSchedule
    {
        public override double Factor(long step, long totalSteps) => 1;
    }

    [Fact]
    public void A_rate_with_a_schedule_genre_does_not_name_is_the_rate_alone() =>
        Assert.Equal("0.003", new Settings(1, 1, 1, 3e-3, Decay: new Flat()).DescribeRate());

    [Fact]
    public void Every_experiment_has_its_own_name_and_title()
    {
        var all = Experiments.OfReport + Experiments.Beyond + Seq1(Experiments.Gbdt);
        Assert.All(all, e => Assert.False(string.IsNullOrWhiteSpace(e.Name) || string.IsNullOrWhiteSpace(e.Title), e.Name));
        Assert.Equal(all.Count, all.Map(e => e.Name).Distinct().Count());
        Assert.Equal(all.Count, all.Map(e => e.Title).Distinct().Count());
    }

    static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("softmax", "batch 256 × 60 epochs")]
    [InlineData("dnn1", "batch 1,024 × 150 epochs, Adam 3e-3 → 0 (cosine)")]
    [InlineData("rnn1", "batch 512 × 30 epochs, Adam 1e-2 → 0 (cosine)")]
    [InlineData("rnn2", "batch 512 × 8 epochs, Adam 8e-3 → 0 (cosine)")]
    public void The_fast_profile_trains_each_report_experiment_as_its_description_says(string name, string described)
    {
        var s = Profiles.Fast(4).SettingsFor(Named(name));
        var rate = s.Decay.IsSome ? string.Create(Invariant, $", Adam {s.LearningRate:0e-0} → 0 (cosine)") : "";
        Assert.Equal(described, string.Create(Invariant, $"batch {s.BatchSize:N0} × {s.Epochs} epochs{rate}"));
        Assert.Contains(described, Profiles.Fast(4).Description);
        Assert.Equal(4, s.Seed);
        Assert.Equal(Profiles.Notebooks with { Seed = 4 }, Profiles.Paper(4).SettingsFor(Named(name)));
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("mlp")]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    [InlineData("dnn1")]
    [InlineData("dnn2")]
    [InlineData("reduced-rnn1")]
    public void The_report_experiments_are_still_the_ones_the_committed_fast_folders_trained(string name)
    {
        var marker = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", name, ExperimentFolder.MarkerFile);
        var stored = JsonNode.Parse(File.ReadAllText(marker))!["experiment"]!;
        Assert.Equal(stored.ToJsonString(), ExperimentJson.ToJson(Named(name)).ToJsonString());
    }

    // ---- blends of finished folders and the LightGBM claim, on a small synthetic file

    /// <summary>The committed fast-profile softmax copied twice: two finished folders of one model.</summary>
    static (ReportData Data, string First, string Second) TwoSoftmaxes()
    {
        var data = Ok(ReportData.Load(SmallRuns.SyntheticSource("experiments-blend").Source));
        var committed = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "softmax");
        var dir = Folder();
        return (data, Folders.CopyTree(committed, Path.Combine(dir, "a")), Folders.CopyTree(committed, Path.Combine(dir, "b")));
    }

    [Fact]
    public void Two_folders_of_one_model_blend_to_that_model_with_the_first_point_of_the_grid()
    {
        var (data, a, b) = TwoSoftmaxes();
        var backend = new Genre.Models.Backend.Torch.TorchBackend();
        var many = Ok(CrossFamily.RunMany(backend, data, Seq(a, b), 2));
        Assert.Equal(Seq(1.0, 0.0), many.Blend.Weights);
        Assert.Equal(21, many.Blend.Points);
        Assert.Equal(many.Models[0], many.Models[1]);
        Assert.Equal(many.Models[0].Test, many.Test);
        Assert.Equal(many.Models[0].Val, many.Blend.ValAccuracy);
        Assert.Equal((0, 0), (many.AgainstFirst.OnlyFirst, many.AgainstFirst.OnlySecond));
        var pair = Ok(CrossFamily.Run(backend, data, a, b, 2));
        Assert.Equal(0.0, pair.Blend.Weight); // ties: the smallest weight on the first
        Assert.Equal((pair.FirstTest, pair.FirstVal), (pair.SecondTest, pair.SecondVal));
        Assert.Equal(pair.FirstTest, pair.Test);
        Assert.Equal(many.Test, pair.Test);
    }

    [Fact]
    public void A_gbdt_folder_without_a_run_of_genres_candidates_with_the_seed_cannot_be_blended()
    {
        var (data, a, _) = TwoSoftmaxes();
        var trees = GbdtFolder(Trials(seed: 3));
        Assert.Equal($"{trees}: no finished gbdt run of genre's candidates with seed 2",
            Fail(CrossFamily.Run(new Genre.Models.Backend.Torch.TorchBackend(), data, trees, a, 2)));
    }

    [Fact]
    public void The_lightgbm_claim_is_measured_on_the_report_split_and_on_a_stratified_one_with_every_round_kept()
    {
        var cleaned = Cleaned();
        var report = Ok(LightGbmClaim.OnReportSplit(cleaned, 1, 1, rounds: 2));
        var prepared = Ok(ReportPipeline.Prepare(cleaned, None));
        Assert.Equal(("report split (64/16/20)", prepared.Scaled.Train.Y.Length, prepared.Scaled.Test.Y.Length, 2),
            (report.Split, report.Train, report.Test, report.Rounds));
        Assert.Equal(2, report.Curve.Count);
        var stratified = Ok(LightGbmClaim.OnStratifiedSplit(cleaned, 1, 1, rounds: 2));
        Assert.Equal("stratified 80/20", stratified.Split);
        Assert.Equal(cleaned.Count, stratified.Train + stratified.Test);
        Assert.Equal(2, stratified.Rounds);
        foreach (var m in new[] { report, stratified })
            Assert.True(0 <= m.Top1 && m.Top1 <= m.Top5 && m.Top5 <= 1 && m.Seconds >= 0, m.Split);
        var settings = LightGbmClaim.Settings(114, 5, 3);
        Assert.Equal((0.05, 127, 500, 0, 5, 3), (settings.LearningRate, settings.Leaves, settings.Rounds, settings.Patience, settings.Seed,
            settings.Threads));
    }
}
