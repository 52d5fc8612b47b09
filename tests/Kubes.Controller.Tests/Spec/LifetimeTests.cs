using CsCheck;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

/// <summary>Lifetimes as the spec writes them (<c>365d</c>, <c>8760h</c>, <c>10m</c>), parsed, written back and validated.</summary>
public sealed class LifetimeTests
{
    private const string Head = "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  pki:\n";

    private static readonly Gen<(int Number, char Unit)> Written =
        Gen.Select(Gen.Int[1, 999_999], Gen.Char["dhm"]);

    [Theory]
    [InlineData("365d", 365 * 24 * 60)]
    [InlineData("8760h", 365 * 24 * 60)]
    [InlineData("10m", 10)]
    [InlineData("36500d", 36500 * 24 * 60)]
    public void Days_hours_and_minutes_are_read(string text, int minutes) => Assert.Equal(minutes, Lifetime.Parse(text).Minutes);

    [Fact]
    public void Every_lifetime_written_with_one_unit_reads_back_and_is_written_in_the_largest_unit_that_divides_it() =>
        Written.Sample((number, unit) =>
        {
            var lifetime = Lifetime.Parse($"{number}{unit}");
            var minutes = unit switch { 'd' => number * 1440L, 'h' => number * 60L, _ => number };
            var written = lifetime.ToString();
            var largest = minutes % 1440 == 0 ? 'd' : minutes % 60 == 0 ? 'h' : 'm';
            return lifetime.Minutes == minutes && Lifetime.Parse(written) == lifetime && written[^1] == largest;
        });

    [Fact]
    public void Anything_else_is_not_a_lifetime() =>
        Gen.OneOf(
                Gen.String[Gen.Char["0123456789dhmsyw .-+_"], 0, 9],
                Gen.Int[0, 999_999].Select(n => $"{n}"),
                Gen.Select(Gen.Int[1, 99], Gen.Char["sywDHM"]).Select((n, unit) => $"{n}{unit}"))
            .Where(text => !System.Text.RegularExpressions.Regex.IsMatch(text, "^[1-9][0-9]{0,5}[dhm]$"))
            .Sample(text => !Lifetime.TryParse(text, out _));

    [Theory]
    [InlineData("    certificateLifetime: 1y\n", "spec.pki.certificateLifetime", 7, "'1y' is not a lifetime: write a whole number and a unit")]
    [InlineData("    certificateLifetime: 365\n", "spec.pki.certificateLifetime", 7, "'365' is not a lifetime")]
    [InlineData("    caLifetime: 010d\n", "spec.pki.caLifetime", 7, "'010d' is not a lifetime")]
    [InlineData("    caLifetime: [10d]\n", "spec.pki.caLifetime", 7, "expected a lifetime")]
    [InlineData("    certificateLifetime: 1m\n", "spec.pki.certificateLifetime", 7, "must be at least 2m")]
    [InlineData("    caLifetime: 2d\n    certificateLifetime: 49h\n", "spec.pki.certificateLifetime", 8, "must not be longer than spec.pki.caLifetime (2d)")]
    [InlineData("    caLifetimeDays: 3650\n", "spec.pki.caLifetimeDays", 7, "was renamed; write 'caLifetime: 3650d' instead")]
    [InlineData("    certificateLifetimeDays: 30\n", "spec.pki.certificateLifetimeDays", 7, "was renamed; write 'certificateLifetime: 30d' instead")]
    public void A_wrong_lifetime_is_reported_with_its_path_and_line(string fields, string path, int line, string message)
    {
        var problem = Assert.Single(ClusterSpecLoader.Load(Head + fields, "cluster.yaml").Problems);
        Assert.Equal((path, line), (problem.Path, problem.Line));
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void A_misspelt_field_is_offered_the_new_names_never_the_renamed_ones()
    {
        var problem = Assert.Single(ClusterSpecLoader.Load(Head + "    caLifetimeDay: 3650d\n", "cluster.yaml").Problems);

        Assert.Equal("spec.pki.caLifetimeDay", problem.Path);
        Assert.Contains("did you mean caLifetime?", problem.Message);
        Assert.EndsWith("the fields in spec.pki are keyAlgorithm, caLifetime, certificateLifetime, adminCertificateLifetime", problem.Message);
    }

    [Fact]
    public void Lifetimes_in_the_spec_replace_the_defaults_of_one_year_and_ten_years()
    {
        var defaults = ClusterSpecLoader.Load(Head + "    keyAlgorithm: ecdsa-p256\n", "cluster.yaml").Spec!;
        var set = ClusterSpecLoader.Load(Head + "    caLifetime: 720h\n    certificateLifetime: 10m\n", "cluster.yaml").Spec!;

        Assert.Equal((Lifetime.FromDays(3650), Lifetime.FromDays(365)), (defaults.Pki.CaLifetime, defaults.Pki.CertificateLifetime));
        Assert.Equal((Lifetime.FromDays(30), Lifetime.FromMinutes(10)), (set.Pki.CaLifetime, set.Pki.CertificateLifetime));
    }
}
