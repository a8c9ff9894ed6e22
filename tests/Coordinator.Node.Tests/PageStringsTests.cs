using System.Text.RegularExpressions;
using Coordinator.Contracts;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>Every string a page shows exists in Arabic and in English: wwwroot/i18n/ar.json and en.json.</summary>
public partial class PageStringsTests
{
    private static readonly Dictionary<string, string> En = Pages.Strings("en");
    private static readonly Dictionary<string, string> Ar = Pages.Strings("ar");

    [Fact]
    public void Both_languages_have_the_same_keys_the_same_placeholders_and_no_empty_string()
    {
        Assert.Empty(En.Keys.Except(Ar.Keys)); // in English, missing in Arabic
        Assert.Empty(Ar.Keys.Except(En.Keys)); // in Arabic, missing in English
        Assert.Empty(En.Concat(Ar).Where(s => string.IsNullOrWhiteSpace(s.Value)).Select(s => s.Key));
        var placeholdersDiffer = En.Keys.Where(k => !Placeholders(En[k]).SetEquals(Placeholders(Ar.GetValueOrDefault(k, ""))));
        Assert.Empty(placeholdersDiffer);
    }

    [Fact]
    public void Every_key_the_pages_name_exists()
    {
        var namespaces = En.Keys.Select(k => k[..k.IndexOf('.')]).ToHashSet();
        var html = Pages.Ending(".html")
            .SelectMany(f => I18nAttribute().Matches(f.Text).Select(m => (File: f.Name, Key: m.Groups[1].Value)))
            .ToList();
        // A key in a script is any string literal in a key's namespace, "common.signIn" or the start of one built
        // from data, "status." + s, `common.connection.${state}`: those prefixes are checked against the enums below.
        var js = Pages.Ending(".js").SelectMany(f => StringLiteral().Matches(f.Text)
                .Select(m => (File: f.Name, Key: m.Groups.Values.Skip(1).First(g => g.Success).Value)))
            .Where(k => k.Key.Contains('.') && namespaces.Contains(k.Key[..k.Key.IndexOf('.')])).ToList();

        Assert.True(html.Count > 50, $"only {html.Count} data-i18n attributes found in the pages");
        Assert.True(js.Count > 40, $"only {js.Count} keys found in the scripts");
        var missing = html.Concat(js).Where(k => k.Key.EndsWith('.')
            ? !En.Keys.Any(e => e.StartsWith(k.Key, StringComparison.Ordinal))
            : !En.ContainsKey(k.Key));
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_value_the_API_shows_has_a_string()
    {
        string[] Keys(string prefix, IEnumerable<string> values) => [.. values.Select(v => prefix + v)];
        var expected = Keys("status.", Enum.GetNames<SectorStatus>())
            .Concat(Keys("capability.", Enum.GetNames<Capability>()))
            .Concat(Keys("teamStatus.", Enum.GetNames<TeamStatus>()))
            .Concat(Keys("method.", Enum.GetNames<SearchMethod>()))
            .Concat(Keys("kind.", Enum.GetNames<ReportKind>()))
            .Concat(Keys("sectorKind.", Enum.GetNames<SectorKind>()))
            .Concat(Keys("alert.", Enum.GetNames<AlertKind>()))
            .Concat(Keys("decision.", Enum.GetNames<MatchDecision>()))
            .Concat(Keys("inquiryStatus.", ["Open", "Closed"])) // InquiryView.Status
            .Concat(Keys("case.stage.", Enum.GetNames<Coordinator.Domain.Family.CaseStage>()))
            .Concat(Keys("informedHow.", Enum.GetNames<Coordinator.Domain.Family.InformedHow>()))
            .Concat(Keys("caseOutcome.", Enum.GetNames<Coordinator.Domain.Family.CaseOutcome>()))
            // the problem codes: every refusal, and those the HTTP layer adds
            .Concat(Keys("refusal.", [.. Enum.GetNames<RefusalCode>(), "NotYourTeam", "TooManyRequests", "BodyTooLarge", "CursorInvalid"]))
            // a sector's history names its events by type
            .Concat(Keys("event.", typeof(ISectorEvent).Assembly.GetTypes()
                .Where(t => typeof(ISectorEvent).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
                .Select(t => t.Name)));

        var missing = expected.Where(k => !En.ContainsKey(k));
        Assert.Empty(missing);
    }

    [Fact]
    public void The_report_writes_numbers_and_dates_as_the_pages_do()
    {
        var ar = PageText.For("ar");
        var en = PageText.For("en");
        var at = new DateTimeOffset(2026, 2, 5, 14, 3, 0, TimeSpan.Zero);
        // What Intl writes for ar-SY-u-nu-arab and en-GB (i18n.js), plus the zone.
        Assert.Equal("٠٥\u200F/٠٢\u200F/٢٠٢٦، ١٤:٠٣ UTC", ar.Date(at));
        Assert.Equal("05/02/2026, 14:03 UTC", en.Date(at));
        Assert.Equal(("١٩٨٧", "١٢٬٣٤٥", "1987", "12,345"), (ar.Number(1987), ar.Number(12345), en.Number(1987), en.Number(12345)));
        Assert.Equal(("rtl", "ltr", "en"), (ar.Dir, en.Dir, PageText.For("fr").Lang));
        Assert.Equal("تقرير التغطية — عدرا", ar.T("report.title", ("facility", "عدرا")));
    }

    private static HashSet<string> Placeholders(string s) => [.. Placeholder().Matches(s).Select(m => m.Value)];

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"data-i18n(?:-placeholder|-title|-aria-label)?=""([^""]+)""")]
    private static partial Regex I18nAttribute();

    // "…", '…', or the start of a template literal that goes on with ${…}
    [GeneratedRegex(@"""([^""\\\n]*)""|'([^'\\\n]*)'|`([^`$\\]*)\$\{")]
    private static partial Regex StringLiteral();
}
