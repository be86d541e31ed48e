using Genre.Models.Backend.Torch;

namespace Genre.Cli;

/// <summary>The CLI's host set-up for libtorch: each command configures the runtime once (its <c>--threads</c>) before its first
/// model.</summary>
static class Runtime
{
    public static TorchBackend Backend(int threads)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        return new TorchBackend();
    }
}
