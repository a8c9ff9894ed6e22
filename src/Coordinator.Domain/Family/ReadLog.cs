using System.Collections.Immutable;

namespace Coordinator.Domain.Family;

/// <summary>
/// Who read which person's record, and why: the names of found persons and of families' missing relatives are
/// read by the desk and leads only, and every such read is recorded before the record is shown.
/// </summary>
public sealed record RecordRead(string Day, string Subject, string Purpose, ImmutableArray<string> Persons, ImmutableArray<string> Inquiries);

public sealed record PersonRecordsRead(string Day, string Subject, string Purpose, ImmutableArray<string> Persons, ImmutableArray<string> Inquiries,
    DateTimeOffset At);
