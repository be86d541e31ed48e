using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>How a host wants libtorch to run in its process.</summary>
/// <param name="Threads">libtorch's intra-op thread count; 0 or less means one per core.</param>
/// <param name="TuneNative">Apply <see cref="NativeRuntime"/>'s glibc malloc and OpenMP settings (they only matter for speed).</param>
public sealed record TorchOptions(int Threads = 0, bool TuneNative = true);

/// <summary>
/// The one place where Genre changes process-wide state for libtorch. A host (the CLI, a benchmark, a test run, your program)
/// calls <see cref="Configure"/> once, before its first model; nothing else in the library touches these settings, and a program
/// that never calls it runs with libtorch's defaults.
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
}
