using Genre.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The TorchSharp (libtorch CPU) backend. Creating one changes nothing outside it: the thread count and native tuning are the
/// host's, set once with <see cref="TorchRuntime.Configure"/>; each model draws its randomness from its own seeded generators
/// (initial weights from the compile seed, dropout and shuffles from the training seed), never from torch's global one. Its
/// <paramref name="chunking"/> (default <see cref="LaneChunking.Default"/>) is how every model's LSTM lanes cut rows: results
/// depend on it in the last bits, never on the thread count. With <paramref name="ownGemm"/> (the default) training runs the LSTM
/// and Dense gemms on genre's own AVX-512 kernels where the CPU has AVX-512F; false keeps libtorch's (the benches' before).
/// </summary>
public sealed class TorchBackend(LaneChunking? chunking = null, bool ownGemm = true) : IBackend
{
    /// <summary>How the models of this backend cut rows into lanes.</summary>
    public LaneChunking Chunking { get; } = chunking ?? LaneChunking.Default;

    /// <summary>Whether training's fused layers use genre's own gemm kernels (where the CPU has AVX-512F) or libtorch's.</summary>
    public bool OwnGemm { get; } = ownGemm;

    /// <inheritdoc />
    public Fin<ICompiledModel> Compile(Sequential spec, int seed) =>
        from valid in Checked(spec)
        from weights in WeightShapes.Of(valid)
        select (ICompiledModel)Build(valid, weights, seed);

    TorchModel Build(Sequential spec, Seq<WeightSpec> weights, int seed)
    {
        using var g = new Generator((ulong)seed);
        using var scope = NewDisposeScope(); // keeps every temporary alive until the parameters are made (see Scalars)
        return new TorchModel(spec, weights, KerasInit.Initial(weights, spec, g), Chunking) { OwnGemm = OwnGemm };
    }

    /// <inheritdoc />
    public Fin<ICompiledModel> Load(Sequential spec, ModelWeights weights) =>
        from valid in Checked(spec)
        from expected in WeightShapes.Of(valid)
        from _ in valid.CheckWeights(weights)
        select (ICompiledModel)WithWeights(valid, expected, weights);

    TorchModel WithWeights(Sequential spec, Seq<WeightSpec> expected, ModelWeights weights)
    {
        var flat = weights.Layers.Bind(l => l.Tensors).ToArray();
        using var scope = NewDisposeScope();
        return new TorchModel(spec, expected, flat.Select(t => tensor(t.Values, t.Shape.Map(d => (long)d).ToArray())), Chunking)
        {
            OwnGemm = OwnGemm,
        };
    }

    /// <summary>A valid spec whose output layer categorical cross-entropy can train (<see cref="SpecFacts.OutputLayer"/>).</summary>
    static Fin<Sequential> Checked(Sequential spec) =>
        from valid in SpecValidation.ValidateFin(spec)
        from _ in valid.OutputLayer("training with categorical cross-entropy")
        select valid;
}
