using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>How a host wants libtorch to run in its process.</summary>
/// <param name="Threads">libtorch's intra-op thread count; 0 or less means one per core.</param>
/// <param name="TuneNative">Apply <see cref="NativeRuntime"/>'s glibc malloc and OpenMP settings (they only matter for speed).</param>
public sealed record TorchOptions(int Threads = 0, bool TuneNative = true);

/// <summary>
/// The one place where Genre changes libtorch's settings. A host (the CLI, a benchmark, a test run, your program) calls
/// <see cref="Configure"/> once, before its first model, and a program that never calls it runs with libtorch's defaults. The
/// library itself changes one setting, only here and only for the duration of a call: the LSTM lanes and the predictor run
/// libtorch single-threaded (they are the parallelism) through <see cref="SingleThreaded"/>, which restores the host's thread
/// count before it returns, and on the lanes' own worker threads (<see cref="SingleThreadedThread"/>).
/// </summary>
public static class TorchRuntime
{
    /// <summary>
    /// Applies <paramref name="options"/> (default: one thread per core, native tuning on) and returns them with the thread count
    /// resolved. The native tuning is applied at most once per process and must come before the first tensor to take full effect;
    /// the thread count may be set again later (tests do).
    /// </summary>
    public static TorchOptions Configure(TorchOptions? options = null)
    {
        var o = options ?? new TorchOptions();
        if (o.TuneNative) NativeRuntime.Tune();
        var resolved = o with { Threads = o.Threads > 0 ? o.Threads : Environment.ProcessorCount };
        set_num_threads(resolved.Threads);
        return resolved;
    }

    /// <summary>libtorch's current intra-op thread count.</summary>
    public static int Threads => get_num_threads();

    /// <summary>Runs <paramref name="body"/> with libtorch single-threaded, then restores the thread count it found (also when
    /// <paramref name="body"/> throws).</summary>
    internal static void SingleThreaded(Action body)
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try { body(); }
        finally { set_num_threads(threads); }
    }

    /// <summary>libtorch single-threaded for the rest of the calling thread's life: for threads the library owns (a lane's
    /// worker), never a host's.</summary>
    internal static void SingleThreadedThread() => set_num_threads(1);
}
