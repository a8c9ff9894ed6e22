namespace Coordinator.Contracts;

/// <summary>Persons: the ids given to the persons named in a persons-found report, in the order sent.</summary>
public sealed record ReportOutcomeView(string ReportId, ReportVerdict Outcome, Coordinator.Domain.SectorStatus SectorStatus, long Version,
    IReadOnlyList<string>? Persons = null);

/// <summary>A report the sector refuses is answered with a problem: an outcome view is always an accepted one.</summary>
public enum ReportVerdict { Accepted }

/// <summary>Each report's answer, in the order sent: the status it would have had alone, and its outcome or its problem.</summary>
public sealed record ReportBatchView(BatchOutcome[] Outcomes);

public sealed record BatchOutcome(string? ReportId, int Status, ReportOutcomeView? Accepted, BatchProblem? Problem);

public sealed record BatchProblem(string Code, string Detail);
