using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// TorchSharp turns a number given to a tensor operation — and the implicit alpha of every <c>add</c>/<c>add_</c> of two
/// tensors — into a <see cref="Scalar"/> object that only its finalizer releases, and does not keep it alive during the native
/// call it hands it to. Under garbage-collection pressure the finalizer can free it while libtorch still reads it: training
/// then stops at random with "Unknown scalar type" or a failed check (the fuzzing harness found this). Operations on the
/// training path therefore pass <see cref="One"/> (alive as long as the process) or a Scalar held by a <c>using</c>
/// declaration until the call has returned — made by the same conversion as before, so the arithmetic is unchanged.
/// </summary>
internal static class Scalars
{
    /// <summary>The integer 1, as TorchSharp makes it for an implicit alpha.</summary>
    public static readonly Scalar One = 1;

    /// <summary><c>a + b</c> (as <c>a.add(b)</c>: alpha 1).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c> in place (as <c>a.add_(b)</c>: alpha 1).</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}
