using System.Runtime.CompilerServices;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>This test assembly is a host: it configures libtorch once (two threads, as the CI machine has cores) before any test.</summary>
static class TorchHost
{
    [ModuleInitializer]
    internal static void Configure() => TorchRuntime.Configure(new TorchOptions(Threads: 2));
}
