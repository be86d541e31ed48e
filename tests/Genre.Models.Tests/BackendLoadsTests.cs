using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

public class BackendLoadsTests
{
    [Fact]
    public void LibTorchSharp_loads_and_a_matmul_runs()
    {
        using var a = ones(1000, 80, dtype: float32);
        using var b = ones(80, 320, dtype: float32);
        using var c = a.mm(b);
        Assert.Equal(new long[] { 1000, 320 }, c.shape);
        Assert.Equal(80f, c[0, 0].item<float>());
    }
}
