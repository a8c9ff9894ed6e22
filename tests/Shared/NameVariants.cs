using System.Collections.Immutable;
using Coordinator.Domain.Family;

namespace Coordinator.Fixtures;

/// <summary>
/// The name-variant test set (tests/Coordinator.Domain.Tests/Fixtures/name-variants.txt), shared by the domain
/// tests and the family benchmark, and the reference an indexed candidate search is measured against: every
/// record scored.
/// </summary>
public static class NameVariants
{
    public static string File => Path.Combine(AppContext.BaseDirectory, "Fixtures", "name-variants.txt");

    /// <summary>Found persons and inquiries; an inquiry and a found person with the same id are the same person.</summary>
    public static (List<(string Id, PersonDetails Person)> Found, List<(string Id, InquiryDetails Inquiry)> Inquiries) Read()
    {
        var found = new List<(string, PersonDetails)>();
        var inquiries = new List<(string, InquiryDetails)>();
        foreach (var line in System.IO.File.ReadLines(File))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split('|');
            string? Text(int i) => f[i].Length == 0 ? null : f[i];
            int? Number(int i) => f[i].Length == 0 ? null : int.Parse(f[i]);
            ImmutableArray<string> alt = [.. f[3].Split(';', StringSplitOptions.RemoveEmptyEntries)];
            if (f[0] == "F") found.Add((f[1], new PersonDetails(f[2], alt, Text(4), Text(5), Number(6), Number(7), Text(8), null, null)));
            else inquiries.Add((f[1], new InquiryDetails(f[2], alt, Text(4), Text(5), Number(6), Text(8), null, null)));
        }
        return (found, inquiries);
    }

    /// <summary>
    /// The candidates a matcher without any index would list: every person scored, the best
    /// <see cref="FamilyDesk.MaxCandidates"/>.
    /// </summary>
    public static List<Candidate> FullScan(Profile inquiry, IEnumerable<RecordedPerson> persons) =>
        [.. persons.Select(p => Matcher.Score(p.Id, inquiry, p.Profile)).Where(c => c.Score >= Matcher.ListedFrom)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal).Take(FamilyDesk.MaxCandidates)];

    private static readonly string[] Given = ["محمد", "Mohammad", "Mohamed", "أحمد", "Ahmad", "محمود", "Mahmoud", "خالد", "Khaled", "عمر",
        "Omar", "علي", "Ali", "حسين", "Hussein", "حسن", "Hassan", "يوسف", "Youssef", "إبراهيم", "Ibrahim", "مصطفى", "Mustafa", "عبد الرحمن",
        "Abdulrahman", "سامر", "Samer", "فاطمة", "Fatima", "زينب", "Zeinab", "عائشة", "Aisha", "مريم", "Maryam", "ليلى", "Layla", "رامي",
        "Rami", "باسل", "Bassel", "وائل", "Wael", "طارق", "Tarek", "نزار", "Nizar", "غسان", "Ghassan", "قاسم", "Kassem", "جمال", "Gamal",
        "أنس", "Anas", "بلال", "Bilal", "هيثم", "Haitham"];
    private static readonly string[] Family = ["الحلبي", "Halabi", "الحداد", "Haddad", "الخطيب", "Khatib", "المصري", "Masri", "السيد",
        "Sayed", "العلي", "Ali", "الشامي", "Shami", "الزعبي", "Zoubi", "الحموي", "Hamwi", "درويش", "Darwish", "يونس", "Younes", "ناصر",
        "Nasser", "كنعان", "Kanaan", "سليمان", "Suleiman", "الأحمد", "Ahmad", "جبور", "Jabbour", "المقداد", "Mokdad", "أيوب", "Ayoub",
        "طلاس", "Tlass", "العمر", "Omar", "الحسين", "Hussein", "قباني", "Qabbani"];
    private static readonly string[] Towns = ["حمص", "Homs", "حماة", "Hama", "دمشق", "Damascus", "حلب", "Aleppo", "درعا", "Daraa", "ادلب",
        "Idlib", "دوما", "Douma", "الرقة", "Raqqa"];

    /// <summary>
    /// A synthetic population far more repetitive than real names (29 given names, 22 family names, 8 towns, in
    /// Arabic and Latin spellings), the hard case for an index: a name like محمد/Mohammad is shared by thousands.
    /// With <paramref name="scriptsApart"/>, persons are written in Arabic and inquiries in Latin, as a desk sees
    /// them (reported in the field, asked for by families abroad); otherwise either takes either spelling.
    /// </summary>
    public sealed class Population(int seed, bool scriptsApart = false)
    {
        private readonly Random _random = new(seed);

        private string Pick(string[] from, bool arabic)
        {
            var spellings = scriptsApart ? Script(from, arabic) : from;
            return spellings[_random.Next(spellings.Length)];
        }

        public PersonDetails Person() =>
            new($"{Pick(Given, true)} {Pick(Given, true)} {Pick(Family, true)}", [], null, null, null, 18 + _random.Next(60), Pick(Towns, true),
                null, null);

        public InquiryDetails Inquiry() =>
            new($"{Pick(Given, false)} {Pick(Given, false)} {Pick(Family, false)}", [], Pick(Given, false), null, 1960 + _random.Next(45),
                Pick(Towns, false), null, null);

        private static readonly Dictionary<(string[], bool), string[]> Scripts = new[] { Given, Family, Towns }
            .SelectMany(list => new[] { true, false }.Select(arabic => (list, arabic)))
            .ToDictionary(k => k, k => k.list.Where(n => n.Any(Names.IsArabic) == k.arabic).ToArray());

        private static string[] Script(string[] from, bool arabic) => Scripts[(from, arabic)];
    }
}
