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
/// libtorch single-threaded (they are the parallelism) through <see cref="SingleThreaded"/>, on the calling thread only, which
/// it restores before it returns, and on the lanes' own worker threads (<see cref="SingleThreadedThread"/>).
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

    /// <summary>Runs <paramref name="body"/> with libtorch single-threaded on the calling thread, then restores what it found
    /// (also when <paramref name="body"/> throws). Only this thread's setting changes (<see cref="ThreadLocalThreads"/>).</summary>
    internal static void SingleThreaded(Action body)
    {
        var restore = ThreadLocalThreads.SetOne();
        try { body(); }
        finally { restore(); }
    }

    /// <summary>libtorch single-threaded for the rest of the calling thread's life: for threads the library owns (a lane's
    /// worker), never a host's.</summary>
    internal static void SingleThreadedThread() => ThreadLocalThreads.SetOne();
}

/// <summary>
/// One thread's libtorch thread count, set without touching any other thread. libtorch's <c>set_num_threads</c> sets the calling
/// thread's OpenMP and MKL counts, but also a process-wide count (which every thread's first parallel op copies) and the size of
/// its shared pthreadpool: called from the lanes around every pass, it made a thread starting meanwhile single-threaded for
/// good and resized the pool under concurrent ops (a rare libtorch assertion in parallel tests). Here only the two thread-local
/// parts are set, through the libgomp and the MKL that libtorch itself loaded (found in this process's memory map); where they
/// cannot be found, <c>set_num_threads</c> is the fallback.
/// </summary>
internal static class ThreadLocalThreads
{
    delegate void OmpSet(int threads);
    delegate int MklSetLocal(int threads);

    sealed record Native(OmpSet Omp, MklSetLocal Mkl);

    static readonly Lazy<Native?> native = new(Find);

    /// <summary>Whether the thread-local setters were found (else the process-wide fallback runs).</summary>
    internal static bool Found => native.Value is not null;

    /// <summary>This thread single-threaded; returns what puts back its earlier setting.</summary>
    internal static Action SetOne()
    {
        var threads = get_num_threads(); // also runs libtorch's per-thread first-use setup, which would undo a setting made before it
        if (native.Value is not Native n)
        {
            set_num_threads(1);
            return () => set_num_threads(threads);
        }
        n.Omp(1);
        var mkl = n.Mkl(1);
        return () => { n.Omp(threads); n.Mkl(mkl); };
    }

    static Native? Find()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            // "address perms offset dev inode path": the loaded libraries' paths, from the first '/'
            var loaded = File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is var at and >= 0 ? l[at..] : "")
                .Where(p => p.Length > 0).Distinct().ToArray();
            var gomp = loaded.FirstOrDefault(p => Path.GetFileName(p).StartsWith("libgomp", StringComparison.Ordinal));
            var torch = loaded.FirstOrDefault(p => Path.GetFileName(p) == "libtorch_cpu.so");
            if (gomp is null || torch is null) return null;
            var omp = Export<OmpSet>(gomp, "omp_set_num_threads");
            // MKL's C entry point (what its header's mkl_set_num_threads_local names); the exported lower-case symbol is the
            // Fortran one, which takes a pointer
            var mkl = Export<MklSetLocal>(torch, "MKL_Set_Num_Threads_Local");
            return omp is null || mkl is null ? null : new Native(omp, mkl);
        }
        catch (IOException) { return null; }
    }

    static T? Export<T>(string library, string name) where T : Delegate =>
        System.Runtime.InteropServices.NativeLibrary.TryLoad(library, out var handle) &&
        System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, name, out var f)
            ? System.Runtime.InteropServices.Marshal.GetDelegateForFunctionPointer<T>(f)
            : null;
}
