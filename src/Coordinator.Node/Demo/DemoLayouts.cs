using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;

namespace Coordinator.Node.Demo;

/// <summary>
/// Simulated facilities for the demo, loosely modelled on public descriptions of Syrian detention sites
/// (buildings, floors, basements, cells behind iron doors). Not real plans; every name says "simulated".
/// </summary>
public static class DemoLayouts
{
    public sealed record DemoFacility(string Id, string Name, string[] Aliases, string Location, ImmutableArray<SectorDefinition> Sectors);

    public static IReadOnlyList<DemoFacility> All =>
    [
        new("saydnaya", "Saydnaya military prison (simulated)", ["Sednaya", "صيدنايا"], "Rif Dimashq — simulated layout",
            Build(b =>
            {
                b.Building("R", "Red building (Y-shaped)", ["2", "1", "G", "B1", "B2"], ["A", "B", "C"], 10, SectorKind.Wing);
                b.Building("W", "White building", ["1", "G", "B1"], ["N", "S"], 8, SectorKind.Block);
            })),
        new("mezzeh", "Mezzeh airbase detention (simulated)", ["Mazzeh"], "Damascus — simulated layout",
            Build(b => b.Building("H", "Hangar block", ["G", "B1", "B2"], ["E", "W"], 12, SectorKind.Block))),
        new("branch-235", "Branch 235 (simulated)", ["Palestine Branch"], "Damascus — simulated layout",
            Build(b => b.Building("P", "Main building", ["1", "G", "B1", "B2", "B3"], ["A"], 14, SectorKind.Wing))),
    ];

    private sealed class Builder
    {
        public List<SectorDefinition> Sectors { get; } = [];

        public void Building(string id, string name, string[] levels, string[] wings, int cells, SectorKind wingKind)
        {
            Add(id, null, SectorKind.Building, name);
            foreach (var level in levels)
            {
                var l = $"{id}-{level}";
                var below = level.StartsWith('B');
                Add(l, id, SectorKind.Level, $"{name}, {(below ? "basement " + level : "floor " + level)}");
                var plan = new SchematicPlan(wingKind, cells);
                for (var i = 0; i < wings.Length; i++)
                {
                    var w = $"{l}-{wings[i]}";
                    Add(w, l, wingKind, $"{wingKind} {wings[i]}, {level}", plan.Wing(i));
                    for (var n = 1; n <= cells; n++)
                    {
                        // Iron doors throughout the lowest basements and on the last cells of every corridor.
                        var needs = below && level != "B1" || n > cells - 2 ? [Capability.DoorOpening] : Array.Empty<Capability>();
                        Add($"{w}-{n:00}", w, SectorKind.Cell, $"Cell {n}, {wings[i]}, {level}", plan.Cell(i, n), needs);
                    }
                }
                if (below) Add($"{l}-SHAFT", l, SectorKind.Shaft, $"Ventilation shaft, {level}", plan.Shaft, Capability.Rope);
            }
        }

        private void Add(string id, string? parent, SectorKind kind, string name, SectorPlace? place = null, params Capability[] needs) =>
            Sectors.Add(new SectorDefinition(id, parent, kind, name, [.. needs], place));
    }

    /// <summary>
    /// Where a level's sectors lie, in metres, schematic as in docs/examples: wings radiate from a central hub
    /// (north, west, east), a cell on either side of each wing's corridor; blocks are rows of cells, one below the other.
    /// </summary>
    private sealed record SchematicPlan(SectorKind WingKind, int Cells)
    {
        private const double Hub = 44, HubSize = 12;
        private double Length => 6 * Math.Ceiling(Cells / 2.0);
        private bool Radiating => WingKind == SectorKind.Wing;

        public SectorPlace Wing(int i) => !Radiating ? new(0, 10 * i, 5 * Cells, 6) : (i % 3) switch
        {
            0 => new(Hub, Hub - Length, HubSize, Length),
            1 => new(Hub - Length, Hub, Length, HubSize),
            _ => new(Hub + HubSize, Hub, Length, HubSize),
        };

        public SectorPlace Cell(int i, int n)
        {
            if (!Radiating) return new(5 * (n - 1), 10 * i, 5, 6);
            var (side, k) = ((n - 1) % 2 == 0 ? 0.5 : 7.5, (n - 1) / 2); // across the corridor from each other, outwards from the hub
            return (i % 3) switch
            {
                0 => new(Hub + side, Hub - 6 * (k + 1), 4, 6),
                1 => new(Hub - 6 * (k + 1), Hub + side, 6, 4),
                _ => new(Hub + HubSize + 6 * k, Hub + side, 6, 4),
            };
        }

        public SectorPlace Shaft => Radiating ? new(Hub + HubSize, Hub + HubSize, 4, 4) : new(5 * Cells + 2, 0, 4, 4);
    }

    private static ImmutableArray<SectorDefinition> Build(Action<Builder> build)
    {
        var b = new Builder();
        build(b);
        return [.. b.Sectors];
    }

    public static IReadOnlyList<(string Id, string CallSign, int Size, Capability[] Capabilities)> Teams =>
    [
        ("SAR-1", "Sierra One", 6, [Capability.Search]), ("SAR-2", "Sierra Two", 6, [Capability.Search]),
        ("SAR-3", "Sierra Three", 5, [Capability.Search]), ("SAR-4", "Sierra Four", 5, [Capability.Search]),
        ("K9-1", "Kilo Nine One", 3, [Capability.K9, Capability.Search]), ("K9-2", "Kilo Nine Two", 3, [Capability.K9, Capability.Search]),
        ("DOOR-1", "Delta One", 4, [Capability.DoorOpening, Capability.Search]), ("DOOR-2", "Delta Two", 4, [Capability.DoorOpening]),
        ("BR-1", "Bravo One", 5, [Capability.Breaching, Capability.Shoring, Capability.Search]),
        ("ROPE-1", "Romeo One", 4, [Capability.Rope, Capability.Search]),
        ("MED-1", "Mike One", 4, [Capability.Medical, Capability.Search]), ("MED-2", "Mike Two", 4, [Capability.Medical]),
    ];

    /// <summary>Made-up names, written the way teams and families write them: the same people in Arabic and in Latin spellings.</summary>
    private static readonly (string Found, string Wanted, string Father, int BirthYear, string Town)[] People =
    [
        ("محمد أحمد الحلبي", "Mohamed Ahmad Al-Halabi", "Ahmad", 1987, "Homs"),
        ("يوسف خليل الحداد", "Youssef Haddad", "Khalil", 1979, "Damascus"),
        ("عبد الرحمن مصطفى", "Abdulrahman Mustafa", "Mustafa", 1981, "Daraa"),
        ("فاطمة قاسم", "Fatima Kassem", "Ali", 1990, "Hama"),
        ("حسين علي ابراهيم", "Hussein Ali Ibrahim", "Ali", 1975, "Idlib"),
        ("خالد عمر السيد", "Khaled Omar El-Sayed", "Omar", 1992, "Aleppo"),
    ];

    public static PersonDetails Person(Random random)
    {
        var p = People[random.Next(People.Length)];
        return new PersonDetails(p.Found, [], null, null, null, DateTime.UtcNow.Year - p.BirthYear + random.Next(-2, 3),
            null, "alive (simulated)", null);
    }

    /// <summary>The families' side: an inquiry for every made-up person above, in their Latin spelling.</summary>
    public static IEnumerable<(string Id, InquiryDetails Details)> Inquiries =>
        People.Select((p, i) => ($"demo-inq-{i + 1}",
            new InquiryDetails(p.Wanted, [], p.Father, null, p.BirthYear, p.Town, "simulated", "simulated contact")));
}
