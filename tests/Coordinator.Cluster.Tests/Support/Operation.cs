using System.Collections.Immutable;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>What a lead and field units do, sent to a node's shard regions as the API will send them.</summary>
public sealed class Operation(CoordinatorHost node, string facility)
{
    public static readonly Author Lead = Author.Lead("amal");

    public string Facility { get; } = facility;
    public CoordinatorHost Node { get; set; } = node;

    public SectorRef Sector(string id) => new(Facility, id);

    public async Task Register(params SectorDefinition[] layout)
    {
        await Expect<FacilityRegion>(new RegisterFacility(Facility, $"Facility {Facility}", ["alias"], "test site", Lead));
        await Expect<FacilityRegion>(new DefineSectors(Facility, [.. layout], Lead));
    }

    public static SectorDefinition Def(string id, string? parent, SectorKind kind = SectorKind.Cell, params Capability[] needs) =>
        new(id, parent, kind, id, [.. needs]);

    public Task<object> Team(string id, params Capability[] capabilities) =>
        Node.Ask<TeamRegion>(new RegisterTeam(id, $"Call {id}", 4, [.. capabilities], Lead));

    public Task<object> Assign(string team, string sector) => Node.Ask<TeamRegion>(new AssignTeam(team, Sector(sector), Lead));

    public Task<object> Report(ISectorCommand report) => Node.Ask<SectorRegion>(report);

    public Task<object> Entered(string team, string sector) =>
        Report(new ReportEntered(Sector(sector), $"{sector}-{team}-in", team, Author.Team(team)));

    public Task<object> Cleared(string team, string sector) =>
        Report(new ReportCleared(Sector(sector), $"{sector}-{team}-clear", team, SearchMethod.Visual, Author.Team(team)));

    /// <summary>Assign, enter and clear: the whole visit of one team to one sector.</summary>
    public async Task Search(string team, string sector)
    {
        await Expect<TeamRegion>(new AssignTeam(team, Sector(sector), Lead));
        Assert.IsType<CommandAccepted>(await Entered(team, sector));
        Assert.IsType<CommandAccepted>(await Cleared(team, sector));
    }

    public Task<Facility> FacilityState() => Node.Ask<FacilityRegion, Facility>(new GetFacility(Facility));
    public Task<Sector> SectorState(string id) => Node.Ask<SectorRegion, Sector>(new GetSector(Sector(id)));
    public async Task<Team> TeamState(string id) => (await Node.Ask<TeamRegion, TeamSnapshot>(new GetTeam(id))).State;

    /// <summary>Waits until the facility's copy of every listed sector has caught up with the sector itself.</summary>
    public async Task Settled(params string[] sectors)
    {
        var behind = new List<string>();
        try
        {
            await Eventually.Until(async () =>
            {
                var facility = await FacilityState();
                behind.Clear();
                foreach (var id in sectors)
                {
                    var sector = await SectorState(id);
                    if (facility.ProgressOf(id).Version != sector.Version)
                        behind.Add($"{id} v{sector.Version} (facility has v{facility.ProgressOf(id).Version})");
                }
                return behind.Count == 0;
            }, $"facility {Facility} to learn the progress of {string.Join(", ", sectors)}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; behind: {string.Join(", ", behind)}");
        }
    }

    public async Task Expect<TRegion>(object command) => Assert.IsType<CommandAccepted>(await Node.Ask<TRegion>(command));
}
