using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Coordinator.Domain.Unicode;

namespace Coordinator.Domain.Family;

/// <summary>What an erasure of a person's or an inquiry's details must say, and must not (docs/security.md, Erasure).</summary>
public static class Erasure
{
    public const int MaxReasonLength = 500;

    /// <summary>Shorter name parts ("al", "Li") are in too many ordinary words to refuse; "Ali" and "Nur" are not.</summary>
    public const int MinNamePart = 3;

    /// <summary>This many of a contact's digits in a row pick out a telephone; fewer are a date, a count or a request number.</summary>
    public const int MinContactDigits = 6;

    /// <summary>Words that join a name rather than name anyone, compared as <see cref="Canonical"/> spells them.</summary>
    private static readonly HashSet<string> Connectors =
        ["al", "el", "bin", "ben", "ibn", "bint", "abu", "abou", "umm", "abd", "abdul", "abdel", "بن", "بنت", "ابن", "ابو", "ام", "عبد"];

    /// <summary>"على" (on) folds to the spelling of the name علي: a reason may say it.</summary>
    private const string On = "على";

    /// <summary>What joins the digits of one telephone number as people write it.</summary>
    private static bool JoinsDigits(char c) => c is ' ' or '-' or '.' or '/' or '(' or ')' or '+' or '\u00A0' or '\u2010' or '\u2011' or '\u2013';

    /// <summary>
    /// The reason stays in the journal for good: it is required, and must not repeat the names or contact it erases,
    /// however spaced, cased, composed or digited (Arabic-Indic or ASCII). Refused when, both sides compared as
    /// <see cref="Canonical"/> spells them, it holds a whole name or the whole contact; a name part of at least
    /// <see cref="MinNamePart"/> letters as a word (Arabic with و ف ب ل or ال before it too); the local part of an
    /// e-mail address in the contact; or <see cref="MinContactDigits"/> of the contact's digits in a row, whatever
    /// separates them. The refusal says which, never what.
    /// </summary>
    public static Refusal? InvalidReason(string? reason, string name, ImmutableArray<string> altNames, string? fatherName, string? motherName,
        string? contact = null)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
            return new Refusal(RefusalCode.InvalidField, $"a reason is required, at most {MaxReasonLength} characters");
        var text = Canonical(reason);
        var words = reason.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(w => w != On)
            .SelectMany(w => Canonical(w).Split(' ')).ToHashSet();
        string?[] names = [name, .. altNames.IsDefault ? [] : altNames, fatherName, motherName];
        var named = names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => Canonical(n!)).Where(n => n.Length > 0).ToList();
        var what =
            named.Any(n => Holds(text, n)) ? "a name it erases"
            : named.SelectMany(NameParts).Any(part => words.Any(w => Says(w, part))) ? "a part of a name it erases"
            : contact is not null && Canonical(contact) is { Length: > 0 } whole && Holds(text, whole) ? "the contact it erases"
            : LocalParts(contact).Any(local => Holds(text, local)) ? "the contact's e-mail address"
            : SharesDigits(reason, contact) ? $"{MinContactDigits} or more digits of the contact"
            : null;
        return what is null ? null
            : new Refusal(RefusalCode.InvalidField, $"the reason must not repeat the details it erases ({what}): it stays in the history");
    }

    /// <summary>
    /// One spelling to compare: NFC, lower case, Arabic spelling variants and harakat removed (as the name matching does),
    /// every decimal digit as ASCII, and every run of anything but letters, marks and digits as one space.
    /// </summary>
    public static string Canonical(string text)
    {
        var folded = Names.NormalizeArabic(Nfc.Normalize(text).ToLowerInvariant());
        var b = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (char.IsDigit(c)) b.Append(Ascii(c));
            else if (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark) b.Append(c);
            else if (b.Length > 0 && b[^1] != ' ') b.Append(' ');
        }
        return b.ToString().TrimEnd();
    }

    /// <summary>A decimal digit of any script (Arabic-Indic, Eastern Arabic-Indic…) as its ASCII digit.</summary>
    private static char Ascii(char digit) => (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(digit));

    /// <summary>The words of <paramref name="words"/> appear in the text as words ("Ali" is not in "quality").</summary>
    private static bool Holds(string text, string words) => $" {text} ".Contains($" {words} ", StringComparison.Ordinal);

    private static IEnumerable<string> NameParts(string name) => name.Split(' ')
        .Where(p => p.Length >= MinNamePart && !Connectors.Contains(p))
        .SelectMany(p => p.StartsWith("ال", StringComparison.Ordinal) && p.Length - 2 >= MinNamePart ? [p, p[2..]] : new[] { p });

    private static readonly string[] ArabicClitics = ["و", "ف", "ب", "ل", "ال", "وال", "بال", "لل"];

    /// <summary>The reason's word is the part, or the part with a conjunction, preposition or article joined to it.</summary>
    private static bool Says(string word, string part) =>
        word == part || (word.Length > part.Length && word.EndsWith(part, StringComparison.Ordinal)
            && ArabicClitics.Contains(word[..^part.Length]));

    private static IEnumerable<string> LocalParts(string? contact) => (contact ?? "")
        .Split([' ', ',', ';', '<', '>', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
        .Where(t => t.IndexOf('@') > 0)
        .Select(t => Canonical(t[..t.IndexOf('@')].Replace("mailto:", "", StringComparison.OrdinalIgnoreCase)))
        .Where(l => l.Replace(" ", "").Length >= MinNamePart);

    /// <summary>Whether the reason holds <see cref="MinContactDigits"/> of one of the contact's numbers in a row.</summary>
    private static bool SharesDigits(string reason, string? contact)
    {
        var spoken = DigitRuns(reason);
        return DigitRuns(contact ?? "").Any(number => Enumerable.Range(0, Math.Max(0, number.Length - MinContactDigits + 1))
            .Any(i => spoken.Any(run => run.Contains(number.Substring(i, MinContactDigits), StringComparison.Ordinal))));
    }

    /// <summary>The numbers in a text, in ASCII digits, each joined across the spaces, dashes and brackets written inside it.</summary>
    private static List<string> DigitRuns(string text)
    {
        var runs = new List<string>();
        var run = new StringBuilder();
        foreach (var c in Nfc.Normalize(text))
        {
            if (char.IsDigit(c)) run.Append(Ascii(c));
            else if (!JoinsDigits(c) && run.Length > 0)
            {
                runs.Add(run.ToString());
                run.Clear();
            }
        }
        if (run.Length > 0) runs.Add(run.ToString());
        return runs;
    }
}

/// <summary>
/// The records erased in a stretch of the journal. Events written before details were sealed hold them in plain
/// text, which deleting a key cannot reach: readers of the journal (history, audit trail) show them erased too.
/// </summary>
public sealed record ErasedRecords(IReadOnlySet<string> Persons, IReadOnlySet<string> Inquiries)
{
    public static ErasedRecords In(IEnumerable<object> events)
    {
        var list = events.ToList();
        return new(list.OfType<Sectors.PersonDetailsErased>().Select(e => e.Person).ToHashSet(),
            list.OfType<InquiryDetailsErased>().Select(e => e.Inquiry).ToHashSet());
    }

    public object Mask(object e) => e switch
    {
        Sectors.PersonsFound p when p.Persons.Any(f => Persons.Contains(f.Id)) =>
            p with { Persons = [.. p.Persons.Select(f => Persons.Contains(f.Id) ? f with { Details = PersonDetails.Erased } : f)] },
        Sectors.PersonRecordCorrected c when Persons.Contains(c.Person) => c with { Details = PersonDetails.Erased },
        InquiryRegistered r when Inquiries.Contains(r.Inquiry) => r with { Details = InquiryDetails.Erased },
        _ => e,
    };

    /// <summary>A change kept for resuming streams, as it may be sent after the erasure: a candidate's reasons quote names.</summary>
    public Views.LiveChange Mask(Views.LiveChange c) => c.Data switch
    {
        CandidateAlert a when Persons.Contains(a.Person) || Inquiries.Contains(a.Inquiry) => c with { Data = a with { Reasons = [] } },
        Inquiry i when Inquiries.Contains(i.Id) => c with { Data = i with { Details = InquiryDetails.Erased } },
        _ => c,
    };
}
