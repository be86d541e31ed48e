using Xunit;

namespace Genre.TestSupport;

/// <summary>Needs the real Kaggle file in $GENRE_DATA; skipped by name otherwise.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute() => Skip = Inputs.WhyNoRealData();
}

/// <summary>Needs the real Kaggle file in $GENRE_DATA; skipped by name otherwise.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute() => Skip = Inputs.WhyNoRealData();
}

/// <summary>Needs the authors' SavedModels beside the repository; skipped by name otherwise.</summary>
public sealed class AuthorsModelsFactAttribute : FactAttribute
{
    public AuthorsModelsFactAttribute() => Skip = Inputs.WhyNoAuthorsModels();
}

/// <summary>Needs the authors' SavedModels beside the repository; skipped by name otherwise.</summary>
public sealed class AuthorsModelsTheoryAttribute : TheoryAttribute
{
    public AuthorsModelsTheoryAttribute() => Skip = Inputs.WhyNoAuthorsModels();
}

/// <summary>Needs the authors' SavedModels and the real Kaggle file; skipped by name otherwise.</summary>
public sealed class RealDataAuthorsTheoryAttribute : TheoryAttribute
{
    public RealDataAuthorsTheoryAttribute() => Skip = Inputs.WhyNoAuthorsModels() ?? Inputs.WhyNoRealData();
}

/// <summary>Needs the authors' notebooks beside the repository; skipped by name otherwise.</summary>
public sealed class NotebooksTheoryAttribute : TheoryAttribute
{
    public NotebooksTheoryAttribute() => Skip = Inputs.WhyNoNotebooks();
}

/// <summary>Needs Debian's python3 with numpy (an independent reader); skipped by name otherwise.</summary>
public sealed class NumpyFactAttribute : FactAttribute
{
    public NumpyFactAttribute() => Skip = Inputs.WhyNoPython(Inputs.DebianPython, "numpy");
}

/// <summary>Needs Debian's python3 with numpy (an independent reader); skipped by name otherwise.</summary>
public sealed class NumpyTheoryAttribute : TheoryAttribute
{
    public NumpyTheoryAttribute() => Skip = Inputs.WhyNoPython(Inputs.DebianPython, "numpy");
}
