namespace Coordinator.Domain.Views;

/// <summary>
/// The text a team paints at a sector's door when it leaves, as urban search and rescue teams do (INSARAG):
/// team, the level of search completed, date, hazards, and victims as L-n (live) and D-n (deceased).
/// Made from the record, so the paint and the record agree.
/// </summary>
public static class Marking
{
    public static string? For(LiveSector sector, Visit? last)
    {
        if (last?.End is not { } end) return null;
        var search = last.Method switch
        {
            SearchMethod.K9 => "K9 search",
            SearchMethod.Technical => "technical search",
            SearchMethod.Visual => "visual search",
            _ => last.Outcome?.ToString() ?? "visited",
        };
        var hazards = sector.Hazard is { } h ? h : "none";
        return $"{last.Team} | {search} | {end:yyyy-MM-dd HH:mm}Z | hazards: {hazards} | L-{sector.Alive} D-{sector.Deceased}";
    }
}
