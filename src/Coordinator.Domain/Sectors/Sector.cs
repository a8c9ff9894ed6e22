using System.Collections.Immutable;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;

namespace Coordinator.Domain.Sectors;

public sealed record RecordedReport(string Fingerprint, ReportOutcome Outcome);

/// <summary>What a sector asks its facility before recording a decision (see <see cref="ConsentToSectorChange"/>).</summary>
public sealed record FacilityConsent(bool Reopens, SectorDefinition? Child, string Reason);

/// <summary>A searchable area: its status, the team on it, what was found, and every report applied.</summary>
public sealed record Sector(
    SectorRef Ref,
    SectorDefinition? Definition,
    SectorStatus Status,
    string? Team,
    string? LastTeam,
    ImmutableArray<Capability> Needs,
    string? Hazard,
    int Alive,
    int Deceased,
    ImmutableList<string> Children,
    ImmutableDictionary<string, RecordedReport> Reports,
    long Version)
{
    public const int MaxTextLength = 2000;
    public const int MaxNamedPersons = 500;

    /// <summary>The persons named here, as last corrected.</summary>
    public ImmutableDictionary<string, PersonDetails> Persons { get; init; } = ImmutableDictionary<string, PersonDetails>.Empty;

    /// <summary>Alerts about this sector a lead has acknowledged.</summary>
    public ImmutableHashSet<long> AcknowledgedAlerts { get; init; } = [];
    public const int MaxPersons = 10_000;

    public static Sector Empty(SectorRef key) =>
        new(key, null, SectorStatus.Unsearched, null, null, [], null, 0, 0, [], ImmutableDictionary<string, RecordedReport>.Empty, 0);

    /// <summary>A sector of the plan that nothing has happened to yet: readable, not yet recorded in its own journal.</summary>
    public static Sector Planned(SectorRef key, SectorDefinition definition) =>
        Empty(key) with { Definition = definition, Needs = definition.Needs };

    public bool Defined => Definition is not null;

    public SectorProgress Progress => new(Status, Team, Alive, Deceased, Version);

    /// <param name="prints">The cluster's keyed report prints: what a report is recorded with, and how a retry is recognised.</param>
    public Decision<ISectorEvent> Decide(ISectorCommand command, DateTimeOffset now, ReportPrints prints)
    {
        if (command is DefineSector d) return Defined ? Accept() : Accept(new SectorDefined(Ref, d.Definition, now, d.By));
        if (!Defined) return Refuse(RefusalCode.SectorNotFound, $"sector '{Ref}' is not defined");
        if (command is FieldReport report)
        {
            if (!Ids.IsValid(report.ReportId)) return Refuse(RefusalCode.InvalidId, Ids.Rule("report id", report.ReportId));
            if (Reports.TryGetValue(report.ReportId, out var seen))
                return prints.Match(seen.Fingerprint, report)
                    ? new Decision<ISectorEvent>.Repeated(seen.Outcome)
                    : Refuse(RefusalCode.ReportIdReused, $"report id '{report.ReportId}' was used for a different report");
            if (!Ids.IsValid(report.Team)) return Refuse(RefusalCode.InvalidId, $"team id '{report.Team}' is not a valid id");
        }
        return command switch
        {
            AcceptTeam c => AcceptTeam(c, now),
            ReleaseTeam c => Team == c.Team ? Accept(new TeamReleased(Ref, c.Team, now, c.By)) : Accept(),
            ReopenSector c => Reopen(c, now),
            ReportEntered c => Status == SectorStatus.Assigned && Team == c.Team
                ? Accept(new SectorEntered(Ref, c.Team, ReportOf(c, prints), now, c.By))
                : NotHeldBy(c) ?? Refuse(RefusalCode.SectorNotAwaitingEntry, $"sector '{Ref}' is {Status}, not awaiting entry"),
            ReportCleared c => NotWorkedOnBy(c) ?? (Enum.IsDefined(c.Method)
                ? Accept(new SectorCleared(Ref, c.Team, c.Method, ReportOf(c, prints), now, c.By))
                : Refuse(RefusalCode.InvalidField, "method must be Visual, K9 or Technical")),
            ReportClearedWithDeceased c => NotWorkedOnBy(c) ?? ClearWithDeceased(c, now, prints),
            ReportBlocked c => NotHeldBy(c) ?? Block(c, now, prints),
            ReportAccessOpened c => NotHeldBy(c) ?? OpenAccess(c, now, prints),
            ReportHazard c => ReportHazard(c, now, prints),
            ReportPersonsFound c => NotWorkedOnBy(c) ?? FindPersons(c, now, prints),
            ReportHiddenSpaceFound c => FindHiddenSpace(c, now, prints),
            CorrectPerson c => CorrectPerson(c, now),
            ErasePerson c => ErasePerson(c, now),
            DecideNotice n => Persons.ContainsKey(n.Person)
                ? Accept(new PersonNoticeDecided(Ref, n.Person, n.Publish, now, n.By))
                : Refuse(RefusalCode.PersonNotFound, $"no person '{n.Person}' was found in sector '{Ref}'"),
            AcknowledgeAlert c => AcknowledgedAlerts.Contains(c.Alert)
                ? Refuse(RefusalCode.AlertAlreadyAcknowledged, $"alert {c.Alert} about sector '{Ref}' is already acknowledged")
                : Accept(new AlertAcknowledged(Ref, c.Alert, now, c.By)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    /// <summary>
    /// Whether the facility must agree before these events are recorded: it owns the sector tree, and it must
    /// never hold a sign-off while a sector it counted final is open again.
    /// </summary>
    public FacilityConsent? ConsentNeeded(IReadOnlyList<ISectorEvent> events)
    {
        var after = events.Aggregate(this, (s, e) => s.Evolve(e));
        var reopens = Status.IsFinal() && !after.Status.IsFinal();
        var child = events.OfType<HiddenSpaceFound>().Select(h => h.Child).FirstOrDefault();
        if (!reopens && child is null) return null;
        var reason = events[0] switch
        {
            HiddenSpaceFound h => $"hidden space '{h.Child.Id}' found in '{Ref.Sector}' by {h.Team}",
            HazardReported h => $"hazard in '{Ref.Sector}': {h.Hazard}",
            SectorReopened r => $"'{Ref.Sector}' reopened: {r.Reason}",
            var e => $"'{Ref.Sector}': {e.GetType().Name}",
        };
        return new FacilityConsent(reopens, child, reason);
    }

    private Decision<ISectorEvent> AcceptTeam(AcceptTeam c, DateTimeOffset now)
    {
        if (Team == c.Team && Status is SectorStatus.Assigned or SectorStatus.InProgress) return Accept(); // a retried step
        if (!TakesTeams(Status))
            return Refuse(RefusalCode.SectorNotAssignable, $"sector '{Ref}' is {Status}{(Team is null ? "" : $" with team {Team}")}");
        var missing = Missing(Needs, c.Capabilities);
        if (missing.Count > 0)
            return Refuse(RefusalCode.TeamLacksCapability, $"team {c.Team} lacks {string.Join(", ", missing)} needed for sector '{Ref}'");
        return Accept(new TeamAssigned(Ref, c.Team, now, c.By));
    }

    /// <summary>Whether a team may be assigned in this status: never searched, or stopped at a door someone else must open.</summary>
    public static bool TakesTeams(SectorStatus status) => status is SectorStatus.Unsearched or SectorStatus.Blocked;

    /// <summary>What a team with these capabilities lacks for these needs (empty when it can do the work).</summary>
    public static IReadOnlyList<Capability> Missing(ImmutableArray<Capability> needs, IEnumerable<Capability> capabilities) =>
        [.. needs.Except(capabilities)];

    private Decision<ISectorEvent> Reopen(ReopenSector c, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > MaxTextLength)
            return Refuse(RefusalCode.InvalidField, $"a reason is required, at most {MaxTextLength} characters");
        if (!Status.IsFinal() && Status != SectorStatus.Hazard)
            return Refuse(RefusalCode.SectorNotReopenable, $"sector '{Ref}' is {Status}; only cleared or hazardous sectors are reopened");
        return Accept(new SectorReopened(Ref, c.Reason, now, c.By));
    }

    private Decision<ISectorEvent> ClearWithDeceased(ReportClearedWithDeceased c, DateTimeOffset now, ReportPrints prints)
    {
        if (!Enum.IsDefined(c.Method)) return Refuse(RefusalCode.InvalidField, "method must be Visual, K9 or Technical");
        if (c.Deceased is < 0 or > MaxPersons) return Refuse(RefusalCode.InvalidField, $"deceased must be 0-{MaxPersons}");
        if (Deceased + c.Deceased == 0) return Refuse(RefusalCode.InvalidField, "no deceased recorded in this sector: give their number");
        return Accept(new SectorClearedWithDeceased(Ref, c.Team, c.Method, c.Deceased, ReportOf(c, prints), now, c.By));
    }

    private Decision<ISectorEvent> Block(ReportBlocked c, DateTimeOffset now, ReportPrints prints)
    {
        if (c.Needs.IsDefaultOrEmpty || c.Needs.Any(n => !Enum.IsDefined(n)))
            return Refuse(RefusalCode.InvalidField, "a blocked report names the capabilities needed");
        if (c.Note is { Length: > MaxTextLength }) return Refuse(RefusalCode.InvalidField, $"note is longer than {MaxTextLength}");
        return Accept(new SectorBlocked(Ref, c.Team, [.. c.Needs.Distinct()], c.Note, ReportOf(c, prints), now, c.By));
    }

    private Decision<ISectorEvent> OpenAccess(ReportAccessOpened c, DateTimeOffset now, ReportPrints prints)
    {
        if (c.Needs.IsDefaultOrEmpty) return Refuse(RefusalCode.InvalidField, "name the capabilities whose work is done (e.g. DoorOpening)");
        var notNeeded = c.Needs.Except(Needs).ToList();
        if (notNeeded.Count > 0) return Refuse(RefusalCode.AccessNotNeeded, $"sector '{Ref}' does not need {string.Join(", ", notNeeded)}");
        return Accept(new AccessOpened(Ref, c.Team, [.. c.Needs.Distinct()], ReportOf(c, prints), now, c.By));
    }

    private Decision<ISectorEvent> ReportHazard(ReportHazard c, DateTimeOffset now, ReportPrints prints)
    {
        if (string.IsNullOrWhiteSpace(c.Hazard) || c.Hazard.Length > MaxTextLength)
            return Refuse(RefusalCode.InvalidField, $"the hazard must be named, at most {MaxTextLength} characters");
        // A hazard beats a concurrent "cleared": the team that just cleared the sector may still report one.
        var concurrentWithClear = Status.IsFinal() && LastTeam == c.Team;
        if (!concurrentWithClear && NotHeldBy(c) is { } refusal) return refusal;
        return Accept(new HazardReported(Ref, c.Team, c.Hazard, ReportOf(c, prints), now, c.By));
    }

    private Decision<ISectorEvent> FindPersons(ReportPersonsFound c, DateTimeOffset now, ReportPrints prints)
    {
        if (c.Alive is < 0 or > MaxPersons || c.Deceased is < 0 or > MaxPersons)
            return Refuse(RefusalCode.InvalidField, $"alive and deceased must be 0-{MaxPersons}");
        if (c.Alive + c.Deceased == 0) return Refuse(RefusalCode.InvalidField, "a persons-found report counts at least one person");
        if (c.Details is { Length: > MaxTextLength }) return Refuse(RefusalCode.InvalidField, $"details are longer than {MaxTextLength}");
        var persons = c.Persons.IsDefault ? [] : c.Persons;
        if (persons.Length > Math.Min(MaxNamedPersons, c.Alive + c.Deceased))
            return Refuse(RefusalCode.InvalidField,
                $"{persons.Length} persons named but {c.Alive + c.Deceased} counted (at most {MaxNamedPersons} per report)");
        for (var i = 0; i < persons.Length; i++)
            if (persons[i].Invalid(now.Year) is { } invalid) return Refuse(invalid.Code, $"person {i + 1}: {invalid.Reason}");
        return Accept(new PersonsFound(Ref, c.Team, c.Alive, c.Deceased, c.NeedsMedical, c.Details, ReportOf(c, prints), now, c.By)
        {
            Persons = [.. persons.Select((p, i) => new FoundPerson(PersonDetails.IdFor(Ref, c.ReportId, i), p))],
        });
    }

    private Decision<ISectorEvent> CorrectPerson(CorrectPerson c, DateTimeOffset now)
    {
        if (!Persons.TryGetValue(c.Person, out var current))
            return Refuse(RefusalCode.PersonNotFound, $"no person '{c.Person}' was found in sector '{Ref}'");
        if (current.IsErased) return Refuse(RefusalCode.PersonAlreadyErased, $"person '{c.Person}' was erased: there is nothing to correct");
        if (c.Details.Invalid(now.Year) is { } invalid) return new Decision<ISectorEvent>.Refused(invalid);
        if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > MaxTextLength)
            return Refuse(RefusalCode.InvalidField, $"a reason is required, at most {MaxTextLength} characters");
        return current.SameAs(c.Details) ? Accept() : Accept(new PersonRecordCorrected(Ref, c.Person, c.Details, c.Reason.Trim(), now, c.By));
    }

    private Decision<ISectorEvent> ErasePerson(ErasePerson c, DateTimeOffset now)
    {
        if (!Persons.TryGetValue(c.Person, out var current))
            return Refuse(RefusalCode.PersonNotFound, $"no person '{c.Person}' was found in sector '{Ref}'");
        if (current.IsErased) return Refuse(RefusalCode.PersonAlreadyErased, $"person '{c.Person}' is already erased");
        if (Erasure.InvalidReason(c.Reason, current.Name, current.AltNames, current.FatherName, current.MotherName) is { } invalid)
            return new Decision<ISectorEvent>.Refused(invalid);
        return Accept(new PersonDetailsErased(Ref, c.Person, c.Reason.Trim(), now, c.By));
    }

    private Decision<ISectorEvent> FindHiddenSpace(ReportHiddenSpaceFound c, DateTimeOffset now, ReportPrints prints)
    {
        // New evidence may come from anyone once a sector is final; while it is searched, only from its team.
        if (!Status.IsFinal() && NotWorkedOnBy(c) is { } refusal) return refusal;
        if (!Ids.IsValid(c.NewSector)) return Refuse(RefusalCode.InvalidId, Ids.Rule("new sector id", c.NewSector));
        if (c.Name is { Length: > SectorDefinition.MaxNameLength })
            return Refuse(RefusalCode.InvalidField, $"name is longer than {SectorDefinition.MaxNameLength}");
        if (NameText.Check("name", c.Name) is { } badName) return Refuse(badName.Code, badName.Reason);
        if (c.Note is { Length: > MaxTextLength }) return Refuse(RefusalCode.InvalidField, $"note is longer than {MaxTextLength}");
        if (c.Needs.IsDefault || c.Needs.Any(n => !Enum.IsDefined(n))) return Refuse(RefusalCode.InvalidField, "needs are unknown capabilities");
        var child = new SectorDefinition(c.NewSector, Ref.Sector, SectorKind.HiddenSpace,
            string.IsNullOrWhiteSpace(c.Name) ? $"Hidden space under {Definition!.Name}" : c.Name, [.. c.Needs.Distinct()]);
        return Accept(new HiddenSpaceFound(Ref, c.Team, child, c.Note, ReportOf(c, prints), now, c.By));
    }

    private Decision<ISectorEvent>? NotHeldBy(FieldReport c) =>
        Team == c.Team && Status is SectorStatus.Assigned or SectorStatus.InProgress
            ? null
            : Refuse(RefusalCode.SectorNotAssignedToTeam,
                $"sector '{Ref}' is {Status}{(Team is null ? " with no team" : $" with team {Team}")}, not assigned to {c.Team}");

    private Decision<ISectorEvent>? NotWorkedOnBy(FieldReport c) =>
        NotHeldBy(c) ?? (Status == SectorStatus.InProgress ? null
            : Refuse(RefusalCode.SectorNotInProgress, $"team {c.Team} has not reported entering sector '{Ref}'"));

    private static ReportRef ReportOf(FieldReport c, ReportPrints prints) => new(c.ReportId, prints.Of(c));

    public Sector Evolve(ISectorEvent e)
    {
        var next = e switch
        {
            SectorDefined d => this with { Definition = d.Definition, Needs = d.Definition.Needs },
            TeamAssigned a => this with { Status = SectorStatus.Assigned, Team = a.Team },
            TeamReleased => this with { Status = Unassigned, Team = null },
            SectorEntered => this with { Status = SectorStatus.InProgress },
            SectorCleared c => this with { Status = SectorStatus.Cleared, Team = null, LastTeam = c.Team },
            SectorClearedWithDeceased c =>
                this with { Status = SectorStatus.ClearedWithDeceased, Team = null, LastTeam = c.Team, Deceased = Deceased + c.Deceased },
            SectorBlocked b => this with { Status = SectorStatus.Blocked, Team = null, LastTeam = b.Team, Needs = [.. Needs.Union(b.Needs)] },
            AccessOpened o => (this with { Team = null, LastTeam = o.Team, Needs = [.. Needs.Except(o.Needs)] }).Unblocked(),
            HazardReported h => this with { Status = SectorStatus.Hazard, Team = null, LastTeam = h.Team, Hazard = h.Hazard },
            PersonsFound p =>
                this with
                {
                    Alive = Alive + p.Alive,
                    Deceased = Deceased + p.Deceased,
                    Persons = Persons.SetItems(p.Persons.Select(f => KeyValuePair.Create(f.Id, f.Details)))
                },
            PersonRecordCorrected c => this with { Persons = Persons.SetItem(c.Person, c.Details) },
            PersonDetailsErased x => this with { Persons = Persons.SetItem(x.Person, PersonDetails.Erased) },
            PersonNoticeDecided => this, // the desk's view keeps the decision: the sector's rules do not depend on it
            HiddenSpaceFound h => this with { Children = Children.Add(h.Child.Id), Status = Status.IsFinal() ? SectorStatus.Unsearched : Status },
            SectorReopened => this with { Status = SectorStatus.Unsearched, Hazard = null },
            AlertAcknowledged a => this with { AcknowledgedAlerts = AcknowledgedAlerts.Add(a.Alert) },
            _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
        };
        next = next with { Version = Version + 1 };
        return e is IReportedEvent r
            ? next with
            {
                Reports = Reports.SetItem(r.Report.Id,
                    new RecordedReport(r.Report.Fingerprint, new ReportOutcome(next.Version, next.Status)))
            }
            : next;
    }

    /// <summary>With no team, a sector still needing more than its plan says is blocked; otherwise unsearched.</summary>
    private SectorStatus Unassigned => Needs.Except(Definition!.Needs).Any() ? SectorStatus.Blocked : SectorStatus.Unsearched;

    private Sector Unblocked() => this with { Status = Unassigned };

    private static Decision<ISectorEvent> Accept(params ISectorEvent[] events) => Decision<ISectorEvent>.Accept(events);
    private static Decision<ISectorEvent> Refuse(RefusalCode code, string reason) => Decision<ISectorEvent>.Refuse(code, reason);
}
