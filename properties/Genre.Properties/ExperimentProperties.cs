using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;
using Genre.Testing.Laws;

namespace Genre.Properties;

/// <summary>
/// Issues 23 and 24: what a user composes — feature pipelines, specs, settings, learners, experiments — on Genre.Testing's
/// generators: each round-trips through the JSON genre stores it as, pipelines obey the stage laws, specs are valid, and an
/// experiment's recipe changes exactly when what it trains changes.
/// </summary>
public class ExperimentProperties
{
    static JsonObject Reparsed(JsonObject o) => JsonNode.Parse(o.ToJsonString())!.AsObject();

    static Property Equal<A>(A expected, Fin<A> actual) =>
        actual.Match(a => EqualityComparer<A>.Default.Equals(a, expected).Label($"read back as {a}"), e => false.Label(e.Message));

    [Property(MaxTest = 100)]
    public Property An_experiment_round_trips_through_its_settings_file_json() =>
        Prop.ForAll(GenreArb.Experiments(), e => Equal(e, ExperimentJson.FromJson(Reparsed(ExperimentJson.ToJson(e)), "e")));

    [Property(MaxTest = 200)]
    public Property Training_settings_round_trip() =>
        Prop.ForAll(ExperimentGen.TrainingSettings.ToArbitrary(),
            s => Equal(s, ExperimentJson.SettingsOf(Reparsed(ExperimentJson.ToJson(s)), "s")));

    [Property(MaxTest = 200)]
    public Property LightGBM_settings_round_trip() =>
        Prop.ForAll(ExperimentGen.TreeSettings.ToArbitrary(),
            s => Equal(s, ExperimentJson.GbdtOf(Reparsed(ExperimentJson.ToJson(s)), "g")));

    [Property(MaxTest = 100)]
    public Property The_recipe_ignores_what_only_names_or_describes_an_experiment() =>
        Prop.ForAll(GenreArb.Experiments(), ExperimentGen.TrainingSettings.ToArbitrary(), (e, s) =>
            e.RecipeWith(s) == (e with
            {
                Name = "other",
                Title = "another title",
                ReportAccuracy = 0.5,
                AuthorsModel = None,
                Training = HashMap<string, Settings>()
            }).RecipeWith(s));

    [Property(MaxTest = 100)]
    public Property Two_experiments_have_one_recipe_exactly_when_they_train_alike() =>
        Prop.ForAll(GenreArb.Experiments(), GenreArb.Experiments(), ExperimentGen.TrainingSettings.ToArbitrary(), (a, b, s) =>
        {
            var mixed = a with { Features = b.Features };
            var alike = a.Features == b.Features;
            return (mixed.RecipeWith(s) == a.RecipeWith(s)) == alike
                && ((a with { Split = b.Split }).RecipeWith(s) == a.RecipeWith(s)) == (a.Split == b.Split)
                && ((a with { Labels = b.Labels }).RecipeWith(s) == a.RecipeWith(s)) == (a.Labels == b.Labels)
                && ((a with { Model = b.Model }).RecipeWith(s) == a.RecipeWith(s)) == (a.Model == b.Model);
        });

    [Property(MaxTest = 30)]
    public Property Generated_pipelines_obey_the_stage_laws() => StageLawSuite.Generated(GenreArb.Pipelines());

    [Property(MaxTest = 100)]
    public Property A_generated_pipeline_fits_and_writes_the_columns_it_declares() =>
        Prop.ForAll(GenreArb.Pipelines(), StageLawSuite.Frames(), (p, c) =>
            (from fitted in p.FitPipeline(Frame.Of(c.Train))
             from out_ in fitted.Transform(Frame.Of(c.Train)) // other frames may hold a value a label encoder never saw
             from names in fitted.OutputNames(Frame.Of(c.Train).Names)
             select out_.Names == names && out_.Rows == c.Train.Count)
            .Match(ok => ok.Label("declared columns"), e => false.Label(e.Message)));

    [Property(MaxTest = 200)]
    public Property An_unfitted_pipeline_round_trips_through_json() =>
        Prop.ForAll(GenreArb.Pipelines(), p =>
            Equal((Stage)p, StageRegistry.BuiltIn.ReadStage(Reparsed(p.ToJson()), "pipeline")));

    [Property(MaxTest = 200)]
    public Property A_generated_spec_is_valid_and_round_trips_through_model_json() =>
        Prop.ForAll(Gen.Choose(1, 40).SelectMany(i => Gen.Choose(2, 114).SelectMany(k => ExperimentGen.Spec(i, k))).ToArbitrary(), spec =>
            Equal(spec, SpecJson.FromJson(Reparsed(SpecJson.ToJson(spec)), "model.json")));

    [Property(MaxTest = 60)]
    public Property Fitting_a_generated_pipeline_reads_only_the_training_rows_of_a_generated_split() =>
        Prop.ForAll(GenreArb.Pipelines(), GenreGen.Dataset(16).ToArbitrary(), (p, d) =>
            StageLaws.FitReadsTrainingRowsOnly(p, d.Tracks, d.Split,
                    t => t with { Tempo = t.Tempo * 3 + 1000, Popularity = 100 - t.Popularity, Key = 11 - t.Key, Explicit = !t.Explicit })
                .Match(_ => true.ToProperty(), e => false.Label(e.Message)));
}
