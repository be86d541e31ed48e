using Genre.Data;

namespace Genre.Models;

public sealed partial record LabeledData
{
    /// <summary>
    /// One split (train, validation or test) of the data layer's float64 <see cref="Dataset"/> as a model's input: features cast
    /// to float32, as Keras casts numpy arrays; labels and class count kept.
    /// </summary>
    public static LabeledData From(Dataset d) =>
        new(System.Array.ConvertAll(d.X.Values, v => (float)v), d.Count, d.Y, d.Classes.Count);
}
