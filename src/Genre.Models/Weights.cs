using Genre.Data;

namespace Genre.Models;

/// <summary>
/// One named float32 tensor in Keras layout: Dense "kernel" (in, units) and "bias" (units); LSTM "kernel"
/// (in, 4H), "recurrent_kernel" (H, 4H), "bias" (4H), gate blocks in order i, f, c, o. Row-major.
/// </summary>
public sealed record NamedTensor(string Name, Seq<int> Shape, float[] Values)
{
    /// <summary>The same name, shape and values (records would compare the array by reference).</summary>
    public bool Equals(NamedTensor? other) => other is not null && Name == other.Name && Shape == other.Shape
        && ArrayValues.Equal(Values, other.Values);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(Name, ArrayValues.Hash(Values));
}

/// <summary>The weights of one layer that has weights (Dropout has none), Keras order.</summary>
public sealed record LayerWeights(int LayerIndex, Seq<NamedTensor> Tensors);

/// <summary>All weights of a model, backend-neutral: what TF2 import produces and what checkpoints store.</summary>
public sealed record ModelWeights(Seq<LayerWeights> Layers);
