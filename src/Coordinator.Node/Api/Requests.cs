using Coordinator.Domain;

namespace Coordinator.Node.Api;

// The public request shapes. Every field is nullable so a missing one is named in a 400, not a 500.

public sealed record RegisterFacilityRequest(string? Id, string? Name, string[]? Aliases, string? Location);

public sealed record SectorRequest(string? Id, string? Parent, SectorKind? Kind, string? Name, Capability[]? Needs);

public sealed record LayoutRequest(SectorRequest[]? Sectors);

public sealed record RegisterTeamRequest(string? Id, string? CallSign, int? Size, Capability[]? Capabilities);

public sealed record AssignmentRequest(string? TeamId, string? FacilityId, string? SectorId);

public sealed record TeamStatusRequest(TeamStatus? Status);

public sealed record ReopenRequest(string? Reason);

public enum ReportKind { Entered, Cleared, ClearedWithDeceased, Blocked, Hazard, PersonsFound, HiddenSpaceFound, AccessOpened }

public sealed record ReportRequest(
    string? ReportId, string? TeamId, string? FacilityId, string? SectorId, ReportKind? Kind,
    SearchMethod? Method, Capability[]? Needs, string? Hazard, int? Alive, int? Deceased, bool? NeedsMedical,
    string? Details, string? NewSectorId, string? Name, string? Note);
