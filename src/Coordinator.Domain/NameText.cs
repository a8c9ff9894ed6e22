namespace Coordinator.Domain;

/// <summary>
/// What a name may hold: bidi controls and zero-width characters are refused, because they make one name look like
/// another or reorder what is around it on a screen. Arabic letters, Arabic-Indic digits and spaces are names like any
/// other. ZWNJ and ZWJ (U+200C, U+200D), which some Persian spellings use, are refused too (docs/security.md).
/// Names arrive in NFC: the API composes every string it reads (Unicode/Nfc.cs).
/// </summary>
public static class NameText
{
    /// <summary>The first refused character in the text, if any.</summary>
    public static char? Refused(string? text) => text?.FirstOrDefault(IsRefused) is { } c and not '\0' ? c : null;

    public static bool IsRefused(char c) => c is
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C' // bidi controls
        or (>= '\u200B' and <= '\u200D') or '\u2060' or '\uFEFF'; // zero-width

    /// <summary>A refusal naming the field and the character, or null when the name is fine.</summary>
    public static Refusal? Check(string what, string? text) =>
        Refused(text) is { } c
            ? new Refusal(RefusalCode.InvalidField,
                $"{what} contains U+{(int)c:X4}: invisible direction and zero-width characters are not allowed in names")
            : null;
}
