using System.Runtime.InteropServices;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Process-wide native settings for libtorch, applied once before the first tensor (a no-op off glibc/Linux):
/// <list type="bullet">
/// <item>glibc malloc: every activation of a 10,000-row batch is a few MB; above glibc's mmap threshold each one is a
/// fresh mmap, page-faulted in and munmapped on free — most of an epoch then goes to the kernel. Raising the mmap threshold
/// to its maximum (32 MiB) and disabling trimming keeps freed blocks in the heap for reuse.</item>
/// <item>OpenMP: libgomp's idle pool threads spin (up to 300,000 polls) before sleeping. While <see cref="Lanes"/> run
/// the LSTM on every core, a spinning pool thread takes half a core from a lane. GOMP_SPINCOUNT=2000 lets them sleep
/// after a few µs and keeps short back-to-back regions cheap, which OMP_WAIT_POLICY=passive does not (the measurements
/// are in bench/results/runtime-settings.md). Set only if the user has not set GOMP_SPINCOUNT or OMP_WAIT_POLICY;
/// it must be in the native environment before libgomp loads with libtorch, hence setenv, not
/// Environment.SetEnvironmentVariable (which .NET keeps in a managed copy).</item>
/// </list>
/// </summary>
internal static class NativeRuntime
{
    const int MTrimThreshold = -1, MMmapThreshold = -3;
    public const string SpinCount = "2000";
    static int applied;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int Mallopt(int param, int value);

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc.so.6", EntryPoint = "getenv")]
    static extern IntPtr GetEnv(string name);

    public static void Tune()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(MMmapThreshold, 32 * 1024 * 1024);
            Mallopt(MTrimThreshold, int.MaxValue);
            if (GetEnv("OMP_WAIT_POLICY") == IntPtr.Zero) SetEnv("GOMP_SPINCOUNT", SpinCount, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not glibc: nothing to tune */ }
    }
}
