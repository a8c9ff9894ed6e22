using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Domain.Tests;

/// <summary>Given-when-then over the pure rules: commands are applied through Decide and Evolve, as the actors do.</summary>
public static class Scenario
{
    public static readonly DateTimeOffset Now = new(2024, 12, 9, 8, 0, 0, TimeSpan.Zero);
    public static readonly Author Lead = Author.Lead("amal");
    public static readonly SectorRef Cell = new("saydnaya", "B2-C-14");

    public static SectorDefinition CellDefinition(params Capability[] needs) =>
        new(Cell.Sector, "B2-C", SectorKind.Cell, "Cell 14", [.. needs]);

    public static Sector DefinedCell(params Capability[] needs) =>
        Sector.Empty(Cell).Evolve(new SectorDefined(Cell, CellDefinition(needs), Now, Author.System));

    public static T Apply<T, TEvent>(this T state, Func<T, Decision<TEvent>> decide, Func<T, TEvent, T> evolve)
    {
        var decision = decide(state);
        var accepted = Assert.IsType<Decision<TEvent>.Accepted>(decision);
        return accepted.Events.Aggregate(state, evolve);
    }

    /// <summary>The report prints' key of the rules' tests: the actors pass the cluster's.</summary>
    public static readonly ReportPrints Prints = new("domain-tests report key"u8.ToArray());

    /// <summary>A sector decides with the tests' report key, as its actor decides with the cluster's.</summary>
    public static Decision<ISectorEvent> Decide(this Sector s, ISectorCommand c, DateTimeOffset now) => s.Decide(c, now, Prints);

    public static Sector Then(this Sector s, ISectorCommand c) => s.Apply(x => x.Decide(c, Now), (x, e) => x.Evolve(e));
    public static Team Then(this Team t, ITeamCommand c) => t.Apply(x => x.Decide(c, Now), (x, e) => x.Evolve(e));
    public static Facility Then(this Facility f, IFacilityCommand c) => f.Apply(x => x.Decide(c, Now), (x, e) => x.Evolve(e));

    public static Refusal Refused<TEvent>(Decision<TEvent> decision) => Assert.IsType<Decision<TEvent>.Refused>(decision).Refusal;

    public static IReadOnlyList<TEvent> Events<TEvent>(Decision<TEvent> decision) => Assert.IsType<Decision<TEvent>.Accepted>(decision).Events;

    // Sector commands in the words a field unit would use.
    public static AcceptTeam Assign(string team, params Capability[] caps) => new(Cell, team, [.. caps.DefaultIfEmpty(Capability.Search)], Lead);
    public static ReportEntered Entered(string team, string id = "r-enter") => new(Cell, id, team, Author.Team(team));
    public static ReportCleared Cleared(string team, string id = "r-clear", SearchMethod method = SearchMethod.Visual) =>
        new(Cell, id, team, method, Author.Team(team));

    public static Sector InProgressWith(string team) => DefinedCell().Then(Assign(team)).Then(Entered(team));
}
