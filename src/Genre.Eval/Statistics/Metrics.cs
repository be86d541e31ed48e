using Genre.Data;
using Genre.Models;

namespace Genre.Eval;

/// <summary>Per-class precision, recall, F1 and support.</summary>
public sealed record ClassScore(int Class, double Precision, double Recall, double F1, int Support);

/// <summary>Classification metrics as pure functions of integer labels and predictions (or probabilities).</summary>
public static class Metrics
{
    /// <summary>Share of rows where the prediction equals the label, in [0, 1]; 0 for no rows. Throws when the arrays differ in
    /// length.</summary>
    public static double Accuracy(int[] labels, int[] predictions)
    {
        Same(labels, predictions);
        if (labels.Length == 0) return 0;
        var hits = 0;
        for (var i = 0; i < labels.Length; i++) if (labels[i] == predictions[i]) hits++;
        return (double)hits / labels.Length;
    }

    /// <summary>Keras' categorical cross-entropy on probabilities: clipped to [1e-7, 1 − 1e-7], mean over rows.</summary>
    public static double CrossEntropy(int[] labels, float[] probabilities, int classes, double epsilon = 1e-7)
    {
        if (labels.Length == 0) return 0;
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
            sum -= Math.Log(Math.Clamp((double)probabilities[i * classes + labels[i]], epsilon, 1 - epsilon));
        return sum / labels.Length;
    }

    /// <summary>Loss (<see cref="CrossEntropy"/>) and accuracy of probabilities over the rows of <paramref name="labels"/>, with
    /// their argmax predictions: model.evaluate's numbers for a classifier known by its probabilities.</summary>
    public static (Evaluation Evaluation, int[] Predictions) Score(int[] labels, float[] probabilities, int classes)
    {
        var predictions = Argmax(probabilities, classes);
        return (new Evaluation(CrossEntropy(labels, probabilities, classes), Accuracy(labels, predictions), labels.Length),
                predictions);
    }

    /// <summary>Rows = true class, columns = predicted class.</summary>
    public static long[,] Confusion(int[] labels, int[] predictions, int classes)
    {
        Same(labels, predictions);
        var m = new long[classes, classes];
        for (var i = 0; i < labels.Length; i++) m[labels[i], predictions[i]]++;
        return m;
    }

    /// <summary>
    /// Precision, recall, F1 and support of each class of a confusion matrix (rows = true class); a ratio with a zero
    /// denominator is 0, as scikit-learn's <c>zero_division=0</c>.
    /// </summary>
    public static Seq<ClassScore> PerClass(long[,] confusion)
    {
        var k = confusion.GetLength(0);
        return toSeq(Enumerable.Range(0, k).Select(c =>
        {
            long tp = confusion[c, c], predicted = 0, actual = 0;
            for (var j = 0; j < k; j++) { predicted += confusion[j, c]; actual += confusion[c, j]; }
            var p = predicted == 0 ? 0 : (double)tp / predicted;
            var r = actual == 0 ? 0 : (double)tp / actual;
            return new ClassScore(c, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), (int)actual);
        })).Strict();
    }

    /// <summary>Unweighted mean F1 over the classes that occur in the labels (support > 0); 0 when none does.</summary>
    public static double MacroF1(long[,] confusion) => PerClass(confusion).Filter(s => s.Support > 0).Map(s => s.F1).ToList() is var f
        && f.Count > 0 ? f.Average() : 0;

    /// <summary>Accuracy of probabilities (rows × classes) on labelled rows: the most probable class of each row against its
    /// label.</summary>
    public static double Accuracy(Genre.Models.LabeledData d, float[] probabilities) => Accuracy(d.Y, Argmax(probabilities, d.Classes));

    /// <summary>Share of rows whose true class is among the k most probable (ties broken by lower class index, as argsort).</summary>
    public static double TopK(int[] labels, float[] probabilities, int classes, int k)
    {
        if (labels.Length == 0) return 0;
        var hits = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var own = probabilities[i * classes + labels[i]];
            var better = 0;
            for (var c = 0; c < classes; c++)
            {
                var p = probabilities[i * classes + c];
                if (p > own || (p == own && c < labels[i])) better++;
            }
            if (better < k) hits++;
        }
        return (double)hits / labels.Length;
    }

    /// <summary>The most probable class of each row of <paramref name="probabilities"/> (rows × <paramref name="classes"/>, row-major); the
    /// first on ties.</summary>
    public static int[] Argmax(float[] probabilities, int classes)
    {
        var rows = probabilities.Length / classes;
        var result = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
            result[i] = best;
        }
        return result;
    }

    static void Same(int[] a, int[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"labels ({a.Length}) and predictions ({b.Length}) differ in length");
    }
}
