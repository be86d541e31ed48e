using Genre.Data;
using Genre.Models.Backend;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>Issue 14: process-wide state changes only through <see cref="TorchRuntime"/>; compiled models are released on every
/// path.</summary>
[Collection(nameof(ThreadCount))]
public class RuntimeTests
{
    [Fact]
    public void Configure_sets_the_thread_count_and_a_backend_leaves_it_alone()
    {
        try
        {
            Assert.Equal(1, TorchRuntime.Configure(new TorchOptions(Threads: 1)).Threads);
            Assert.Equal(1, TorchRuntime.Threads);
            using var model = Ok(new TorchBackend().Compile(Zoo.Dnn1(3), 5));
            Assert.Equal(1, TorchRuntime.Threads);
            Assert.Equal(Environment.ProcessorCount, TorchRuntime.Configure(new TorchOptions(Threads: 0)).Threads);
        }
        finally { TorchRuntime.Configure(new TorchOptions(Threads: 2)); }
    }

    [Fact]
    public void Compiling_and_training_draw_nothing_from_torchs_global_generator()
    {
        manual_seed(123);
        var expected = rand(4).data<float>().ToArray();
        manual_seed(123);
        using (var model = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 9)))
        {
            var data = Support.Problem(40, 3);
            Ok(model.Fit(data, None, new TrainingConfig(2, 10, 9, new AdamSettings())));
        }
        Assert.Equal(expected, rand(4).data<float>().ToArray());
    }

    [Fact]
    public void Use_disposes_the_model_when_the_body_fails()
    {
        TorchModel? seen = null;
        var result = Support.Backend.Compile(Zoo.Dnn1(3), 1).Use(m =>
        {
            seen = (TorchModel)m;
            Assert.False(seen.Parameters[0].IsInvalid);
            return FinFail<int>(GenreError.Data("the body failed"));
        });
        Assert.Equal("the body failed", Fail(result));
        Assert.NotNull(seen);
        Assert.All(seen!.Parameters, p => Assert.True(p.IsInvalid));
    }

    [Fact]
    public void Use_disposes_the_model_when_the_body_throws_and_passes_a_failed_compile_through()
    {
        TorchModel? seen = null;
        Assert.Throws<InvalidOperationException>(() => Support.Backend.Compile(Zoo.Dnn1(3), 1).Use<int>(m =>
        {
            seen = (TorchModel)m;
            throw new InvalidOperationException("boom");
        }));
        Assert.All(seen!.Parameters, p => Assert.True(p.IsInvalid));
        var bad = Zoo.Dnn1(3) with { Layers = Seq1<Layer>(new Dense(3)) }; // no softmax: compile fails, the body never runs
        Assert.Contains("softmax", Fail(Support.Backend.Compile(bad, 1).Use(_ => FinSucc(1))));
    }
}
