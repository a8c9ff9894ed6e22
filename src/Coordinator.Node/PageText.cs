using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Coordinator.Node;

/// <summary>
/// The pages' strings in one language, for what the node renders itself (the printable coverage report): the
/// same wwwroot/i18n/*.json the browser reads, from the embedded resources, read once. Numbers and dates are
/// written as the browser pages write them (i18n.js): the node runs with invariant globalization, so the
/// Arabic digits and separators are applied here.
/// </summary>
public sealed partial class PageText
{
    public const string English = "en";
    public const string Arabic = "ar";
    public static readonly IReadOnlyList<string> Languages = [English, Arabic];

    private static readonly FrozenDictionary<string, PageText> All = Load();

    private readonly FrozenDictionary<string, string> _strings;
    private readonly FrozenDictionary<string, string> _fallback;

    private PageText(string lang, FrozenDictionary<string, string> strings, FrozenDictionary<string, string> fallback) =>
        (Lang, _strings, _fallback) = (lang, strings, fallback);

    public string Lang { get; }
    public string Dir => Lang == Arabic ? "rtl" : "ltr";

    /// <summary>The language asked for, or English for none or one the pages do not have.</summary>
    public static PageText For(string? lang) => All.GetValueOrDefault(lang ?? English) ?? All[English];

    /// <summary>The string for key with each {name} replaced; English fills a gap, and a key missing in both shows as itself.</summary>
    public string T(string key, params (string Name, object? Value)[] args)
    {
        var text = _strings.GetValueOrDefault(key) ?? _fallback.GetValueOrDefault(key) ?? key;
        return args.Length == 0 ? text : Placeholder().Replace(text, m =>
            args.FirstOrDefault(a => a.Name == m.Groups[1].Value) is { Name: not null } a ? a.Value?.ToString() ?? "" : m.Value);
    }

    /// <summary>Grouped from five digits on (12,345 but 1987), like Intl's "min2" grouping in the pages.</summary>
    public string Number(long n) =>
        Digits(Math.Abs(n) >= 10_000 ? n.ToString("#,0", CultureInfo.InvariantCulture) : n.ToString(CultureInfo.InvariantCulture));

    /// <summary>Day, month, year and 24-hour time in UTC, as the pages write a date (en-GB, ar-SY) plus the zone.</summary>
    public string Date(DateTimeOffset? at) => at is not { } d ? "" : Lang == Arabic
        ? Digits(d.UtcDateTime.ToString("dd'\u200F/'MM'\u200F/'yyyy'، 'HH:mm", CultureInfo.InvariantCulture)) + " UTC"
        : d.UtcDateTime.ToString("dd'/'MM'/'yyyy', 'HH:mm", CultureInfo.InvariantCulture) + " UTC";

    // Arabic-Indic digits and the Arabic thousands separator, what ar-SY-u-nu-arab writes in the browser.
    private string Digits(string latin)
    {
        if (Lang != Arabic) return latin;
        var s = new StringBuilder(latin.Length);
        foreach (var c in latin) s.Append(c switch { >= '0' and <= '9' => (char)('\u0660' + (c - '0')), ',' => '\u066C', _ => c });
        return s.ToString();
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    private static FrozenDictionary<string, PageText> Load()
    {
        var strings = Languages.ToDictionary(l => l, Read);
        return Languages.ToFrozenDictionary(l => l, l => new PageText(l, strings[l], strings[English]));
    }

    private static FrozenDictionary<string, string> Read(string lang)
    {
        var name = $"Coordinator.Node.wwwroot.i18n.{lang}.json";
        using var json = typeof(PageText).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []).ToFrozenDictionary();
    }
}
