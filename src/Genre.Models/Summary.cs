using System.Text;

namespace Genre.Models;

/// <summary>Keras' <c>model.summary()</c> table (TF 2.x layout, line length 65) with Keras' layer naming and counts.</summary>
public static class Summary
{
    /// <summary>Number of weights (kernels and biases) of the model; 0 when its shapes do not chain.</summary>
    public static long ParamCount(Sequential model) => WeightShapes.ParamCount(model);

    /// <summary>Keras auto-names: dense, dense_1, lstm, lstm_1, dropout, … per layer type.</summary>
    public static Seq<string> LayerNames(Sequential model)
    {
        var types = model.Layers.Map(l => Shapes.LayerType(l).ToLowerInvariant()).Strict();
        return types.Map((i, type) => types.Take(i).Count(t => t == type) is var n and > 0 ? $"{type}_{n}" : type).ToSeq().Strict();
    }

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
        long total = 0;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var p = WeightShapes.Of(i, model.Layers[i], inputs[i]).Sum(w => (long)w.Size);
            total += p;
            sb.Append(Row($"{names[i]} ({Shapes.LayerType(model.Layers[i])})", Shapes.Show(outputs[i]), p.ToString())).Append('\n');
            sb.Append(i == model.Layers.Count - 1 ? new string('=', 65) : rule).Append('\n');
        }
        sb.Append($"Total params: {total:N0}\nTrainable params: {total:N0}\nNon-trainable params: 0\n{rule}\n");
        return sb.ToString();
    }

    static string Row(string a, string b, string c) => a.PadRight(29) + b.PadRight(26) + c.PadRight(10);
}
