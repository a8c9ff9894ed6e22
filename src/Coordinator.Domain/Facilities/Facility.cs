using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

public sealed record FacilityProfile(string Name, ImmutableArray<string> Aliases, string? Location)
{
    public bool SameAs(FacilityProfile o) => Name == o.Name && Location == o.Location && Aliases.SequenceEqual(o.Aliases);
}

/// <summary>A facility: its profile, its sector tree, what it knows of each sector, and the lead's sign-off.</summary>
public sealed record Facility(
    string Id,
    FacilityProfile? Profile,
    ImmutableDictionary<string, SectorDefinition> Sectors,
    ImmutableHashSet<string> Parents,
    ImmutableDictionary<string, SectorProgress> Progress,
    bool SignedOff,
    long Version)
{
    public const int MaxTextLength = 200;
    public const int MaxAliases = 20;

    public static Facility Empty(string id) =>
        new(id, null, ImmutableDictionary<string, SectorDefinition>.Empty, ImmutableHashSet<string>.Empty,
            ImmutableDictionary<string, SectorProgress>.Empty, false, 0);

    public bool Registered => Profile is not null;

    public bool IsLeaf(string sector) => !Parents.Contains(sector);

    public SectorProgress ProgressOf(string sector) => Progress.GetValueOrDefault(sector, SectorProgress.Initial);

    public IEnumerable<string> ChildrenOf(string sector) => ChildIndex.GetValue(Sectors, BuildChildIndex)[sector];

    /// <summary>
    /// Children by parent, built once per version of the sector tree (the dictionary changes only when sectors
    /// are added): a read of one sector must not scan a facility of thousands.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ImmutableDictionary<string, SectorDefinition>,
        ILookup<string, string>> ChildIndex = new();

    private static ILookup<string, string> BuildChildIndex(ImmutableDictionary<string, SectorDefinition> sectors) =>
        sectors.Values.Where(s => s.Parent is not null).ToLookup(s => s.Parent!, s => s.Id);

    /// <summary>Sectors that stand in the way of a sign-off: unfinished leaves and any sector with work open.</summary>
    public IEnumerable<string> Outstanding() => Sectors.Keys.Where(id => BlocksSignOff(IsLeaf(id), ProgressOf(id).Status));

    /// <summary>The sign-off rule for one sector; the board's "what stands between us and sign-off" asks the same.</summary>
    public static bool BlocksSignOff(bool leaf, SectorStatus status) => leaf ? !status.IsFinal() : status.IsOpenWork();

    public Decision<IFacilityEvent> Decide(IFacilityCommand command, DateTimeOffset now)
    {
        if (command is RegisterFacility r) return Register(r, now);
        if (!Registered) return Refuse(RefusalCode.FacilityNotFound, $"facility '{Id}' is not registered");
        return command switch
        {
            DefineSectors d => Define(d, now),
            RecordSectorProgress p => Record(p, now),
            ConsentToSectorChange c => Consent(c, now),
            SignOffFacility s => SignOff(s, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    private Decision<IFacilityEvent> Register(RegisterFacility c, DateTimeOffset now)
    {
        if (!Ids.IsValid(c.Facility)) return Refuse(RefusalCode.InvalidId, Ids.Rule("facility id", c.Facility));
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > MaxTextLength)
            return Refuse(RefusalCode.InvalidField, $"name is required, at most {MaxTextLength} characters");
        if (c.Aliases.IsDefault || c.Aliases.Length > MaxAliases || c.Aliases.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > MaxTextLength))
            return Refuse(RefusalCode.InvalidField, $"aliases: at most {MaxAliases}, each 1-{MaxTextLength} characters");
        if ((NameText.Check("name", c.Name)
            ?? c.Aliases.Select(a => NameText.Check("an alias", a)).FirstOrDefault(r => r is not null)) is { } badName)
            return Refuse(badName.Code, badName.Reason);
        if (c.Location is { Length: > MaxTextLength }) return Refuse(RefusalCode.InvalidField, $"location is longer than {MaxTextLength}");
        var profile = new FacilityProfile(c.Name, c.Aliases, c.Location);
        if (Profile is not null)
            return Profile.SameAs(profile) ? Accept()
                : Refuse(RefusalCode.FacilityAlreadyRegistered, $"facility '{Id}' is already registered with other details");
        return Accept(new FacilityRegistered(Id, c.Name, c.Aliases, c.Location, now, c.By));
    }

    private Decision<IFacilityEvent> Define(DefineSectors c, DateTimeOffset now)
    {
        var (fresh, refusal) = Layout.Validate(Sectors, c.Sectors);
        if (refusal is not null) return new Decision<IFacilityEvent>.Refused(refusal);
        if (fresh.IsEmpty) return Accept();
        var events = fresh.Chunk(SectorsPerEvent).Select(chunk => (IFacilityEvent)new SectorsDefined(Id, [.. chunk], now, c.By)).ToList();
        // New sectors are unsearched: a signed-off facility is no longer clear.
        if (SignedOff) events.Add(new SignOffRevoked(Id, $"{fresh.Length} sector(s) added", now, c.By));
        return new Decision<IFacilityEvent>.Accepted(events);
    }

    /// <summary>Keeps events of a large layout a reasonable size; all are written in one atomic batch.</summary>
    public const int SectorsPerEvent = 1000;

    private Decision<IFacilityEvent> Record(RecordSectorProgress c, DateTimeOffset now)
    {
        if (!Sectors.ContainsKey(c.Sector)) return Refuse(RefusalCode.SectorNotFound, $"sector '{c.Sector}' is not defined in facility '{Id}'");
        if (c.Progress.Version <= ProgressOf(c.Sector).Version) return Accept(); // already known, or older than what is known
        var recorded = new SectorProgressRecorded(Id, c.Sector, c.Progress, now, c.By);
        return SignedOff && !c.Progress.Status.IsFinal()
            ? Accept(recorded, new SignOffRevoked(Id, $"sector '{c.Sector}' is {c.Progress.Status}", now, c.By))
            : Accept(recorded);
    }

    private Decision<IFacilityEvent> Consent(ConsentToSectorChange c, DateTimeOffset now)
    {
        if (!Sectors.ContainsKey(c.Sector)) return Refuse(RefusalCode.SectorNotFound, $"sector '{c.Sector}' is not defined in facility '{Id}'");
        var events = new List<IFacilityEvent>();
        if (c.Child is { } child)
        {
            if (child.Parent != c.Sector) return Refuse(RefusalCode.InvalidField, $"hidden space '{child.Id}' must have parent '{c.Sector}'");
            var (fresh, refusal) = Layout.Validate(Sectors, [child]);
            if (refusal is not null) return new Decision<IFacilityEvent>.Refused(refusal);
            if (!fresh.IsEmpty) events.Add(new HiddenSpaceAdded(Id, child, c.Reason, now, c.By));
        }
        var known = ProgressOf(c.Sector);
        if (c.Reopens && (known.Status.IsFinal() || known.Version < c.SectorVersion))
            events.Add(new SectorReopeningRecorded(Id, c.Sector, c.SectorVersion, c.Reason, now, c.By));
        if (SignedOff && events.Count > 0) events.Add(new SignOffRevoked(Id, c.Reason, now, c.By));
        return new Decision<IFacilityEvent>.Accepted(events);
    }

    private Decision<IFacilityEvent> SignOff(SignOffFacility c, DateTimeOffset now)
    {
        if (SignedOff) return Refuse(RefusalCode.FacilityAlreadySignedOff, $"facility '{Id}' is already signed off");
        if (Sectors.IsEmpty) return Refuse(RefusalCode.FacilityHasNoSectors, $"facility '{Id}' has no sectors to sign off");
        var outstanding = Outstanding().Order(StringComparer.Ordinal).ToList();
        if (outstanding.Count > 0)
            return Refuse(RefusalCode.FacilityHasUnsearchedSectors,
                $"{outstanding.Count} sector(s) not cleared, e.g. {string.Join(", ", outstanding.Take(5))}");
        return Accept(new FacilitySignedOff(Id, Sectors.Keys.Count(IsLeaf), now, c.By));
    }

    public Facility Evolve(IFacilityEvent e) => (e switch
    {
        FacilityRegistered r => this with { Profile = new FacilityProfile(r.Name, r.Aliases, r.Location) },
        SectorsDefined d => this with
        {
            Sectors = Sectors.SetItems(d.Sectors.Select(s => KeyValuePair.Create(s.Id, s))),
            Parents = Parents.Union(d.Sectors.Where(s => s.Parent is not null).Select(s => s.Parent!)),
        },
        // Never backwards: progress records may be written in batches, decided before the previous one applied.
        SectorProgressRecorded p =>
            p.Progress.Version > ProgressOf(p.Sector).Version ? this with { Progress = Progress.SetItem(p.Sector, p.Progress) } : this,
        HiddenSpaceAdded h => this with
        {
            Sectors = Sectors.SetItem(h.Child.Id, h.Child),
            Parents = Parents.Add(h.Child.Parent!),
        },
        // The sector records its reopening next, with a higher version; until then the facility counts it unsearched.
        SectorReopeningRecorded o => this with
        {
            Progress = Progress.SetItem(o.Sector,
                ProgressOf(o.Sector) with
                {
                    Status = SectorStatus.Unsearched,
                    Team = null,
                    Version = Math.Max(o.SectorVersion, ProgressOf(o.Sector).Version)
                }),
        },
        SignOffRevoked => this with { SignedOff = false },
        FacilitySignedOff => this with { SignedOff = true },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    }) with
    { Version = Version + 1 };

    private static Decision<IFacilityEvent> Accept(params IFacilityEvent[] events) => Decision<IFacilityEvent>.Accept(events);
    private static Decision<IFacilityEvent> Refuse(RefusalCode code, string reason) => Decision<IFacilityEvent>.Refuse(code, reason);
}
