using Genre.Data.Stages;
using Genre.Models;
using Genre.Models.Backend.Torch;
using static Genre.Eval.Tests.SmallRuns;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// What Stryker's last runs over <c>Experiments/</c> left standing with <c>EVAL_FAST=1</c>: a run folder restarts over
/// checkpoints of other settings, the rows a folder's pipeline refuses are named as validation or test rows, a LightGBM
/// candidate that fails names the folder and itself, and on the Kaggle file an experiment's accuracy figure carries the authors'
/// TF2 log. Each test fails with its mutant applied by hand.
/// </summary>
public class ExperimentsSurvivorsMutationTests
{
    static readonly TorchBackend Backend = new();

    [Fact]
    public void A_run_folder_holding_checkpoints_of_other_settings_starts_again_instead_of_refusing()
    {
        var (outDir, source) = Fresh("mut-restart");
        var data = Ok(ReportData.Load(source)).Full;
        Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, new Settings(2, 128, 2).ToConfig(), outDir));
        var written = Checkpoints.List(Path.Combine(outDir, "checkpoints")).ToList();
        Assert.NotEmpty(written);
        // another batch size: the folder is the run's own, so its stale checkpoints go and training starts from epoch 1
        var again = Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, new Settings(2, 64, 2).ToConfig(), outDir));
        Assert.Equal(Seq(1, 2), again.History.Epochs.Map(e => e.Epoch));
    }

    /// <summary>A folder whose pipeline first label-encodes <c>track_id</c> as fitted on <paramref name="known"/>: tracks
    /// outside them are refused by the pipeline, whatever the model.</summary>
    static string RefusingFolder(string dir, PreparedData d, Seq<Track> known)
    {
        var fitted = Ok(Pipeline.Of(new LabelEncode("track_id"), Pipelines.Report).FitPipeline(Frame.Of(known)));
        var p = new Preprocessing(fitted, d.Genres, d.Mapping, d.Ranges);
        var spec = new Sequential(Seq1(15), Seq1<Layer>(new Dense(d.Genres.Count, Activation.Softmax)));
        var weights = new ModelWeights(Seq1(new LayerWeights(0, Seq(
            new NamedTensor("kernel", Seq(15, d.Genres.Count), new float[15 * d.Genres.Count]),
            new NamedTensor("bias", Seq1(d.Genres.Count), new float[d.Genres.Count])))));
        Ok(new Classifier(p, new StoredClassifier(Seq1(new StoredModel(spec, weights, Some(p))))).Save(dir));
        return dir;
    }

    [Fact]
    public void A_blend_folder_whose_pipeline_refuses_tracks_names_the_validation_or_the_test_rows()
    {
        var (dir, source) = SmallRuns.SyntheticSource("mut-cross-family-rows");
        var data = Ok(ReportData.Load(source));
        var d = data.Full;
        var split = Ok(Split.ReportSplit(data.Cleaned.Count));
        Seq<Track> Tracks(params int[][] parts) => parts.SelectMany(p => p).Select(i => data.Cleaned[i]).ToSeq().Strict();
        var good = RefusingFolder(Path.Combine(dir, "good"), d, data.Cleaned);
        var testOnly = RefusingFolder(Path.Combine(dir, "train-and-test"), d, Tracks(split.Train, split.Test));
        var valOnly = RefusingFolder(Path.Combine(dir, "train-and-validation"), d, Tracks(split.Train, split.Val));
        Assert.StartsWith("validation rows: row ", Fail(CrossFamily.Run(Backend, data, good, testOnly, seed: 2)));
        Assert.StartsWith("test rows: row ", Fail(CrossFamily.Run(Backend, data, good, valOnly, seed: 2)));
    }

    [Fact]
    public void A_gbdt_candidate_LightGBM_cannot_fit_is_an_error_naming_the_folder_and_the_candidate()
    {
        var (dir, source) = SmallRuns.SyntheticSource("mut-gbdt-refused");
        var data = Ok(ReportData.Load(source)).Full;
        var out_ = Path.Combine(dir, "gbdt");
        var bad = new GbdtSettings(0.1, Leaves: 1, MinLeaf: 5, MaxRounds: 3, EarlyStop: 2);
        Assert.StartsWith($"{out_}: gbdt (lr 0.1, 1 leaves, ≥ 5 rows a leaf, ≤ 3 rounds (early stop 2)): ",
            Fail(Gbdt.Run(data, Seq1(bad), out_, seed: 2, threads: 1)));
        Assert.False(File.Exists(Path.Combine(out_, Gbdt.TrialsFile)));
    }

    [Fact]
    public void On_the_Kaggle_file_an_experiments_accuracy_and_loss_figures_carry_the_authors_log()
    {
        var (outDir, synthetic) = Fresh("mut-authors-curves");
        var dnn1 = Named("dnn1");
        Folders.CopyTree(Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "dnn1"), Path.Combine(outDir, "dnn1"));
        // the same rows under the Kaggle file's identity: figures are drawn from the source's record, not from its rows
        var kaggle = new DataSource(synthetic.Path, false, 0, DataSource.KaggleSha256);
        Assert.True(kaggle.IsKaggleFile);
        var run = Ok(Reproduce.Run(Backend, kaggle, Profiles.Fast(2), Seq<Experiment>(), outDir, None));
        var x = Assert.Single(run.Results);
        var authors = AuthorsCurves.For("dnn1");
        Assert.True(authors.IsSome);
        var (accuracy, loss) = Plots.LearningCurves(dnn1.Title, x.History, authors);
        Assert.Equal(accuracy, File.ReadAllBytes(Path.Combine(outDir, "dnn1-accuracy.png")));
        Assert.Equal(loss, File.ReadAllBytes(Path.Combine(outDir, "dnn1-loss.png")));
        Assert.NotEqual(Plots.LearningCurves(dnn1.Title, x.History, None).Accuracy, accuracy);
    }
}
