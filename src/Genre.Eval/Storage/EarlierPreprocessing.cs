using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Eval;

/// <summary>
/// <c>preprocessing.json</c> as genre 0.1 wrote it before pipelines were values, read only by <see cref="Migration"/>: format 1
/// (features, explicit classes, the report's fitted MinMaxScaler) and format 2 (the same plus the tabular encoding). Each is read as
/// the fitted pipeline it was — <see cref="Pipelines.Report"/> or <see cref="Pipelines.Tabular"/> with the stored values — so a
/// migrated folder scores exactly as before.
/// </summary>
internal static class EarlierPreprocessing
{
    public const string ScalerFormat = "genre-preprocessing/1";
    public const string EncodedFormat = "genre-preprocessing/2";

    public static Fin<Preprocessing> FromJson(JsonObject o, string origin)
    {
        LanguageExt.Common.Error Bad(string what) => GenreError.Model($"{origin}: {what} — the file is damaged");
        Fin<double[]> Column(JsonObject scaler, string name, int n) =>
            StageJson.Numbers(scaler, name, $"{origin}: scaler").Bind(v => v.Length == n
                ? FinSucc(v) : FinFail<double[]>(Bad($"scaler.{name} is not a list of {n} numbers")));
        var features = Track.FeatureColumns;
        var encoded = Json.String(o, "format") == Some(EncodedFormat);
        return from named in StageJson.Texts(o, "features", origin)
               from _1 in named == features ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{origin}: features must be the report's 15 in order " +
                       $"({string.Join(", ", features)}), " +
                                                    $"got {string.Join(", ", named)}"))
               from s in StageJson.Object(o, "scaler", origin)
               from _2 in Json.String(s, "kind") == Some("MinMaxScaler") ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{origin}: scaler: only MinMaxScaler is supported"))
               from dataMin in Column(s, "data_min", features.Count)
               from dataMax in Column(s, "data_max", features.Count)
               from scale in Column(s, "scale", features.Count)
               from min in Column(s, "min", features.Count)
               from explicitClasses in StageJson.Texts(o, "explicit_classes", origin)
               from _3 in !explicitClasses.IsEmpty && explicitClasses.Distinct().Count() == explicitClasses.Count ? FinSucc(unit)
                   : FinFail<Unit>(Bad("a class is listed twice"))
               from common in Preprocessing.Common(o, origin)
               let scaler = new MinMaxScaler(dataMin, dataMax, scale, min)
               let head = Seq<FittedStage>(new SelectColumns.Fitted(new SelectColumns(features)),
                   new LabelEncode.Fitted("explicit", new LabelEncoding(explicitClasses)))
               from pipeline in encoded
                   ? StageJson.Object(o, "encoding", origin).Bind(e => Tabular(e, scaler, $"{origin}: encoding"))
                       .Map(tail => new FittedPipeline(Pipelines.Tabular, head.Add(tail).Strict()))
                   : o.ContainsKey("encoding") && o["encoding"] is not null
                       ? FinFail<FittedPipeline>(Bad($"an encoding in a {ScalerFormat} file"))
                       : FinSucc(new FittedPipeline(Pipelines.Report, head.Add(new MinMax.Fitted(features, scaler)).Strict()))
               select new Preprocessing(pipeline, common.Genres, common.Mapping,
                   features.Select((c, i) => new FeatureRange(c, dataMin[i], dataMax[i])).Where(r => r.Column != "explicit")
                       .ToSeq().Strict());
    }

    /// <summary>Format 2's encoding as the tabular pipeline's fitted column transformer: the scaler's columns for each group, the
    /// stored quantiles and categories.</summary>
    static Fin<FittedStage> Tabular(JsonObject e, MinMaxScaler scaler, string at)
    {
        LanguageExt.Common.Error Bad(string what) => GenreError.Model($"{at}: {what} — the file is damaged");
        MinMax.Fitted Subset(Seq<string> columns)
        {
            var idx = columns.Map(c => Track.FeatureColumns.ToList().IndexOf(c)).ToArray();
            return new MinMax.Fitted(columns, new MinMaxScaler(idx.Select(i => scaler.DataMin[i]).ToArray(),
                idx.Select(i => scaler.DataMax[i]).ToArray(), idx.Select(i => scaler.Scale[i]).ToArray(),
                idx.Select(i => scaler.Min[i]).ToArray()));
        }
        var ct = (ColumnTransformer)Pipelines.Tabular.Stages.Last;
        return from kind in StageJson.Text(e, "kind", at)
               from _0 in kind == "quantile-normal+one-hot" ? FinSucc(unit) : FinFail<Unit>(Bad("kind is not quantile-normal+one-hot"))
               from n in StageJson.Int(e, "quantile_count", at)
               from continuous in StageJson.Array(e, "continuous", at).Bind(a => a.Select((node, k) =>
                   from c in StageJson.Object(node, $"{at} continuous[{k}]")
                   from name in StageJson.Text(c, "column", $"{at} continuous[{k}]")
                   from q in StageJson.Numbers(c, "quantiles", $"{at} continuous[{k}]")
                   from _ in q.Length > 0 && q.All(double.IsFinite) && q.Zip(q.Skip(1)).All(p => p.Item1 <= p.Item2) ? FinSucc(unit)
                       : FinFail<Unit>(Bad($"continuous[{k}].quantiles is not a non-decreasing list of numbers"))
                   select new QuantileNormal.Quantiled(name, q)).ToSeq().Sequence())
               from binary in StageJson.Texts(e, "binary", at)
               from oneHot in StageJson.Array(e, "one_hot", at).Bind(a => a.Select((node, k) =>
                   from c in StageJson.Object(node, $"{at} one_hot[{k}]")
                   from name in StageJson.Text(c, "column", $"{at} one_hot[{k}]")
                   from v in StageJson.Numbers(c, "categories", $"{at} one_hot[{k}]")
                   from _ in v.Distinct().Count() == v.Length ? FinSucc(unit)
                       : FinFail<Unit>(Bad($"one_hot[{k}].categories is not a list of distinct integers"))
                   select new OneHot.Encoded(name, v.ToSeq().Strict())).ToSeq().Sequence())
               let names = continuous.Map(c => c.Column).Strict()
               from _1 in names == Pipelines.Continuous && binary == Pipelines.Binary
                          && oneHot.Map(c => c.Column) == Pipelines.Categorical.Map(c => c.Column)
                   ? FinSucc(unit) : FinFail<Unit>(Bad("the columns are not the tabular encoding's (each of the 15 features once)"))
               select (FittedStage)new ColumnTransformer.Fitted(ct, Seq<FittedStage>(
                   new FittedPipeline((Pipeline)ct.Groups[0].Stage,
                       Seq<FittedStage>(Subset(names), new QuantileNormal.Fitted(n, continuous.Strict()))),
                   Subset(binary),
                   new OneHot.Fitted((OneHot)ct.Groups[2].Stage, oneHot.Strict())), Empty);
    }
}
