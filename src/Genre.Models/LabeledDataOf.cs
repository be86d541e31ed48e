using Genre.Data;

namespace Genre.Models;

/// <summary>From the data layer's float64 <see cref="Dataset"/> to a model's float32 input, as Keras casts numpy arrays.</summary>
public static class LabeledDataOf
{
    /// <summary>One split (train, validation or test) as a model's input: features cast to float32, labels and class count kept.</summary>
    public static LabeledData Dataset(Dataset d) =>
        new(System.Array.ConvertAll(d.X.Values, v => (float)v), d.Count, d.Y, d.Classes.Count);
}
