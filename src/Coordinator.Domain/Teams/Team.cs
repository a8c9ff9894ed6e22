using System.Collections.Immutable;

namespace Coordinator.Domain.Teams;

public enum PendingStep { Assign, Recall }

/// <summary>A step asked of a sector and not yet answered. While it stands, the team holds the sector.</summary>
public sealed record PendingChange(PendingStep Step, SectorRef Sector, Author By);

public sealed record TeamProfile(string CallSign, int Size, ImmutableArray<Capability> Capabilities)
{
    public bool SameAs(TeamProfile o) => CallSign == o.CallSign && Size == o.Size && Capabilities.Order().SequenceEqual(o.Capabilities.Order());
}

/// <summary>
/// A unit in the field. It holds at most one sector: assigned, pending, or being recalled. OnSiteSince is its time
/// in the present sector; OnDutySince its shift, from its first assignment after registration or rest until it is
/// set Resting or OutOfService, however many sectors it works in between.
/// </summary>
public sealed record Team(
    string Id,
    TeamProfile? Profile,
    TeamStatus Status,
    SectorRef? Assignment,
    PendingChange? Pending,
    DateTimeOffset? OnSiteSince,
    long Version,
    DateTimeOffset? OnDutySince = null)
{
    public const int MaxCallSignLength = 64;
    public const int MaxSize = 500;

    public static Team Empty(string id) => new(id, null, TeamStatus.Available, null, null, null, 0);

    public bool Registered => Profile is not null;

    /// <summary>The sector this team holds, confirmed or not: the one place it may be.</summary>
    public SectorRef? Holds => Pending?.Sector ?? Assignment;

    public TimeSpan? OnDuty(DateTimeOffset now) => OnDutySince is { } since ? now - since : null;

    public Decision<ITeamEvent> Decide(ITeamCommand command, DateTimeOffset now)
    {
        if (command is RegisterTeam r) return Register(r, now);
        if (!Registered) return Refuse(RefusalCode.TeamNotFound, $"team '{Id}' is not registered");
        return command switch
        {
            AssignTeam c => Assign(c, now),
            RecallTeam c => Pending is not null ? Busy()
                : Assignment is { } s ? Accept(new RecallRequested(Id, s, now, c.By))
                : Refuse(RefusalCode.TeamNotAssigned, $"team '{Id}' has no assignment to recall"),
            SetTeamStatus c => SetStatus(c, now),
            SectorAnswered c => Answered(c, now),
            SectorReported c => Reported(c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    private Decision<ITeamEvent> Register(RegisterTeam c, DateTimeOffset now)
    {
        if (!Ids.IsValid(c.Team)) return Refuse(RefusalCode.InvalidId, Ids.Rule("team id", c.Team));
        if (string.IsNullOrWhiteSpace(c.CallSign) || c.CallSign.Length > MaxCallSignLength)
            return Refuse(RefusalCode.InvalidField, $"call sign is required, at most {MaxCallSignLength} characters");
        if (NameText.Check("call sign", c.CallSign) is { } badName) return Refuse(badName.Code, badName.Reason);
        if (c.Size is < 1 or > MaxSize) return Refuse(RefusalCode.InvalidField, $"size must be 1-{MaxSize}");
        if (c.Capabilities.IsDefaultOrEmpty || c.Capabilities.Any(x => !Enum.IsDefined(x)))
            return Refuse(RefusalCode.InvalidField, "a team has at least one known capability");
        var profile = new TeamProfile(c.CallSign, c.Size, [.. c.Capabilities.Distinct()]);
        if (Profile is not null)
            return Profile.SameAs(profile) ? Accept()
                : Refuse(RefusalCode.TeamAlreadyRegistered, $"team '{Id}' is already registered with other details");
        return Accept(new TeamRegistered(Id, profile.CallSign, profile.Size, profile.Capabilities, now, c.By));
    }

    private Decision<ITeamEvent> Assign(AssignTeam c, DateTimeOffset now)
    {
        if (Assignment == c.Sector && Pending is null) return Accept(); // already done: a retried request
        if (Pending is { Step: PendingStep.Assign } p && p.Sector == c.Sector) return Accept(); // under way
        if (Holds is { } held) return Refuse(RefusalCode.TeamBusy, $"team '{Id}' already holds sector '{held}'");
        if (Status is TeamStatus.Resting or TeamStatus.OutOfService) return Refuse(RefusalCode.TeamNotAvailable, $"team '{Id}' is {Status}");
        return Accept(new AssignmentRequested(Id, c.Sector, now, c.By));
    }

    private Decision<ITeamEvent> SetStatus(SetTeamStatus c, DateTimeOffset now)
    {
        if (c.Status is not (TeamStatus.Available or TeamStatus.Resting or TeamStatus.OutOfService))
            return Refuse(RefusalCode.InvalidField, "a lead sets Available, Resting or OutOfService; the other statuses follow assignments");
        if (Holds is not null) return Busy();
        return Status == c.Status ? Accept() : Accept(new TeamStatusSet(Id, c.Status, now, c.By));
    }

    private Decision<ITeamEvent> Answered(SectorAnswered c, DateTimeOffset now)
    {
        if (Pending is not { } p || p.Sector != c.Sector) return Accept(); // a late answer to a finished step
        return (p.Step, c.Refusal) switch
        {
            (PendingStep.Assign, null) => Accept(new AssignmentConfirmed(Id, c.Sector, now, c.By)),
            (PendingStep.Assign, { } refusal) => Accept(new AssignmentRefused(Id, c.Sector, refusal, now, c.By)),
            // A sector cannot refuse to let a team go; whatever it said, the team has left.
            (PendingStep.Recall, _) => Accept(new TeamLeftSector(Id, c.Sector, SectorStatus.Unsearched, now, c.By)),
            _ => throw new InvalidOperationException(),
        };
    }

    private Decision<ITeamEvent> Reported(SectorReported c, DateTimeOffset now)
    {
        if (Pending is not null || Assignment != c.Sector) return Accept();
        if (!c.NamesTeam) return Accept(new TeamLeftSector(Id, c.Sector, c.Status, now, c.By));
        return c.Status == SectorStatus.InProgress && Status == TeamStatus.Assigned
            ? Accept(new TeamOnSite(Id, c.Sector, now, c.By))
            : Accept();
    }

    private Decision<ITeamEvent> Busy() => Refuse(RefusalCode.TeamBusy, $"team '{Id}' has a change under way for sector '{Holds}'");

    public Team Evolve(ITeamEvent e) => (e switch
    {
        TeamRegistered r => this with { Profile = new TeamProfile(r.CallSign, r.Size, r.Capabilities), Status = TeamStatus.Available },
        AssignmentRequested a => this with { Pending = new PendingChange(PendingStep.Assign, a.Sector, a.By) },
        AssignmentConfirmed a => this with { Pending = null, Assignment = a.Sector, Status = TeamStatus.Assigned, OnDutySince = OnDutySince ?? a.At },
        AssignmentRefused => this with { Pending = null },
        RecallRequested r => this with { Pending = new PendingChange(PendingStep.Recall, r.Sector, r.By) },
        TeamOnSite o => this with { Status = TeamStatus.OnSite, OnSiteSince = o.At },
        TeamLeftSector => this with { Pending = null, Assignment = null, Status = TeamStatus.Available, OnSiteSince = null },
        TeamStatusSet s =>
            this with { Status = s.Status, OnDutySince = s.Status is TeamStatus.Resting or TeamStatus.OutOfService ? null : OnDutySince },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    }) with
    { Version = Version + 1 };

    private static Decision<ITeamEvent> Accept(params ITeamEvent[] events) => Decision<ITeamEvent>.Accept(events);
    private static Decision<ITeamEvent> Refuse(RefusalCode code, string reason) => Decision<ITeamEvent>.Refuse(code, reason);
}
