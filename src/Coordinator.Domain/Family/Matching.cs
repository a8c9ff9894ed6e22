using System.Collections.Immutable;
using System.Globalization;

namespace Coordinator.Domain.Family;

/// <summary>What matching knows of a person or an inquiry, tokenised once when it is recorded.</summary>
public sealed record Profile(
    ImmutableArray<ImmutableArray<NameToken>> Names, ImmutableArray<NameToken> Father, ImmutableArray<NameToken> Mother,
    int? BirthYear, bool BirthYearEstimated, ImmutableArray<NameToken> HomeTown)
{
    /// <summary>The profile of an erased record: no name, no key, no match.</summary>
    public static readonly Profile None = new([], [], [], null, false, []);

    /// <param name="memo">Words already tokenised, when many records are profiled at once.</param>
    public static Profile Of(PersonDetails p, DateTimeOffset at, NameMemo? memo = null) =>
        Build(p.Name, p.AltNames, p.FatherName, p.MotherName, p.EstimatedBirthYear(at), p.BirthYear is null && p.Age is not null, p.HomeTown,
            memo);

    /// <param name="memo">Words already tokenised, when many records are profiled at once.</param>
    public static Profile Of(InquiryDetails i, NameMemo? memo = null) =>
        Build(i.Name, i.AltNames, i.FatherName, i.MotherName, i.BirthYear, false, i.HomeTown, memo);

    private static Profile Build(string name, ImmutableArray<string> alt, string? father, string? mother, int? year, bool estimated, string? town,
        NameMemo? memo)
    {
        ImmutableArray<NameToken> Tokens(string? text) => memo is null ? Family.Names.Tokens(text) : memo.Tokens(text);
        return new([.. new[] { name }.Concat(alt.IsDefault ? [] : alt).Select(Tokens).Where(t => t.Length > 0)],
            Tokens(father), Tokens(mother), year, estimated, memo is null ? Family.Names.PlaceTokens(town) : memo.PlaceTokens(town));
    }

    /// <summary>The keys a candidate must share at least one of: every word of every name.</summary>
    public IEnumerable<string> Keys => Names.SelectMany(n => n).Select(t => t.Key).Where(k => k.Length > 0).Distinct();

    /// <summary>
    /// The keys strong candidates are looked for under, marked apart from <see cref="Keys"/>. A strong candidate
    /// needs a close given name (each name's first word), and spellings of one name share its key; with two
    /// names of two words or more, the best pair's score of 0.85 also needs a second word to agree, so such
    /// names are filed by their given name's key with each other word's: ^MHMD+HLB. A one-word name can be
    /// strong with any name of that given name, so it is filed by the given name's key alone (^MHMD!), and
    /// looks among every name with that given name (^MHMD).
    /// </summary>
    public IEnumerable<string> StrongKeys => Names.Where(n => n.Length > 0 && n[0].Key.Length > 0)
        .SelectMany(n =>
            n.Length == 1 ? [Given + n[0].Key] : n.Skip(1).Select(t => Given + n[0].Key + "+" + t.Key).Append(Given + n[0].Key + "!"))
        .Distinct();

    /// <summary>Every key a record is filed under in the desk's indexes.</summary>
    public IEnumerable<string> IndexKeys => Keys.Concat(Names.Where(n => n.Length > 0 && n[0].Key.Length > 0)
        .SelectMany(n =>
            n.Length == 1 ? [Given + n[0].Key + "!", Given + n[0].Key]
                : n.Skip(1).Select(t => Given + n[0].Key + "+" + t.Key).Append(Given + n[0].Key))).Distinct();

    private const string Given = "^";

    /// <summary>
    /// The father's name as given, or else the second word of a chain name of three or more words (given name,
    /// father's name, family name: the way Syrian names are written down).
    /// </summary>
    public ImmutableArray<NameToken> FatherOrImplied =>
        Father.Length > 0 ? Father : Names.Length > 0 && Names[0].Length >= 3 ? [Names[0][1]] : [];
}

/// <summary>A possible match, with the score out of 100 and what agreed or differed.</summary>
public sealed record Candidate(string Id, int Score, bool Strong, ImmutableArray<string> Reasons);

/// <summary>
/// Scores a found person against an inquiry. The name counts most; father's name, birth year, mother's name
/// and home town add when they agree and take away when they clearly differ. A candidate is strong only with a
/// close name and a corroborating detail. Matching proposes; a desk officer decides.
/// </summary>
public static class Matcher
{
    public const int ListedFrom = 45;
    public const int StrongFrom = 80;
    private const double StrongName = 0.85;
    private const double StrongGivenName = 0.9;

    /// <summary>The most father's name, mother's name, home town and birth year can add to the name's share of a score.</summary>
    private const double MaxEvidence = 0.15 + 0.10 + 0.07 + 0.10;

    /// <summary>How well the names agree (the best pair of spellings) and their given names: what a score starts from.</summary>
    public readonly record struct NameAgreement(double Name, double GivenName, ImmutableArray<NameToken> Inquiry, ImmutableArray<NameToken> Person)
    {
        /// <summary>The highest score these names allow, whatever the other details say: scoring in full can only lower it.</summary>
        public int Ceiling => Round(0.7 * Name + MaxEvidence);

        /// <summary>Whether the other details could still make the candidate strong.</summary>
        public bool MayBeStrong => Name >= StrongName && GivenName >= StrongGivenName && Ceiling >= StrongFrom;
    }

    public static NameAgreement Agreement(Profile inquiry, Profile person)
    {
        var (name, inquiryName, personName) = BestName(inquiry.Names, person.Names);
        var givenName = inquiryName.IsDefaultOrEmpty || personName.IsDefaultOrEmpty ? 0 : Similarity(inquiryName[0], personName[0]);
        return new(name, givenName, inquiryName, personName);
    }

    public static Candidate Score(string id, Profile inquiry, Profile person) => Score(id, inquiry, person, Agreement(inquiry, person));

    public static Candidate Score(string id, Profile inquiry, Profile person, NameAgreement names)
    {
        var reasons = ImmutableArray.CreateBuilder<string>();
        var (score, strong) = Weigh(inquiry, person, names, reasons);
        return new Candidate(id, score, strong, reasons.ToImmutable());
    }

    /// <summary>
    /// The score and whether it is strong; the reasons only if asked for: ranking the thousands of records that share
    /// a common name needs the figure, and only the few listed need their reasons written out.
    /// </summary>
    public static (int Score, bool Strong) Weigh(Profile inquiry, Profile person, NameAgreement names,
        ImmutableArray<string>.Builder? reasons = null)
    {
        var (name, givenName, inquiryName, personName) = names;
        reasons?.Add($"name {Percent(name)}: {Show(inquiryName)} ~ {Show(personName)}");
        var evidence = 0.0;
        var corroborated = false;

        void Compare(string what, ImmutableArray<NameToken> a, ImmutableArray<NameToken> b, double agree, double differ, double agreeAt,
            double differBelow)
        {
            if (a.Length == 0 || b.Length == 0) return;
            var s = TokenSetScore(a, b);
            if (s >= agreeAt) { evidence += agree; corroborated = true; reasons?.Add($"{what} agrees: {Show(a)} ~ {Show(b)}"); }
            else if (s < differBelow) { evidence -= differ; reasons?.Add($"{what} differs: {Show(a)} / {Show(b)}"); }
        }

        Compare("father's name", inquiry.FatherOrImplied, person.FatherOrImplied, 0.15, 0.25, 0.85, 0.6);
        Compare("mother's name", inquiry.Mother, person.Mother, 0.10, 0.15, 0.85, 0.6);
        Compare("home town", inquiry.HomeTown, person.HomeTown, 0.07, 0.05, 0.85, 0.5);
        if (inquiry.BirthYear is { } y1 && person.BirthYear is { } y2)
        {
            var diff = Math.Abs(y1 - y2) - (person.BirthYearEstimated ? 2 : 0); // an age is a guess
            var said = reasons is null ? "" : $"birth year {y1} / {y2}{(person.BirthYearEstimated ? " (from age)" : "")}";
            switch (diff)
            {
                case <= 1: evidence += 0.10; corroborated = true; reasons?.Add($"{said} agree"); break;
                case <= 3: evidence += 0.03; reasons?.Add($"{said} close"); break;
                case <= 5: evidence -= 0.10; reasons?.Add($"{said} differ"); break;
                default: evidence -= 0.25; reasons?.Add($"{said} differ by {Math.Abs(y1 - y2)} years"); break;
            }
        }
        var score = Round(0.7 * name + evidence);
        return (score, score >= StrongFrom && name >= StrongName && givenName >= StrongGivenName && corroborated);
    }

    private static int Round(double score) => (int)Math.Round(Math.Clamp(score, 0, 1) * 100);

    private static (double Score, ImmutableArray<NameToken> A, ImmutableArray<NameToken> B) BestName(
        ImmutableArray<ImmutableArray<NameToken>> a, ImmutableArray<ImmutableArray<NameToken>> b)
    {
        var best = (0.0, a.FirstOrDefault(), b.FirstOrDefault());
        foreach (var x in a)
            foreach (var y in b)
            {
                var s = TokenSetScore(x, y);
                if (s > best.Item1) best = (s, x, y);
            }
        return best;
    }

    /// <summary>
    /// How well two names agree: each word of the shorter is paired with its best unused word of the longer;
    /// missing words cost a little (names are given long or short), a different first name costs more.
    /// </summary>
    public static double TokenSetScore(ImmutableArray<NameToken> a, ImmutableArray<NameToken> b)
    {
        if (a.IsDefaultOrEmpty || b.IsDefaultOrEmpty) return 0;
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        Span<bool> used = stackalloc bool[longer.Length];
        var total = 0.0;
        foreach (var t in shorter)
        {
            var (best, at) = (0.0, -1);
            for (var j = 0; j < longer.Length; j++)
                if (!used[j] && Similarity(t, longer[j]) is var s && s > best) (best, at) = (s, j);
            if (at >= 0) used[at] = true;
            total += best;
        }
        var score = total / shorter.Length * (0.8 + 0.2 * shorter.Length / longer.Length);
        return Similarity(a[0], b[0]) < 0.8 ? score * 0.85 : score;
    }

    /// <summary>Two words: the same phonetic key across scripts; within one script, the spelling counts too.</summary>
    public static double Similarity(NameToken a, NameToken b)
    {
        if (a.Text == b.Text) return 1;
        var key = a.Key == b.Key ? 1 : JaroWinkler(a.Key, b.Key);
        return a.Arabic == b.Arabic ? 0.5 * key + 0.5 * JaroWinkler(a.Text, b.Text) : (a.Vowels.CompatibleWith(b.Vowels) ? 0.95 : 0.75) * key;
    }

    public static double JaroWinkler(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0) return a.Length == b.Length ? 1 : 0;
        var window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        Span<bool> aMatched = stackalloc bool[a.Length];
        Span<bool> bMatched = stackalloc bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
            for (var j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
                if (!bMatched[j] && a[i] == b[j]) { aMatched[i] = bMatched[j] = true; matches++; break; }
        if (matches == 0) return 0;
        var (transpositions, k) = (0, 0);
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i]) continue;
            while (!bMatched[k]) k++;
            if (a[i] != b[k]) transpositions++;
            k++;
        }
        var m = (double)matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix]) prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    private static string Percent(double s) => (s * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Show(ImmutableArray<NameToken> tokens) => tokens.IsDefaultOrEmpty ? "-" : string.Join(' ', tokens.Select(t => t.Text));
}
