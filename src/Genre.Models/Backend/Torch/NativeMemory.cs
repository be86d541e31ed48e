using System.Runtime.InteropServices;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// glibc malloc tuning for libtorch's allocation pattern. Every activation of a 10,000-row batch is a few MB; above
/// glibc's mmap threshold each one is a fresh mmap, page-faulted in and munmapped on free — most of an epoch then goes
/// to the kernel. Raising the mmap threshold to its maximum (32 MiB) and disabling trimming keeps freed blocks in the heap
/// for reuse. Called once, before the first tensor; a no-op off glibc.
/// </summary>
public static class NativeMemory
{
    const int MTrimThreshold = -1, MMmapThreshold = -3;
    static int applied;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    static extern int Mallopt(int param, int value);

    public static void Tune()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(MMmapThreshold, 32 * 1024 * 1024);
            Mallopt(MTrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not glibc: nothing to tune */ }
    }
}
