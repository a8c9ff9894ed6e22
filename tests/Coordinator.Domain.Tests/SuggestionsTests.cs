using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

public class SuggestionsTests
{
    private const string Level = "saydnaya/B2";
    private static readonly SectorRef Elsewhere = new("saydnaya", "B1-A-3");

    private static SuggestionTarget Door(SectorStatus status = SectorStatus.Unsearched) => new(Cell, Level, status, [Capability.DoorOpening]);

    private static TeamSituation Situation(string id, TeamStatus status = TeamStatus.Available, SectorRef? holds = null, TimeSpan? onShift = null,
        string? level = null, params Capability[] caps) =>
        new(new LiveTeam(id, id, 4, [.. caps.DefaultIfEmpty(Capability.Search)], status, holds, null, onShift is { } d ? Now - d : null), level);

    private static string Order(SuggestionList list) => string.Join(" ", list.Teams.Select(t => t.CanTakeNow ? t.Team : $"({t.Team})"));

    public static TheoryData<string, TeamSituation[], string> Rankings => new()
    {
        {
            "teams lacking the sector's needs cannot take it",
            [Situation("S-1"), Situation("D-1", caps: [Capability.Search, Capability.DoorOpening])],
            "D-1 (S-1)"
        },
        {
            "least time on shift first",
            [Situation("D-2", onShift: TimeSpan.FromHours(3), caps: [Capability.DoorOpening]),
             Situation("D-1", onShift: TimeSpan.FromHours(1), caps: [Capability.DoorOpening])],
            "D-1 D-2"
        },
        {
            "within the same hour on shift, a team already on that level first",
            [Situation("D-1", onShift: TimeSpan.FromMinutes(10), caps: [Capability.DoorOpening]),
             Situation("D-2", onShift: TimeSpan.FromMinutes(40), level: Level, caps: [Capability.DoorOpening])],
            "D-2 D-1"
        },
        {
            "a team whose other capabilities this sector leaves idle comes after one that fits",
            [Situation("A-1", caps: [Capability.DoorOpening, Capability.Medical]), Situation("B-1", caps: [Capability.DoorOpening])],
            "B-1 A-1"
        },
        {
            "busy, resting and out-of-service teams cannot take it; fewer bars first",
            [Situation("R-1", TeamStatus.Resting, caps: [Capability.DoorOpening]),
             Situation("B-1", TeamStatus.OnSite, Elsewhere, caps: [Capability.Search]),
             Situation("O-1", TeamStatus.OutOfService, caps: [Capability.DoorOpening]), Situation("D-1", caps: [Capability.DoorOpening])],
            "D-1 (O-1) (R-1) (B-1)"
        },
    };

    [Theory]
    [MemberData(nameof(Rankings))]
    public void Teams_are_ranked_for_a_sector(string why, TeamSituation[] teams, string expected)
    {
        Assert.True(why.Length > 0);
        Assert.Equal(expected, Order(Suggestions.Rank(Door(), teams, Now)));
    }

    [Fact]
    public void Each_pick_says_why_and_each_team_that_cannot_says_why_not_in_the_rules_own_codes()
    {
        var list = Suggestions.Rank(Door(), [
            Situation("D-1", onShift: TimeSpan.FromMinutes(30), level: Level, caps: [Capability.DoorOpening, Capability.Medical]),
            Situation("S-1"), Situation("R-1", TeamStatus.Resting, caps: [Capability.DoorOpening]),
            Situation("B-1", TeamStatus.Assigned, Elsewhere, caps: [Capability.DoorOpening]),
        ], Now);

        var pick = list.Teams[0];
        Assert.Equal(
            [SuggestionReasonCode.Available, SuggestionReasonCode.HasEveryNeed, SuggestionReasonCode.OnShiftFor, SuggestionReasonCode.OnThatLevel,
             SuggestionReasonCode.LeavesIdle],
            pick.Why.Select(r => r.Code));
        Assert.Equal([Capability.DoorOpening], pick.Why[1].Capabilities);
        Assert.Equal(TimeSpan.FromMinutes(30), pick.Why[2].OnShift);
        Assert.Equal("B2", pick.Why[3].Level);
        Assert.Equal([Capability.Medical], pick.Why[4].Capabilities);

        var bars = list.Teams.Skip(1).ToDictionary(t => t.Team, t => t.WhyNot.Single());
        Assert.Equal((RefusalCode.TeamLacksCapability, Capability.DoorOpening), (bars["S-1"].Code, bars["S-1"].Missing.Single()));
        Assert.Equal((RefusalCode.TeamNotAvailable, (TeamStatus?)TeamStatus.Resting), (bars["R-1"].Code, bars["R-1"].Status));
        Assert.Equal((RefusalCode.TeamBusy, Elsewhere), (bars["B-1"].Code, bars["B-1"].Sector));
        Assert.All(list.Teams.Skip(1), t => Assert.Empty(t.Why));
    }

    [Fact]
    public void The_bars_are_what_the_team_and_sector_rules_refuse_with()
    {
        var sector = DefinedCell(Capability.DoorOpening);
        var searchers = Domain.Teams.Team.Empty("S-1").Then(new RegisterTeam("S-1", "S", 4, [Capability.Search], Lead));
        var resting = Domain.Teams.Team.Empty("R-1").Then(new RegisterTeam("R-1", "R", 4, [Capability.DoorOpening], Lead))
            .Then(new SetTeamStatus("R-1", TeamStatus.Resting, Lead));
        var busy = Domain.Teams.Team.Empty("B-1").Then(new RegisterTeam("B-1", "B", 4, [Capability.DoorOpening], Lead))
            .Then(new AssignTeam("B-1", Elsewhere, Lead));

        var list = Suggestions.Rank(new SuggestionTarget(Cell, Level, sector.Status, sector.Needs),
            new[] { searchers, resting, busy }.Select(t => new TeamSituation(Board.LiveTeamOf(t), null)), Now);

        Assert.Equal(Refused(sector.Decide(new AcceptTeam(Cell, "S-1", [Capability.Search], Lead), Now)).Code, Bar(list, "S-1"));
        Assert.Equal(Refused(resting.Decide(new AssignTeam("R-1", Cell, Lead), Now)).Code, Bar(list, "R-1"));
        Assert.Equal(Refused(busy.Decide(new AssignTeam("B-1", Cell, Lead), Now)).Code, Bar(list, "B-1"));
    }

    private static RefusalCode Bar(SuggestionList list, string team) => list.Teams.Single(t => t.Team == team).WhyNot.Single().Code;

    [Theory]
    [InlineData(SectorStatus.Unsearched, true)]
    [InlineData(SectorStatus.Blocked, true)]
    [InlineData(SectorStatus.Assigned, false)]
    [InlineData(SectorStatus.InProgress, false)]
    [InlineData(SectorStatus.Cleared, false)]
    [InlineData(SectorStatus.Hazard, false)]
    public void No_team_can_take_a_sector_that_takes_no_teams(SectorStatus status, bool takes)
    {
        var list = Suggestions.Rank(Door(status), [Situation("D-1", caps: [Capability.DoorOpening])], Now);
        Assert.Equal(takes, list.Teams.Single().CanTakeNow);
        Assert.Equal(takes ? null : RefusalCode.SectorNotAssignable, list.Sector?.Code);
    }

    [Fact]
    public void On_the_live_board_a_free_team_stands_on_the_level_of_its_last_visit()
    {
        var board = OperationsProjection.Instance.Replay(new object[]
        {
            new FacilityRegistered("saydnaya", "Saydnaya", [], null, Now, Lead),
            new SectorsDefined("saydnaya", [
                new SectorDefinition("B1", null, SectorKind.Level, "B1", []), new SectorDefinition("B2", null, SectorKind.Level, "B2", []),
                new SectorDefinition("B1-1", "B1", SectorKind.Cell, "1", []), new SectorDefinition("B2-1", "B2", SectorKind.Cell, "1", []),
                new SectorDefinition("B2-2", "B2", SectorKind.Cell, "2", [])], Now, Lead),
            new TeamRegistered("A", "A", 4, [Capability.Search], Now, Lead),
            new TeamRegistered("B", "B", 4, [Capability.Search], Now, Lead),
            new TeamAssigned(new SectorRef("saydnaya", "B2-1"), "B", Now, Lead),
            new TeamReleased(new SectorRef("saydnaya", "B2-1"), "B", Now, Lead),
            new TeamAssigned(new SectorRef("saydnaya", "B1-1"), "A", Now, Lead),
            new TeamReleased(new SectorRef("saydnaya", "B1-1"), "A", Now, Lead),
        }.Select((e, i) => (e, (long)i + 1)));

        var (list, refusal) = Suggestions.For(board, new SectorRef("saydnaya", "B2-2"), Now);

        Assert.Null(refusal);
        Assert.Equal("B A", Order(list!));
        Assert.Contains(list!.Teams[0].Why, r => r.Code == SuggestionReasonCode.OnThatLevel);
        Assert.Equal(RefusalCode.SectorNotFound, Suggestions.For(board, new SectorRef("saydnaya", "nope"), Now).Refusal!.Code);
        Assert.Equal(RefusalCode.FacilityNotFound, Suggestions.For(board, new SectorRef("nope", "B2-2"), Now).Refusal!.Code);
    }

    [Fact]
    public void What_stands_between_us_and_sign_off_is_exactly_what_sign_off_refuses()
    {
        var sectors = new SectorDefinition[]
        {
            new("B1", null, SectorKind.Level, "B1", []), new("c1", "B1", SectorKind.Cell, "1", []), new("c2", "B1", SectorKind.Cell, "2", []),
            new("c3", "B1", SectorKind.Cell, "3", [Capability.DoorOpening]), new("c4", "B1", SectorKind.Cell, "4", []),
        };
        var progress = new Dictionary<string, SectorStatus>
        {
            ["B1"] = SectorStatus.Hazard,
            ["c1"] = SectorStatus.Cleared,
            ["c2"] = SectorStatus.InProgress,
            ["c3"] = SectorStatus.Blocked
        };
        var facility = Facility.Empty("f").Then(new RegisterFacility("f", "F", [], null, Lead)).Then(new DefineSectors("f", [.. sectors], Lead));
        var version = 0;
        foreach (var (id, status) in progress)
            facility = facility.Then(new RecordSectorProgress("f", id, new SectorProgress(status, null, 0, 0, ++version)));
        var live = OperationsProjection.Instance.Replay(new object[]
        {
            new FacilityRegistered("f", "F", [], null, Now, Lead), new SectorsDefined("f", [.. sectors], Now, Lead),
        }.Select((e, i) => (e, (long)i + 1))).Facilities["f"];
        live = live with
        {
            Sectors = live.Sectors.SetItems(progress.Select(p =>
                KeyValuePair.Create(p.Key, live.Sectors[p.Key] with { Status = p.Value })))
        };

        var groups = Outstanding.Of(live);

        Assert.Equal(facility.Outstanding().Order(), groups.SelectMany(g => g.Sectors.Select(s => s.Id)).Order());
        Assert.Equal([SectorStatus.Blocked, SectorStatus.Hazard, SectorStatus.Unsearched, SectorStatus.InProgress], groups.Select(g => g.Why));
        Assert.False(groups.Single(g => g.Why == SectorStatus.Hazard).Sectors.Single().Leaf);
    }
}
