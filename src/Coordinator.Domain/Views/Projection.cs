using Coordinator.Domain.Access;
using Coordinator.Domain.Family;

namespace Coordinator.Domain.Views;

/// <summary>
/// One read model with one job, folded from the journal in journal order: the changes each event makes are
/// what its live stream sends. Each projection is rebuilt, checkpointed and waited for on its own, so the
/// routes that need one do not wait for the others.
/// </summary>
public abstract class Projection<TState> where TState : class
{
    /// <summary>The projection's name in readiness answers, checkpoints and logs.</summary>
    public abstract string Name { get; }

    public abstract TState Empty { get; }

    /// <summary>Its state names persons or families: a checkpoint of it is sealed, and rewritten promptly after an erasure.</summary>
    public virtual bool HoldsPersonalData => false;

    /// <summary>
    /// The state still shows details of records erased since (a checkpoint taken before an erasure that a restored
    /// backup's journal does not hold): it must not be used.
    /// </summary>
    public virtual bool Reveals(TState state, ErasedRecords erased) => false;

    public abstract (TState State, IReadOnlyList<LiveChange> Changes) Apply(TState state, object e, long offset);

    /// <summary>The state folded from scratch: what the live projection must equal.</summary>
    public TState Replay(IEnumerable<(object Event, long Offset)> journal) =>
        journal.Aggregate(Empty, (state, e) => Apply(state, e.Event, e.Offset).State);
}

/// <summary>Revocations and admin tokens: the only projection authentication and readiness wait for.</summary>
public sealed class AccessProjection : Projection<AccessView>
{
    public static readonly AccessProjection Instance = new();

    public override string Name => "access";

    public override AccessView Empty => AccessView.Empty;

    public override (AccessView State, IReadOnlyList<LiveChange> Changes) Apply(AccessView state, object e, long offset) => (state.Apply(e), []);
}

/// <summary>Facilities, sectors, teams, alerts and coverage: what monitors and leads see. It holds no personal data.</summary>
public sealed class OperationsProjection : Projection<Board>
{
    public static readonly OperationsProjection Instance = new();

    public override string Name => "operations";

    public override Board Empty => Board.Empty;

    public override (Board State, IReadOnlyList<LiveChange> Changes) Apply(Board state, object e, long offset) => state.Apply(e, offset);
}

/// <summary>Persons found, inquiries, the candidate index and the queue: the family desk's, and only its.</summary>
public sealed class FamilyProjection : Projection<FamilyDesk>
{
    public static readonly FamilyProjection Instance = new();

    public override string Name => "family";

    public override FamilyDesk Empty => FamilyDesk.Empty;

    public override bool HoldsPersonalData => true;

    public override bool Reveals(FamilyDesk state, ErasedRecords erased) =>
        erased.Persons.Any(p => state.Persons.TryGetValue(p, out var person) && !person.Details.IsErased)
        || erased.Inquiries.Any(i => state.Inquiries.TryGetValue(i, out var inquiry) && inquiry.Details is { IsErased: false });

    public override (FamilyDesk State, IReadOnlyList<LiveChange> Changes) Apply(FamilyDesk state, object e, long offset)
    {
        var (desk, candidates) = state.Apply(e);
        var changes = new List<LiveChange>();
        if (e is IInquiryEvent i && desk.Inquiries.TryGetValue(i.Inquiry, out var inquiry))
            // Leads read this stream too: the family's contact is not sent (the desk asks for it after a confirmed match).
            changes.Add(new LiveChange(ChangeKind.FamilyInquiry, null, null, null,
                inquiry with { Details = inquiry.Details is { } d ? d with { Contact = null } : null }));
        changes.AddRange(candidates.Select(c => new LiveChange(ChangeKind.FamilyCandidate, c.Sector.Facility, c.Sector.Sector, null, c)));
        return (desk, changes);
    }
}
