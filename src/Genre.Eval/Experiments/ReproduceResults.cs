using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;

namespace Genre.Eval;

/// <summary>One experiment of a reproduce run, finished.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Settings">The settings it was trained with.</param>
/// <param name="Test">Loss and accuracy on the test split.</param>
/// <param name="History">Every epoch's metrics.</param>
/// <param name="Seconds">Training time in seconds, summed over every session that trained it (resumed runs included).</param>
/// <param name="Confusion">Test confusion matrix: rows = true class, columns = predicted class, both indices into <paramref
/// name="Classes"/>.</param>
/// <param name="Classes">The genres, in the model's output order.</param>
/// <param name="How">Whether this run trained it, found it done, or shared another experiment's training.</param>
public sealed record ExperimentResult(Experiment Experiment, Settings Settings, Evaluation Test, History History, double Seconds,
                                      long[,] Confusion, Seq<string> Classes, Provenance How)
{
    /// <summary>The test rows' labels and this model's predictions, in the test split's order (empty when not kept).</summary>
    public int[] TestLabels { get; init; } = [];
    /// <summary>This model's predicted class per test row (empty when not kept).</summary>
    public int[] TestPredictions { get; init; } = [];
    /// <summary>This model's test probabilities, rows × classes (empty when not kept).</summary>
    public float[] TestProbabilities { get; init; } = [];
    /// <summary>Top-k, macro-F1, family and listed-genre accuracy and calibration (None when the probabilities were not
    /// kept).</summary>
    public Option<ProbabilityMetrics> Scores { get; init; }

    /// <summary>An ensemble's own validation accuracy and its members' scores (None for one model).</summary>
    public Option<EnsembleScores> Ensemble { get; init; }

    /// <summary>The labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Experiment.Name, TestLabels, TestPredictions, Classes, Experiment.Reduced);

    /// <summary>The epochs it ran, for a table: its history's length, or each member's for an ensemble ("63, 70, 58").</summary>
    public string EpochsRun =>
        Ensemble.Match(Ensembles.EpochsRun, () => History.Epochs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>How this run obtained an experiment's model.</summary>
public abstract record Provenance
{
    /// <summary>Trained (or resumed from a checkpoint) by this run.</summary>
    public sealed record Trained : Provenance;
    /// <summary>Finished earlier in the output folder with the same settings: loaded and re-scored.</summary>
    public sealed record AlreadyDone : Provenance;
    /// <summary>Same layers, labels and settings as an experiment before it: trained once, weights shared.</summary>
    public sealed record SameTrainingAs(string Experiment) : Provenance;

    /// <summary>A few words for reports and the CLI: "trained", "already done" or "same training as NAME".</summary>
    public string Describe() => this switch
    {
        Trained => "trained",
        AlreadyDone => "already done",
        SameTrainingAs s => $"same training as {s.Experiment}",
        _ => "?",
    };
}

/// <summary>An authors' SavedModel re-scored on this run's test split.</summary>
/// <param name="Experiment">The experiment it belongs to.</param>
/// <param name="Model">The SavedModel's folder name, e.g. RNN1net.</param>
/// <param name="Test">Its loss and accuracy on the test split.</param>
public sealed record AuthorsScore(string Experiment, string Model, Evaluation Test)
{
    /// <summary>The test rows' labels and the authors' model's predictions (empty when not kept).</summary>
    public int[] TestLabels { get; init; } = [];
    /// <summary>The authors' model's predicted class per test row (empty when not kept).</summary>
    public int[] TestPredictions { get; init; } = [];
    /// <summary>The class names the labels and predictions index.</summary>
    public Seq<string> Classes { get; init; } = Seq<string>();

    /// <summary>The labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Experiment, TestLabels, TestPredictions, Classes,
        Experiments.OfReport.Find(e => e.Name == Experiment).Exists(e => e.Reduced));
}

/// <summary>A reproduce run.</summary>
/// <param name="Source">Where the data came from.</param>
/// <param name="Profile">The training settings' profile.</param>
/// <param name="Results">The experiments run, in the report's order.</param>
/// <param name="Authors">The authors' SavedModels that were found and scored (none without an authors' folder).</param>
/// <param name="Seconds">Wall-clock seconds of the whole run.</param>
public sealed record ReproduceResult(DataSource Source, Profile Profile, Seq<ExperimentResult> Results, Seq<AuthorsScore> Authors,
    double Seconds)
{
    /// <summary>The gradient-boosted trees baseline, when run (<see cref="Beyond.Gbdt"/>) or finished in the folder.</summary>
    public Option<GbdtResult> Gbdt { get; init; }
    /// <summary>The experiments again on the track-aware split (<see cref="Beyond.TrackAware"/>), and gbdt's chosen configuration
    /// there.</summary>
    public Seq<ExperimentResult> TrackAware { get; init; } = Seq<ExperimentResult>();
    /// <summary>gbdt on the track-aware split, when run or finished there.</summary>
    public Option<GbdtResult> GbdtTrackAware { get; init; }
    /// <summary>The experiments again on the artist-aware split (run with <see cref="Beyond.TrackAware"/>), and gbdt's chosen
    /// configuration there.</summary>
    public Seq<ExperimentResult> ArtistAware { get; init; } = Seq<ExperimentResult>();
    /// <summary>gbdt on the artist-aware split, when run or finished there.</summary>
    public Option<GbdtResult> GbdtArtistAware { get; init; }
    /// <summary>RNN1 (the model whose confusion the report merged by) on hand vs learned merges, when RNN1 finished here.</summary>
    public Option<MergeComparison> Merges { get; init; }
}

/// <summary>
/// Work beyond the report's seven experiments: the gbdt baseline (its folder <c>gbdt/</c>), and every requested model trained
/// again on the track-aware split (folder <c>track-aware/</c>). Finished work in those folders is re-scored even when not asked for.
/// </summary>
public sealed record Beyond(bool Gbdt = false, bool TrackAware = false, int Threads = 0);

/// <summary>Progress of a reproduce run, for the CLI to render.</summary>
public abstract record ReproduceEvent;
/// <summary>An experiment is about to be trained or loaded.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Index">Its position in this run, 0-based.</param>
/// <param name="Total">Experiments in this run.</param>
/// <param name="Settings">The settings it will be trained with.</param>
public sealed record ExperimentStarted(Experiment Experiment, int Index, int Total, Settings Settings) : ReproduceEvent;
/// <summary>A training event of the experiment being trained.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Seed">The seed it trains with.</param>
/// <param name="Event">The model's event (batch, epoch, checkpoint).</param>
public sealed record ExperimentTraining(Experiment Experiment, int Seed, TrainingEvent Event) : ReproduceEvent;
/// <summary>An experiment is done and scored.</summary>
/// <param name="Result">Its result.</param>
public sealed record ExperimentFinished(ExperimentResult Result) : ReproduceEvent;
