using Genre.Models.Backend.Torch;

namespace Genre.Cli;

/// <summary>The CLI's host set-up for libtorch: each command configures the runtime once (its <c>--threads</c>) before its first
/// model.</summary>
static class Runtime
{
    /// <summary>The backend on <paramref name="threads"/> threads (0: one per core); <paramref name="ownGemm"/> false trains on
    /// libtorch's gemms, as genre did before its own kernels.</summary>
    public static TorchBackend Backend(int threads, bool ownGemm = true)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        return new TorchBackend(ownGemm: ownGemm);
    }
}
