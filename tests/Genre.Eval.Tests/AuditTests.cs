namespace Genre.Eval.Tests;

public class AuditTests
{
    static readonly LanguageExt.Seq<AuditFinding> Findings = Seq1(new AuditFinding(
        "baseline (DNN1, report split)", "test accuracy", "0.5000"));

    [Fact]
    public void Audit_md_names_the_Kaggle_file_only_when_its_sha256_is_the_Kaggle_files()
    {
        var other = new DataSource("mine.csv", false, 0, new string('0', 64));
        var kaggle = other with { Path = "dataset.csv", Sha256 = DataSource.KaggleSha256 };
        var synthetic = kaggle with { IsSynthetic = true, Seed = 7 };

        Assert.Contains($"Data: the Kaggle file the report used, `dataset.csv` (sha256 `{DataSource.KaggleSha256}`)",
            Audit.Markdown(kaggle, Findings));
        var mine = Audit.Markdown(other, Findings);
        Assert.Contains("not the Kaggle file the report used", mine);
        Assert.DoesNotContain("Data: the Kaggle file", mine);
        var generated = Audit.Markdown(synthetic, Findings);
        Assert.Contains("**Data: SYNTHETIC** (`dataset.csv`, seed 7)", generated);
        Assert.DoesNotContain("the Kaggle file the report used", generated);
        Assert.All(new[] { kaggle, other, synthetic }, s => Assert.Contains(
            "| baseline (DNN1, report split) | test accuracy | 0.5000 |", Audit.Markdown(s, Findings)));
    }
}
