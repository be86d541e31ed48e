using System.Text;
using System.Text.RegularExpressions;

namespace Genre.Models;

/// <summary>Keras' <c>model.summary()</c> table (TF 2.x layout, line length 65) with Keras' layer naming and counts.</summary>
public static class Summary
{
    /// <summary>Number of weights (kernels and biases) of the model; 0 when its shapes do not chain.</summary>
    public static long ParamCount(Sequential model) => WeightShapes.ParamCount(model);

    /// <summary>Keras auto-names: dense, dense_1, lstm, lstm_1, dropout, batch_normalization, … per layer type (its class name in
    /// snake case).</summary>
    public static Seq<string> LayerNames(Sequential model)
    {
        var types = model.Layers.Map(l => SnakeCase(Shapes.LayerType(l))).Strict();
        return types.Map((i, type) => types.Take(i).Count(t => t == type) is var n and > 0 ? $"{type}_{n}" : type).ToSeq().Strict();
    }

    /// <summary>Keras' to_snake_case of a class name: BatchNormalization → batch_normalization, LSTM → lstm.</summary>
    static string SnakeCase(string name) =>
        Regex.Replace(Regex.Replace(name, "(.)([A-Z][a-z]+)", "$1_$2"), "([a-z0-9])([A-Z])", "$1_$2").ToLowerInvariant();

    /// <summary>The summary table as Keras prints it (Model: "name", one row per layer with output shape and params, totals); a model error
    /// when the spec is invalid.</summary>
    public static Fin<string> Of(Sequential model) =>
        from valid in SpecValidation.ValidateFin(model)
        from outputs in Shapes.Infer(valid)
        from inputs in Shapes.Inputs(valid)
        select Render(valid, outputs, inputs);

    static string Render(Sequential model, Seq<Seq<int>> outputs, Seq<Seq<int>> inputs)
    {
        var sb = new StringBuilder();
        var rule = new string('_', 65);
        sb.Append($"Model: \"{model.Name}\"\n{rule}\n");
        sb.Append(Row("Layer (type)", "Output Shape", "Param #")).Append('\n').Append(new string('=', 65)).Append('\n');
        var names = LayerNames(model);
        long total = 0, trainable = 0;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var weights = WeightShapes.Of(i, model.Layers[i], inputs[i]);
            var p = weights.Sum(w => w.Size);
            total += p;
            trainable += weights.Filter(w => w.Trainable).Sum(w => w.Size);
            sb.Append(Row($"{names[i]} ({Shapes.LayerType(model.Layers[i])})", Shapes.Show(outputs[i]), p.ToString())).Append('\n');
            sb.Append(i == model.Layers.Count - 1 ? new string('=', 65) : rule).Append('\n');
        }
        sb.Append($"Total params: {total:N0}\nTrainable params: {trainable:N0}\nNon-trainable params: {total - trainable:N0}\n{rule}\n");
        return sb.ToString();
    }

    /// <summary>Keras' print_row: each field cut at its column's end (29, 55, 65), and the character before the next field a
    /// space — a long layer name shows as <c>batch_normalization (BatchNo</c>.</summary>
    static string Row(params string[] fields)
    {
        int[] ends = [29, 55, 65];
        var line = "";
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) line = line[..^1] + " ";
            line += fields[i];
            line = line.Length > ends[i] ? line[..ends[i]] : line.PadRight(ends[i]);
        }
        return line;
    }
}
