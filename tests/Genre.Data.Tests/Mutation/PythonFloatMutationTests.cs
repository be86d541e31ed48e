namespace Genre.Data.Tests.Mutation;

/// <summary>Python's <c>repr(float)</c> at its edges (Stryker over <c>NumpyPorts/</c> found the special values and negative
/// numbers untested): what pandas writes, checked against CPython's own output for each value.</summary>
public class PythonFloatMutationTests
{
    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(-1e-05, "-1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.01e-06, "1.01e-06")]
    [InlineData(123.0, "123.0")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e22, "1.5e+22")]
    [InlineData(-6.746, "-6.746")]
    public void Repr_writes_what_python_writes(double value, string text) => Assert.Equal(text, PythonFloat.Repr(value));
}
