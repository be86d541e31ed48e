using LanguageExt;
using LanguageExt.Common;

namespace Genre.TestSupport;

/// <summary>The value inside a result a test expects to succeed (or the message of one it expects to fail), once for every test
/// project: a wrong expectation fails the test with the error's message.</summary>
public static class Results
{
    public static T Ok<T>(Fin<T> fin) => fin.Match(x => x, e => throw new Xunit.Sdk.XunitException("expected success: " + e.Message));

    public static T Ok<T>(Validation<Error, T> v) =>
        v.Match(x => x, errs => throw new Xunit.Sdk.XunitException("expected success: " + string.Join(" | ", errs.Map(e => e.Message))));

    public static string Fail<T>(Fin<T> fin) => fin.Match(_ => throw new Xunit.Sdk.XunitException("expected failure"), e => e.Message);
}
