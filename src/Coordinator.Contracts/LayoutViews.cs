using Coordinator.Domain;

namespace Coordinator.Contracts;

public sealed record LayoutRowProblem(string Code, string Detail);

public sealed record LayoutPreviewRow(int Row, string? Id, string? Parent, SectorKind? Kind, string? Name, Capability[] Needs, string? Level,
    LayoutRowProblem[] Problems);

public sealed record LayoutLevelCount(string Level, int Sectors, int New);

/// <summary>
/// A layout checked as PUT would check it, nothing recorded: each row with its problems, the sectors per level, and
/// whether it would be applied (no row has a problem).
/// </summary>
public sealed record LayoutPreview(bool Applicable, int Rows, int New, int Refused, LayoutPreviewRow[] Sectors, LayoutLevelCount[] Levels);
