using System.Reflection;

namespace Genre.Cli.Tests;

/// <summary>What this test assembly was built with.</summary>
internal static class TestAssembly
{
    /// <summary>The build configuration (Release under `dotnet test -c Release`): the example and package builds use the
    /// libraries `dotnet test` has just built, not a second copy in another configuration.</summary>
    public static string Configuration =>
        typeof(TestAssembly).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "Configuration").Value!;
}
