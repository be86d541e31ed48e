using System.Text.Json;
using System.Text.RegularExpressions;

namespace Genre.Models.Tests;

/// <summary><see cref="Summary"/> against the tables Keras printed in the authors' notebooks.</summary>
public class SummaryTests
{
    static string Notebooks => Genre.TestSupport.Inputs.Notebooks;

    /// <summary>Every "Total params" output of a notebook, in order.</summary>
    static List<string> PrintedSummaries(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Notebooks, notebook)));
        var found = new List<string>();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
            if (cell.TryGetProperty("outputs", out var outputs))
                foreach (var o in outputs.EnumerateArray())
                    if (o.TryGetProperty("text", out var text))
                    {
                        var s = string.Concat(text.EnumerateArray().Select(t => t.GetString()));
                        if (s.Contains("Total params")) found.Add(s.Trim('\n'));
                    }
        return found;
    }

    /// <summary>Keras numbers layers per type across a notebook session (dense_5, lstm_1, …): compare without the numbers and the padding
    /// they shift.</summary>
    static string WithoutLayerNumbers(string table) =>
        Regex.Replace(Regex.Replace(table, @"(dense|lstm|dropout|sequential)(_\d+)?", "$1"), " +", " ");

    public static TheoryData<string, string, int> Printed => new()
    {
        { "dnn1", "Spotify_Classification_Dropout.ipynb", 0 },
        { "dnn2", "Spotify_Classification_Dropout.ipynb", 1 },
        { "rnn1", "Spotify_Classification_LSTM.ipynb", 0 },
        { "rnn2", "Spotify_Classification_LSTM.ipynb", 1 },
        { "reduced-rnn1", "Spotify_Classification_reduce_genre.ipynb", 0 },
    };

    [NotebooksTheory, MemberData(nameof(Printed))]
    public void Summary_is_the_table_keras_printed_in_the_notebooks(string model, string notebook, int index)
    {
        var spec = Ok(Zoo.ByName(model)) with { Name = "sequential" };
        var ours = Ok(Summary.Of(spec)).Trim('\n');
        var printed = PrintedSummaries(notebook)[index];
        Assert.Equal(WithoutLayerNumbers(printed), WithoutLayerNumbers(ours));
        if (index == 0) Assert.Equal(printed, ours); // first model of a notebook session: Keras' names are ours exactly
    }

    [Fact]
    public void Param_count_is_the_sum_of_the_weight_shapes()
    {
        // Dense(in→u): in·u + u; LSTM(in→H): 4H(in + H + 1).
        Assert.Equal(15 * 114 + 114, Summary.ParamCount(Zoo.Softmax()));
        Assert.Equal((1 * 250 + 250) + 4 * 80 * (250 + 80 + 1) + (80 * 114 + 114), Summary.ParamCount(Zoo.Rnn1()));
        Assert.Equal(4 * 80 * (1 + 80 + 1) + 4 * 150 * (80 + 150 + 1) + (150 * 114 + 114), Summary.ParamCount(Zoo.Rnn2()));
        Assert.Equal(Summary.ParamCount(Zoo.Dnn1()), Summary.ParamCount(Zoo.Dnn2()));
    }

    [Fact]
    public void Layer_names_are_numbered_per_type_like_keras()
    {
        Assert.Equal(Seq("dense", "dropout", "dense_1", "dense_2", "dense_3", "dense_4"), Summary.LayerNames(Zoo.Dnn2()));
        Assert.Equal(Seq("lstm", "lstm_1", "dense"), Summary.LayerNames(Zoo.Rnn2()));
    }

    [Fact]
    public void An_invalid_spec_has_no_summary_but_an_error()
    {
        var bad = new Sequential(Seq1(15), Seq1<Layer>(new Dense(-3)), "bad");
        Assert.Equal("bad: layer 0 (Dense): units must be > 0, got -3", Fail(Summary.Of(bad)));
    }
}
