using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AnyAscii;

namespace Coordinator.Domain.Family;

/// <summary>
/// One word of a name: its romanised text (lower-case a-z) and a phonetic key that Arabic and the usual Latin
/// spellings of the same name share (محمد, Mohammad, Muhammad, Mohamed → MHMD).
/// </summary>
public sealed record NameToken(string Text, string Key, bool Arabic, LongVowels Vowels);

/// <summary>
/// How many long u and i vowels a word has: Arabic writes them (و, ي), Latin only sometimes (ou, ee, ei, ay…:
/// certain; a single u, i or e: maybe). The key drops them, so this tells محمود from Mohammad and حسين from Hassan.
/// </summary>
public readonly record struct LongVowels(int MinU, int MaxU, int MinI, int MaxI)
{
    public bool CompatibleWith(LongVowels o) => MinU <= o.MaxU && o.MinU <= MaxU && MinI <= o.MaxI && o.MinI <= MaxI;

    public static LongVowels OfArabic(string normalizedWord)
    {
        var (u, i) = (0, 0);
        for (var k = 1; k < normalizedWord.Length; k++)
            if (normalizedWord[k] == 'و') u++;
            else if (normalizedWord[k] == 'ي') i++;
        return new(u, u, i, i);
    }

    public static LongVowels OfLatin(string word)
    {
        var (su, wu, si, wi) = (0, 0, 0, 0);
        for (var k = 0; k < word.Length; k++)
        {
            var pair = k + 1 < word.Length ? word.Substring(k, 2) : "";
            if (pair is "ou" or "oo" or "uu") { su++; k++; }
            else if (pair is "ee" or "ei" or "ai" or "ay" or "ey" or "ie" or "ii") { si++; k++; }
            else if (k > 0 && word[k] == 'w') su++;
            else if (k > 0 && word[k] == 'y') si++;
            else if (word[k] == 'u') wu++;
            else if (word[k] is 'i' or 'e') wi++;
        }
        return new(su, su + wu, si, si + wi);
    }
}

/// <summary>
/// Names tokenised once per distinct text while many records are profiled at once (a desk read from its checkpoint:
/// common names, fathers' names and towns recur thousands of times). Kept only as long as that work, for it holds names.
/// </summary>
public sealed class NameMemo
{
    private readonly ConcurrentDictionary<string, ImmutableArray<NameToken>> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<NameToken>> _places = new(StringComparer.Ordinal);

    public ImmutableArray<NameToken> Tokens(string? name) => name is null ? [] : _names.GetOrAdd(name, Names.Tokens);

    public ImmutableArray<NameToken> PlaceTokens(string? place) => place is null ? [] : _places.GetOrAdd(place, Names.PlaceTokens);
}

/// <summary>
/// Names as matching sees them. Arabic is normalised first (diacritics and tatweel removed; alef forms, hamza
/// seats, taa marbuta and alef maksura unified) and romanised by AnyAscii; Latin is folded (accents, case,
/// apostrophes). Both then go through one phonetic key built for Arabic names written in Latin letters:
/// vowels are dropped (Arabic does not write short ones), letters Latin spellings confuse share a class
/// (q/k/kh, t/th/ط, d/dh/ض, g/j), doubled letters are one, articles and particles (al-, el-, bin) are dropped
/// and 'Abd' joins the name after it.
/// </summary>
public static class Names
{
    private static readonly FrozenSet<string> Particles = FrozenSet.Create("al", "el", "ul", "il", "bin", "ben", "ibn", "bint", "bn", "bnt");
    private static readonly FrozenSet<string> SunArticles = FrozenSet.Create("ad", "ar", "as", "an", "at", "az", "ash", "ath", "adh", "ud", "ur",
        "us", "uz", "ez", "es", "er", "ed", "et", "en");
    private static readonly string[] AbdPrefixes = ["abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdus", "abdun", "abdu", "abd"];

    /// <summary>Places whose English name is not a spelling of the Arabic one: compared as the Arabic.</summary>
    private static readonly FrozenDictionary<string, string> Exonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Damascus"] = "دمشق",
        ["Aleppo"] = "حلب",
        ["Latakia"] = "اللاذقية",
        ["Lattakia"] = "اللاذقية",
        ["Jerusalem"] = "القدس",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static ImmutableArray<NameToken> PlaceTokens(string? place) =>
        Tokens(place is not null && Exonyms.TryGetValue(place.Trim(), out var arabic) ? arabic : place);

    public static ImmutableArray<NameToken> Tokens(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return [];
        var words = Words(NormalizeArabic(name.Normalize(NormalizationForm.FormKC)));
        var tokens = new List<NameToken>();
        for (var i = 0; i < words.Count; i++)
        {
            var (word, arabic) = words[i];
            var latin = arabic ? Romanise(word) : Fold(word);
            if (latin.Length == 0 || Particles.Contains(latin)) continue;
            if (!arabic && SunArticles.Contains(latin) && i + 1 < words.Count
                && Fold(words[i + 1].Word).StartsWith(latin[1..], StringComparison.Ordinal)) continue;
            if (arabic && word.Length > 5 && word.StartsWith("عبدال", StringComparison.Ordinal))
                (word, latin) = ("عبد" + word[5..], "abd" + Romanise(word[5..]));
            var isAbd = arabic ? word == "عبد" : AbdPrefixes.Contains(latin);
            if (isAbd && NextName(words, i) is { } next)
            {
                latin = "abd" + (words[next].Arabic ? Romanise(words[next].Word) : Fold(words[next].Word));
                word = arabic ? "عبد" + words[next].Word : latin;
                i = next;
            }
            else if (!arabic
                && AbdPrefixes.FirstOrDefault(p => latin.StartsWith(p, StringComparison.Ordinal) && latin.Length > p.Length + 2) is { } prefix)
                latin = "abd" + latin[prefix.Length..];
            var text = latin.Replace("'", "").Replace("`", "");
            tokens.Add(new NameToken(text, Key(latin), arabic, arabic ? LongVowels.OfArabic(word) : LongVowels.OfLatin(text)));
        }
        return [.. tokens];
    }

    /// <summary>Removes what Arabic spelling varies in without changing the name.</summary>
    public static string NormalizeArabic(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            switch (c)
            {
                case >= '\u064B' and <= '\u065F' or '\u0670' or '\u0640': continue; // harakat, superscript alef, tatweel
                case 'أ' or 'إ' or 'آ' or 'ٱ': b.Append('ا'); break;
                case 'ؤ': b.Append('و'); break;
                case 'ئ' or 'ى' or 'ی': b.Append('ي'); break;
                case 'ء': continue;
                case 'ة': b.Append('ه'); break;
                case 'ک': b.Append('ك'); break;
                default: b.Append(c); break;
            }
        }
        return b.ToString();
    }

    /// <summary>The consonant skeleton of a romanised word; ' and ` (ʿayn, hamza) count as vowels.</summary>
    public static string Key(string latin)
    {
        var key = new StringBuilder(latin.Length);
        for (var i = 0; i < latin.Length; i++)
        {
            var c = latin[i];
            var next = i + 1 < latin.Length ? latin[i + 1] : '\0';
            char? cls = c switch
            {
                's' when next == 'h' => Skip(ref i, 'X'),
                'c' when next == 'h' => Skip(ref i, 'X'),
                'k' when next == 'h' => Skip(ref i, 'K'),
                'g' when next == 'h' => Skip(ref i, 'G'),
                't' when next == 'h' => Skip(ref i, 'T'),
                'd' when next == 'h' => Skip(ref i, 'D'),
                'p' when next == 'h' => Skip(ref i, 'F'),
                'b' or 'p' => 'B',
                't' => 'T',
                'd' => 'D',
                'j' or 'g' => 'J',
                'h' => 'H',
                'k' or 'q' or 'c' => 'K',
                'x' => 'X',
                's' => 'S',
                'z' => 'Z',
                'f' or 'v' => 'F',
                'l' => 'L',
                'm' => 'M',
                'n' => 'N',
                'r' => 'R',
                'w' or 'y' when i == 0 => char.ToUpperInvariant(c), // consonant only at the start: elsewhere a long vowel
                _ => null,
            };
            if (cls is { } k && (key.Length == 0 || key[^1] != k)) key.Append(k);
        }
        if (key.Length > 1 && key[^1] == 'H') key.Length--; // final h: taa marbuta (Fatmeh, فاطمة) or a vowel's spelling
        return key.ToString();
    }

    private static char Skip(ref int i, char cls)
    {
        i++;
        return cls;
    }

    /// <summary>Arabic letters to Latin by AnyAscii, with the article dropped; ʿayn and hamza stay as ` and '.</summary>
    private static string Romanise(string arabicWord)
    {
        var word = arabicWord.Length > 3 && arabicWord.StartsWith("ال", StringComparison.Ordinal) ? arabicWord[2..] : arabicWord;
        return new string(word.Transliterate().ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or '\'' or '`').ToArray());
    }

    /// <summary>Latin folded to a-z: accents off, case down, anything else romanised (ß, Cyrillic…); apostrophes kept as vowels.</summary>
    private static string Fold(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) b.Append(c);
        return new string(b.ToString().Transliterate().ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or '\'' or '`').ToArray());
    }

    private static int? NextName(List<(string Word, bool Arabic)> words, int i)
    {
        for (var j = i + 1; j < words.Count; j++)
        {
            var w = words[j].Arabic ? words[j].Word : Fold(words[j].Word);
            if (!Particles.Contains(w) && !(SunArticles.Contains(w) && j + 1 < words.Count)) return j;
        }
        return null;
    }

    /// <summary>Words split at spaces, hyphens and punctuation; apostrophe-like marks stay inside a word (Sa'id).</summary>
    private static List<(string Word, bool Arabic)> Words(string s)
    {
        var words = new List<(string, bool)>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length == 0) return;
            var w = current.ToString();
            words.Add((w, w.Any(IsArabic)));
            current.Clear();
        }
        foreach (var c in s)
        {
            if (c is '\'' or '`' or '’' or '‘' or 'ʿ' or 'ʾ' or 'ʻ' or 'ʼ') current.Append(current.Length == 0 ? '`' : '\'');
            else if (char.IsLetter(c)) current.Append(c);
            else Flush();
        }
        Flush();
        return words;
    }

    public static bool IsArabic(char c) =>
        c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';
}
