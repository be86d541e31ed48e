using System.Text.Json.Nodes;
using Genre.Models;

namespace Genre.Eval;

/// <summary>
/// What an experiment fits, as a value: one network, an ensemble of k copies of one network (trained from consecutive seeds,
/// combined by the mean of their probabilities), or gradient-boosted trees (candidate configurations, the best on validation
/// kept). Each has its runner (<see cref="Runners"/>).
/// </summary>
public abstract record Learner
{
    Learner() { }

    /// <summary>The learner as JSON: <c>{"kind": "net", "spec"}</c>, <c>{"kind": "ensemble", "spec", "members"}</c> or
    /// <c>{"kind": "trees", "candidates"}</c> (read back by <see cref="ExperimentJson.FromJson"/>).</summary>
    public abstract JsonObject ToJson();

    /// <summary>One Keras-shaped network.</summary>
    public sealed record Net(Sequential Spec) : Learner
    {
        /// <inheritdoc/>
        public override JsonObject ToJson() => new() { ["kind"] = "net", ["spec"] = SpecJson.ToJson(Spec) };
    }

    /// <summary><paramref name="Members"/> copies of <paramref name="Spec"/>, member k trained from seed S + k − 1.</summary>
    public sealed record Ensemble(Sequential Spec, int Members) : Learner
    {
        /// <inheritdoc/>
        public override JsonObject ToJson() => new() { ["kind"] = "ensemble", ["spec"] = SpecJson.ToJson(Spec), ["members"] = Members };
    }

    /// <summary>LightGBM with each of <paramref name="Candidates"/>, the best on validation accuracy scored on test.</summary>
    public sealed record Trees(Seq<GbdtSettings> Candidates) : Learner
    {
        /// <inheritdoc/>
        public override JsonObject ToJson() =>
            new() { ["kind"] = "trees", ["candidates"] = new JsonArray(Candidates.Map(c => (JsonNode)ExperimentJson.ToJson(c)).ToArray()) };
    }

    /// <summary>The network a net or an ensemble trains (None for trees).</summary>
    public Option<Sequential> Network => this switch
    {
        Net n => n.Spec,
        Ensemble e => e.Spec,
        _ => None,
    };

    /// <summary>How many models it trains: an ensemble's members, else 1.</summary>
    public int Models => this is Ensemble e ? e.Members : 1;
}
