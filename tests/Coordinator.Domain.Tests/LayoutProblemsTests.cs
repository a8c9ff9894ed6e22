using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Domain.Tests;

/// <summary>A layout's preview: every problem of the batch, against its row, and the first one is what the real definition refuses with.</summary>
public class LayoutProblemsTests
{
    private static SectorDefinition Def(string id, string? parent, SectorKind kind = SectorKind.Cell) => new(id, parent, kind, id, []);

    private static readonly Dictionary<string, SectorDefinition> Recorded = new() { ["B2"] = Def("B2", null, SectorKind.Level) };

    public static TheoryData<string, SectorDefinition[], string[]> Batches => new()
    {
        { "a good batch has no problems", [Def("B2-1", "B2"), Def("B2-2", "B2")], [] },
        { "a repeated known sector is no problem", [Def("B2", null, SectorKind.Level), Def("B2-1", "B2")], [] },
        { "each bad row is named, not only the first",
            [Def("bad id", "B2"), Def("B2-1", "B2"), Def("B2-2", "nowhere"), Def("B2-3", "B2"), Def("B2", null, SectorKind.Block)],
            ["0 bad id InvalidId", "4 B2 SectorConflict", "2 B2-2 ParentSectorNotFound"] },
        { "a child of a refused row is not blamed again", [Def("A", "A"), Def("A-1", "A")], ["0 A LayoutHasCycle"] },
        { "a duplicate with other content is named at the repeat", [Def("X", "B2"), Def("X", "B2", SectorKind.Shaft)], ["1 X SectorConflict"] },
        { "a sector its own parent", [Def("A", "A")], ["0 A LayoutHasCycle"] },
        { "two cycles are two problems", [Def("A", "B"), Def("B", "A"), Def("C", "D"), Def("D", "C")], ["0 A LayoutHasCycle", "2 C LayoutHasCycle"] },
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public void Every_problem_of_a_batch_is_found_against_its_row(string _, SectorDefinition[] batch, string[] expected)
    {
        var (_, problems) = Layout.Check(Recorded, batch);
        Assert.Equal(expected, problems.Select(p => $"{p.Index} {p.Sector} {p.Refusal.Code}"));
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void The_real_definition_refuses_with_the_first_problem_of_the_preview(string _, SectorDefinition[] batch, string[] expected)
    {
        var (fresh, refusal) = Layout.Validate(Recorded, batch);
        var (_, problems) = Layout.Check(Recorded, batch);
        Assert.Equal(problems.FirstOrDefault()?.Refusal, refusal);
        Assert.Equal(expected.Length == 0, refusal is null && !fresh.IsDefault);
    }
}
