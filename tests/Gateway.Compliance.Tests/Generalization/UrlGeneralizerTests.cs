using System.Collections.Frozen;
using Gateway.Compliance.Detectors;
using Gateway.Compliance.Fixtures;
using Gateway.Compliance.Generalization;
using Gateway.Compliance.Policies;
using Gateway.Compliance.Practices;
using Gateway.Compliance.Text;

namespace Gateway.Compliance.Tests.Generalization;

public class UrlGeneralizerTests
{
    private static readonly Dictionary<string, ValueSet> s_sets = new()
    {
        ["service_line"] = new ValueSet("service_line", ["implants", "clear_aligners", "whitening"]),
        ["location"] = new ValueSet("location", ["back-bay"]),
    };

    private static readonly UrlTemplateSet s_templates = UrlTemplateSet.Build(
        ["/", "/book", "/thank-you", "/welcome", "/services/{service_line}", "/blog/{words}", "/blog/{year}/{words}", "/locations/{location}", "/u/{words}", "/blog/page/{page}"],
        s_sets,
        new FreeTextScrubber(TextDetectorRegistry.Default.All, new AllowedVocabulary(["implants", "aligners"])),
        (_, problem) => throw new InvalidOperationException(problem));

    private static readonly PracticeContext s_practice = FixturePractice.Create("dental", domains: ["smile.example"],
        values: new Dictionary<string, IReadOnlyList<string>> { ["location"] = ["Harvard Square"] });

    private static string Generalize(string url, UrlPart part = UrlPart.OriginAndPath)
    {
        var generalizer = new UrlGeneralizer(part, s_templates, new[] { "www.google.com" }.ToFrozenSet());
        Assert.True(generalizer.TryGeneralize(url, s_practice, out var result), url);
        return result;
    }

    [Theory]
    [InlineData("https://smile.example/book?email=a%40b.com#x", "https://smile.example/book")]
    [InlineData("https://user:pw@smile.example:8443/book", "https://smile.example/book")]
    [InlineData("https://www.smile.example/services/implants/", "https://www.smile.example/services/implants/")]
    [InlineData("https://smile.example/", "https://smile.example/")]
    [InlineData("https://smile.example", "https://smile.example/")]
    [InlineData("https://SMILE.example/BOOK", "https://smile.example/book")]
    public void KeepsWhatTheTemplatesAndDomainsAllow_AndNothingElse(string url, string expected) => Assert.Equal(expected, Generalize(url));

    [Theory]
    [InlineData("https://smile.example/patients/eleanor-vasquez/chart", "https://smile.example/:redacted")]
    [InlineData("https://smile.example/thank-you/Florentyna%20Kowalczyk", "https://smile.example/thank-you/:redacted")]
    [InlineData("https://smile.example/welcome/Anastasia+Hargreaves", "https://smile.example/welcome/:redacted")]
    [InlineData("https://smile.example/u/jane%2540example.com", "https://smile.example/u/:redacted")]
    [InlineData("https://smile.example/u/jane(at)example(dot)com", "https://smile.example/u/:redacted")]
    [InlineData("https://smile.example/thank-you;name=jane-roe", "https://smile.example/thank-you")]
    [InlineData("https://smile.example/services/implants;jsessionid=abc/jane", "https://smile.example/services/implants/:redacted")]
    [InlineData("https://smile.example/book/patient/81723", "https://smile.example/book/:redacted")]
    [InlineData("https://smile.example/services/jane-roe", "https://smile.example/services/:redacted")]
    [InlineData("https://smile.example/blog/rose-hunter-smile-story", "https://smile.example/blog/:redacted")]
    [InlineData("https://smile.example/blog/grace-white", "https://smile.example/blog/:redacted")]
    [InlineData("https://smile.example/book/..%2Fpatients", "https://smile.example/book/:redacted")]
    [InlineData("https://smile.example/u/%25252540", "https://smile.example/u/:redacted")]
    public void RedactsEveryPathTheTemplatesDoNotMatch(string url, string expected) => Assert.Equal(expected, Generalize(url));

    [Theory]
    [InlineData("https://smile.example/services/%69%6D%70lants", "https://smile.example/services/implants")]
    [InlineData("https://smile.example/services/Clear_Aligners", "https://smile.example/services/clear-aligners")]
    [InlineData("https://smile.example/services/IMPLANTS", "https://smile.example/services/implants")]
    [InlineData("https://smile.example/blog/how-to-whiten-your-teeth", "https://smile.example/blog/how-to-whiten-your-teeth")]
    [InlineData("https://smile.example/blog/2026/Why_Implants_Last", "https://smile.example/blog/2026/why-implants-last")]
    [InlineData("https://smile.example/blog/page/2", "https://smile.example/blog/page/2")]
    [InlineData("https://smile.example/locations/back-bay", "https://smile.example/locations/back-bay")]
    [InlineData("https://smile.example/locations/harvard%20square", "https://smile.example/locations/harvard-square")]
    public void MatchesSegmentsAfterDecoding_AndWritesThemAsTheTemplateDoes(string url, string expected) => Assert.Equal(expected, Generalize(url));

    [Theory]
    [InlineData("https://jane-doe.smile.example/book", "https://:host/book")]
    [InlineData("https://jane-doe.example.com/", "https://:host/")]
    [InlineData("http://203.0.113.42/book", "http://:host/book")]
    [InlineData("http://[2001:db8::1]:8080/book", "http://:host/book")]
    [InlineData("http://3232235777/book", "http://:host/book")]
    [InlineData("http://0x7f000001/book", "http://:host/book")]
    [InlineData("https://smile.example.attacker.test/book", "https://:host/book")]
    public void ReplacesHostsThatAreNotAllowed(string url, string expected) => Assert.Equal(expected, Generalize(url));

    [Theory]
    [InlineData("https://www.google.com/search?q=jane+roe", "https://www.google.com")]
    [InlineData("https://www.bing.com/search?q=jane+roe", "https://:host")]
    [InlineData("https://smile.example/book?x=1", "https://smile.example")]
    public void Origin_KeepsOnlySchemeAndAllowedHost(string url, string expected) => Assert.Equal(expected, Generalize(url, UrlPart.Origin));

    [Theory]
    [InlineData("/services/implants?utm_source=x", "/services/implants")]
    [InlineData("https://smile.example/services/implants", "/services/implants")]
    [InlineData("/patients/81723", "/:redacted")]
    [InlineData("\\services\\implants", "/services/implants")]
    public void Path_KeepsOnlyTheMatchedPath(string url, string expected) => Assert.Equal(expected, Generalize(url, UrlPart.Path));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://x.example/file")]
    [InlineData("not a url")]
    [InlineData("//smile.example/book")]
    public void RejectsWhatIsNotAnHttpUrlOrPath(string input) =>
        Assert.False(new UrlGeneralizer(UrlPart.OriginAndPath, s_templates, FrozenSet<string>.Empty).TryGeneralize(input, s_practice, out _));

    [Fact]
    public void WithoutTemplates_EveryPathIsRedacted()
    {
        var generalizer = new UrlGeneralizer(UrlPart.OriginAndPath, UrlTemplateSet.Empty, FrozenSet<string>.Empty);
        Assert.True(generalizer.TryGeneralize("https://smile.example/services/implants", s_practice, out var result));
        Assert.Equal("https://smile.example/:redacted", result);
    }

    [Theory]
    [InlineData("services/{service_line}", "starts with '/'")]
    [InlineData("/services/{nope}", "names no value set")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/a b", "may hold only")]
    public void Build_ReportsBadTemplates(string template, string expected)
    {
        var problems = new List<string>();
        var set = UrlTemplateSet.Build([template], s_sets, new FreeTextScrubber([], AllowedVocabulary.EnglishOnly), (_, p) => problems.Add(p));
        Assert.Equal(0, set.Count);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
