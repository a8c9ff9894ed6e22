namespace Coordinator.Domain;

/// <summary>
/// What a name may hold: nothing invisible and nothing that breaks a line. Every default-ignorable code point (bidi
/// controls, zero-width characters, fillers, variation selectors, tags…), control characters and the line and
/// paragraph separators are refused, because they make one name look like another, reorder what is around it on a
/// screen, or split it over lines. Arabic letters, Arabic-Indic digits, the tatweel (U+0640, which is visible) and
/// spaces are names like any other. ZWNJ and ZWJ (U+200C, U+200D), which some Persian spellings use, are refused too
/// (docs/security.md). Names arrive in NFC: the API composes every string it reads (Unicode/Nfc.cs).
/// </summary>
public static class NameText
{
    /// <summary>The first refused code point in the text, if any: read by code point, so a tag character (two chars) is one.</summary>
    public static int? Refused(string? text)
    {
        if (text is null) return null;
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? char.ConvertToUtf32(text[i], text[++i])
                : text[i];
            if (IsRefused(codePoint)) return codePoint;
        }
        return null;
    }

    public static bool IsRefused(int codePoint) => IsDefaultIgnorable(codePoint) || codePoint is
        < 0x20 or (>= 0x7F and <= 0x9F) // control characters (C0, DEL, C1)
        or 0x2028 or 0x2029 // line and paragraph separators
        or (>= 0xD800 and <= 0xDFFF); // half of a surrogate pair without the other: not a character

    /// <summary>Unicode's Default_Ignorable_Code_Point, the ranges DerivedCoreProperties.txt (Unicode 16) lists.</summary>
    public static bool IsDefaultIgnorable(int codePoint) => codePoint is
        0x00AD // soft hyphen
        or 0x034F // combining grapheme joiner
        or 0x061C // Arabic letter mark
        or (>= 0x115F and <= 0x1160) // Hangul choseong and jungseong fillers
        or (>= 0x17B4 and <= 0x17B5) // Khmer inherent vowels
        or (>= 0x180B and <= 0x180F) // Mongolian free variation selectors and vowel separator
        or (>= 0x200B and <= 0x200F) // zero width space, ZWNJ, ZWJ, LRM, RLM
        or (>= 0x202A and <= 0x202E) // bidi embeddings and overrides
        or (>= 0x2060 and <= 0x206F) // word joiner, invisible operators, bidi isolates, deprecated format characters
        or 0x3164 // Hangul filler
        or (>= 0xFE00 and <= 0xFE0F) // variation selectors 1-16
        or 0xFEFF // zero width no-break space (byte-order mark)
        or 0xFFA0 // halfwidth Hangul filler
        or (>= 0xFFF0 and <= 0xFFF8) // unassigned, reserved as ignorable
        or (>= 0x1BCA0 and <= 0x1BCA3) // shorthand format controls
        or (>= 0x1D173 and <= 0x1D17A) // musical symbol beam and phrase controls
        or (>= 0xE0000 and <= 0xE0FFF); // tags, variation selectors 17-256 and the rest of the block

    /// <summary>A refusal naming the field and the code point, or null when the name is fine.</summary>
    public static Refusal? Check(string what, string? text) =>
        Refused(text) is { } c
            ? new Refusal(RefusalCode.InvalidField,
                $"{what} contains U+{c:X4}: control, line-breaking, invisible and zero-width characters are not allowed in names")
            : null;
}
