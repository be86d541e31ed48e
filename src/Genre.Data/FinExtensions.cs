using LanguageExt.Common;

namespace Genre.Data;

internal static class FinExtensions
{
    /// <summary>The same success, or the error rewritten by <paramref name="f"/> (e.g. to add the file it concerns).</summary>
    public static Fin<A> MapError<A>(this Fin<A> fin, Func<Error, Error> f) =>
        fin.Match(Succ: FinSucc, Fail: e => FinFail<A>(f(e)));
}
