namespace Genre.Models.Tests;

/// <summary>
/// Issue 18 (found by the fuzzing harness): a number given to a TorchSharp operation, and the implicit alpha of a tensor add,
/// became a Scalar that the garbage collector could finalize while libtorch still read it — training then failed at random
/// ("Unknown scalar type", "Expected false to be true") when collections were frequent. Here a thread collects without pause
/// while small models train (one libtorch thread, where the race showed most); before the fix dozens of 300 fits failed, so
/// about a dozen of these 120 would.
/// </summary>
[Collection(nameof(ThreadCount))]
public class GarbageCollectionTests
{
    static readonly Sequential Lstms = new(Seq(15, 1), Seq<Layer>(new Dense(8), new Lstm(6, ReturnSequences: true), new Lstm(5),
        new Dropout(0.2), new Dense(3, Activation.Softmax)), "lstms");

    [Fact]
    public void Training_survives_constant_garbage_collection()
    {
        var data = Support.Problem(60, 51);
        TorchRuntime.Configure(new TorchOptions(1));
        var backend = new TorchBackend();
        var failures = new List<string>();
        var stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        })
        { IsBackground = true };
        collector.Start();
        try
        {
            for (var i = 0; i < 120; i++)
                try
                {
                    using var m = Ok(backend.Compile(i % 2 == 0 ? Zoo.Dnn2(3) : Lstms, i));
                    Ok(m.Fit(data, Some(data), new TrainingConfig(3, 20, i, new AdamSettings(LearningRate: 0.01))));
                    m.Predict(data.X, data.Rows);
                }
                catch (Exception e) { failures.Add($"fit {i}: {e.Message.Split('\n')[0]}"); }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
            TorchRuntime.Configure(new TorchOptions(2)); // the thread count is process-wide: back to what the other tests use
        }
        Assert.Empty(failures);
    }
}
