using System.Diagnostics;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;

namespace Coordinator.Benchmarks;

/// <summary>
/// Matching an inquiry against many recorded persons: the family desk's view as every node folds it, with a
/// baseline in the same run that scores every person (no key index), to show what the index buys.
/// </summary>
public static class FamilyMatching
{
    private static readonly string[] Given = ["محمد", "Mohammad", "Mohamed", "أحمد", "Ahmad", "محمود", "Mahmoud", "خالد", "Khaled", "عمر", "Omar", "علي", "Ali",
        "حسين", "Hussein", "حسن", "Hassan", "يوسف", "Youssef", "إبراهيم", "Ibrahim", "مصطفى", "Mustafa", "عبد الرحمن", "Abdulrahman", "سامر", "Samer",
        "فاطمة", "Fatima", "زينب", "Zeinab", "عائشة", "Aisha", "مريم", "Maryam", "ليلى", "Layla", "رامي", "Rami", "باسل", "Bassel", "وائل", "Wael",
        "طارق", "Tarek", "نزار", "Nizar", "غسان", "Ghassan", "قاسم", "Kassem", "جمال", "Gamal", "أنس", "Anas", "بلال", "Bilal", "هيثم", "Haitham"];
    private static readonly string[] Family = ["الحلبي", "Halabi", "الحداد", "Haddad", "الخطيب", "Khatib", "المصري", "Masri", "السيد", "Sayed", "العلي", "Ali",
        "الشامي", "Shami", "الزعبي", "Zoubi", "الحموي", "Hamwi", "درويش", "Darwish", "يونس", "Younes", "ناصر", "Nasser", "كنعان", "Kanaan", "سليمان", "Suleiman",
        "الأحمد", "Ahmad", "جبور", "Jabbour", "المقداد", "Mokdad", "أيوب", "Ayoub", "طلاس", "Tlass", "العمر", "Omar", "الحسين", "Hussein", "قباني", "Qabbani"];
    private static readonly string[] Towns = ["حمص", "Homs", "حماة", "Hama", "دمشق", "Damascus", "حلب", "Aleppo", "درعا", "Daraa", "ادلب", "Idlib", "دوما", "Douma", "الرقة", "Raqqa"];

    public sealed record Options(int Persons, int Inquiries);

    public static int Run(Options o)
    {
        var random = new Random(42);
        string Pick(string[] from) => from[random.Next(from.Length)];
        var at = new DateTimeOffset(2025, 12, 10, 9, 0, 0, TimeSpan.Zero);
        var sector = new SectorRef("saydnaya", "B2-C-14");

        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var fold = Stopwatch.StartNew();
        var desk = FamilyDesk.Empty;
        for (var i = 0; i < o.Persons; i++)
        {
            var details = new PersonDetails($"{Pick(Given)} {Pick(Given)} {Pick(Family)}", [], null, null, null, 18 + random.Next(60), Pick(Towns), null, null);
            desk = desk.Apply(new PersonsFound(sector, "SAR-1", 1, 0, false, null, new ReportRef($"r-{i}", ""), at, Author.Team("SAR-1"))
            {
                Persons = [new FoundPerson($"p-{i:x12}", details)],
            }).Desk;
        }
        fold.Stop();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);

        var inquiries = Enumerable.Range(0, o.Inquiries)
            .Select(i => new InquiryDetails($"{Pick(Given)} {Pick(Given)} {Pick(Family)}", [], Pick(Given), null, 1960 + random.Next(45), Pick(Towns), null, null))
            .ToList();
        var indexed = new List<double>();
        var candidates = 0;
        foreach (var inquiry in inquiries)
        {
            var watch = Stopwatch.StartNew();
            candidates += desk.CandidatesFor(Inquiry.Empty("q") with { Details = inquiry }, Profile.Of(inquiry)).Count;
            indexed.Add(watch.Elapsed.TotalMilliseconds);
        }

        // Baseline: every person scored, as a matcher without the key index would do.
        var scan = new List<double>();
        foreach (var inquiry in inquiries.Take(Math.Max(3, o.Inquiries / 20)))
        {
            var profile = Profile.Of(inquiry);
            var watch = Stopwatch.StartNew();
            _ = desk.Persons.Values.Select(p => Matcher.Score(p.Id, profile, p.Profile)).Where(c => c.Score >= Matcher.ListedFrom)
                .OrderByDescending(c => c.Score).Take(FamilyDesk.MaxCandidates).ToList();
            scan.Add(watch.Elapsed.TotalMilliseconds);
        }

        static double P(List<double> xs, double q) => xs.Order().ElementAt(Math.Min(xs.Count - 1, (int)Math.Ceiling(q * xs.Count) - 1));
        Console.WriteLine($"persons recorded: {o.Persons:N0}; folded into the desk view in {fold.Elapsed.TotalSeconds:0.0} s; view memory ≈ {(memoryAfter - memoryBefore) / 1024.0 / 1024.0:0} MB");
        Console.WriteLine($"inquiries matched: {inquiries.Count}; candidates listed on average: {(double)candidates / inquiries.Count:0.0}");
        Console.WriteLine($"indexed match ms  p50 {P(indexed, .5):0.0}  p95 {P(indexed, .95):0.0}  p99 {P(indexed, .99):0.0}  max {indexed.Max():0.0}");
        Console.WriteLine($"full scan ms      p50 {P(scan, .5):0.0}  max {scan.Max():0.0}   (baseline, {scan.Count} inquiries)");
        Console.WriteLine($"ratio (scan p50 / indexed p50): {P(scan, .5) / P(indexed, .5):0.0}x");
        return 0;
    }
}
