namespace Coordinator.Domain.Facilities;

/// <summary>What the facility knows of one sector, as of the sector's own version.</summary>
public sealed record SectorProgress(SectorStatus Status, string? Team, int Alive, int Deceased, long Version)
{
    public static readonly SectorProgress Initial = new(SectorStatus.Unsearched, null, 0, 0, 0);
}
