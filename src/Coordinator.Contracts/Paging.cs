using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Coordinator.Contracts;

/// <summary>One page of a list: its items in the list's order, and the cursor of the page after it (null at the end).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next)
{
    /// <summary>The same page, each item as <paramref name="view"/> shows it.</summary>
    public Page<TView> Select<TView>(Func<T, TView> view) => new([.. Items.Select(view)], Next);
}

/// <summary>Which page of which list: the items after the key <see cref="After"/> (from the start if null), at most <see cref="Limit"/>.</summary>
public sealed record PageRequest(string List, string? After, int Limit);

/// <summary>Why a page was refused: a limit out of range, or a cursor that is not one of this list's (malformed, or another list's).</summary>
public sealed record PageRefusal(bool Cursor, string Detail);

/// <summary>
/// How every list pages. Each item of a list has a key that sorts it (ordinally) in the list's order and ends in a unique
/// tie-breaker, and a cursor is the key of the last item shown: the next page is the items whose keys sort after it. So a
/// walk stays right while records arrive: a new record whose key sorts before the cursor is not shown (the walk began
/// before it), one after it is shown once, and no item present at the start is skipped or repeated.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Between a key's parts: below every character of an id or a number, so keys sort part by part.</summary>
    private const char Separator = '\u001f';

    private const string Version = "c1";

    /// <summary>The request read from the query's cursor and limit, or why it is refused.</summary>
    public static (PageRequest? Request, PageRefusal? Refused) Read(string list, string? cursor, int? limit)
    {
        if (limit is < 1 or > MaxLimit) return (null, new PageRefusal(false, $"'limit' must be 1-{MaxLimit} (default {DefaultLimit})"));
        if (cursor is null) return (new PageRequest(list, null, limit ?? DefaultLimit), null);
        var text = Decode(cursor);
        if (text?.Split('\n') is not [Version, var of, var after] || after.Length == 0) return (null, NotACursor);
        return of == list
            ? (new PageRequest(list, after, limit ?? DefaultLimit), null)
            : (null, new PageRefusal(true, "'cursor' is another list's: pass the 'next' of this list's page before"));
    }

    /// <summary>The requested page of <paramref name="items"/> (in any order: the keys order them).</summary>
    public static Page<T> Take<T>(IEnumerable<T> items, Func<T, string> keyOf, PageRequest request)
    {
        var after = items.Select(i => (Key: keyOf(i), Item: i))
            .Where(x => request.After is null || string.CompareOrdinal(x.Key, request.After) > 0)
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .Take(request.Limit + 1)
            .ToList();
        var shown = after.Take(request.Limit).ToList();
        return new Page<T>([.. shown.Select(x => x.Item)], after.Count > request.Limit ? CursorAfter(request.List, shown[^1].Key) : null);
    }

    /// <summary>A key of the given parts, sorting by the first, then the next…</summary>
    public static string Key(params string[] parts) => string.Join(Separator, parts);

    /// <summary>A cursor that no list of this node gave, or one whose key is not what its list's keys are made of.</summary>
    public static readonly PageRefusal NotACursor =
        new(true, "'cursor' is not a cursor this node gave: pass the 'next' of the page before, unchanged");

    public static string Ascending(long n) => n.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>For newest (largest) first. <paramref name="n"/> is not negative (offsets, ids, ticks, scores).</summary>
    public static string Descending(long n) => Ascending(long.MaxValue - n);

    /// <summary>The number a key of <see cref="Descending(long)"/> alone stands for; null if the key is not such a key.</summary>
    public static long? DescendingOf(string key) =>
        long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? long.MaxValue - n : null;

    public static string Ascending(DateTimeOffset? at) => Ascending(at?.UtcTicks ?? 0);

    public static string Descending(DateTimeOffset? at) => Descending(at?.UtcTicks ?? 0);

    /// <summary>Opaque to clients: they pass it back unchanged; the list's name in it tells another list's cursor apart.</summary>
    public static string CursorAfter(string list, string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}\n{list}\n{key}"));

    private static string? Decode(string cursor)
    {
        try { return cursor.Length > 2000 ? null : Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)); }
        catch (FormatException) { return null; }
    }
}
