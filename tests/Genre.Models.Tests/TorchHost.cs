using System.Runtime.CompilerServices;

namespace Genre.Models.Tests;

/// <summary>This test assembly is a host: it configures libtorch once (two threads, as the CI machine has cores) before any test.</summary>
static class TorchHost
{
    [ModuleInitializer]
    internal static void Configure() => TorchRuntime.Configure(new TorchOptions(Threads: 2));
}
