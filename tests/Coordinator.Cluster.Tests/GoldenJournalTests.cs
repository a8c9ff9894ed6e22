using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Events are stored forever. Fixtures/golden-journal.v1.jsonl holds one of each, as serialized when it was
/// introduced; these tests read it with today's code. A change that breaks stored events fails here.
/// A new event type: run once with COORD_GOLDEN_APPEND=1 to append its line, and commit it. Never edit a line.
/// </summary>
public class GoldenJournalTests : IDisposable
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden-journal.v1.jsonl");
    private static readonly string SourceFixturePath = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..",
        "Fixtures", "golden-journal.v1.jsonl"));

    private readonly ActorSystem _system = ActorSystem.Create("golden");
    private readonly EventSerializer _serializer;

    public GoldenJournalTests() => _serializer = new EventSerializer((ExtendedActorSystem)_system);

    public void Dispose() => _system.Dispose();

    private static readonly DateTimeOffset At = new(2024, 12, 9, 6, 30, 0, TimeSpan.FromHours(3));
    private static readonly Author Lead = Author.Lead("amal");
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-14");
    private static readonly SectorDefinition Definition = new("B2-C-14", "B2-C", SectorKind.Cell, "Cell 14", [Capability.DoorOpening]);
    private static readonly ReportRef Report = new("radio-0042", "fingerprint");
    private static readonly PersonDetails Person = new("محمد أحمد الحلبي", ["Mohamed al-Halabi"], "أحمد", null, null, 38, "حمص",
        "alive, weak", "Al-Mujtahid hospital");
    private static readonly InquiryDetails Wanted = new("Mohamed Ahmad Al-Halabi", [], "Ahmad", "Fatima", 1987, "Homs",
        "detained at a checkpoint, 2012", "+90 555 000 0000");

    /// <summary>One instance of every stored type, as the code writes it today.</summary>
    private static readonly IReadOnlyDictionary<string, object> Samples = new Dictionary<string, object>
    {
        ["facility-registered.v1"] = new FacilityRegistered("saydnaya", "Saydnaya", ["Sednaya", "صيدنايا"], "near Damascus", At, Lead),
        ["sectors-defined.v1"] = new SectorsDefined("saydnaya", [Definition], At, Lead),
        ["sector-progress-recorded.v1"] = new SectorProgressRecorded("saydnaya", "B2-C-14",
            new SectorProgress(SectorStatus.InProgress, "K9-1", 2, 1, 7), At, Author.System),
        ["hidden-space-added.v1"] = new HiddenSpaceAdded("saydnaya",
            Definition with { Id = "B3-V", Parent = "B2-C-14", Kind = SectorKind.HiddenSpace }, "K9 alert", At, Author.Team("K9-1")),
        ["sector-reopening-recorded.v1"] = new SectorReopeningRecorded("saydnaya", "B2-C-14", 7, "witness", At, Lead),
        ["sign-off-revoked.v1"] = new SignOffRevoked("saydnaya", "hidden space", At, Lead),
        ["facility-signed-off.v1"] = new FacilitySignedOff("saydnaya", 412, At, Lead),
        ["sector-defined.v1"] = new SectorDefined(Cell, Definition, At, Author.System),
        ["team-assigned.v1"] = new TeamAssigned(Cell, "K9-1", At, Lead),
        ["team-released.v1"] = new TeamReleased(Cell, "K9-1", At, Lead),
        ["sector-entered.v1"] = new SectorEntered(Cell, "K9-1", Report, At, Author.Team("K9-1")),
        ["sector-cleared.v1"] = new SectorCleared(Cell, "K9-1", SearchMethod.K9, Report, At, Author.Team("K9-1")),
        ["sector-cleared-with-deceased.v1"] = new SectorClearedWithDeceased(Cell, "K9-1", SearchMethod.Visual, 2, Report, At, Author.Team("K9-1")),
        ["sector-blocked.v1"] = new SectorBlocked(Cell, "K9-1", [Capability.DoorOpening], "iron door", Report, At, Author.Team("K9-1")),
        ["access-opened.v1"] = new AccessOpened(Cell, "DOOR-1", [Capability.DoorOpening], Report, At, Author.Team("DOOR-1")),
        ["hazard-reported.v1"] = new HazardReported(Cell, "K9-1", "unstable ceiling", Report, At, Author.Team("K9-1")),
        ["persons-found.v1"] = new PersonsFound(Cell, "K9-1", 3, 1, true, "Ahmad, 34, from Homs", Report, At, Author.Team("K9-1")),
        ["hidden-space-found.v1"] = new HiddenSpaceFound(Cell, "K9-1",
            Definition with { Id = "B3-V", Parent = "B2-C-14", Kind = SectorKind.HiddenSpace }, "hollow wall", Report, At, Author.Team("K9-1")),
        ["sector-reopened.v1"] = new SectorReopened(Cell, "knocking heard", At, Lead),
        ["alert-acknowledged.v1"] = new AlertAcknowledged(Cell, 42, At, Lead),
        ["person-record-corrected.v1"] = new PersonRecordCorrected(Cell, "p-0123456789abcdef", Person, "father's name misheard", At, Lead),
        ["person-details-erased.v1"] = new PersonDetailsErased(Cell, "p-0123456789abcdef", "asked by the family", At, Lead),
        ["inquiry-details-erased.v1"] = new InquiryDetailsErased("inq-7", "retention", At, Author.System),
        ["person-notice-decided.v1"] = new PersonNoticeDecided(Cell, "p-0123456789abcdef", true, At, new Author("familydesk:desk-1")),
        ["inquiry-registered.v1"] = new InquiryRegistered("inq-7", Wanted, At, Author.Lead("desk-1")),
        ["inquiry-closed.v1"] = new InquiryClosed("inq-7", "found alive, family informed", At, Author.Lead("desk-1")),
        ["match-decided.v1"] = new MatchDecided("inq-7", "p-0123456789abcdef", MatchDecision.Confirmed,
            "photo recognised by brother", At, Author.Lead("desk-1")),
        ["inquiry-concluded.v1"] = new InquiryConcluded("inq-7", CaseOutcome.Reunited, "met his brother at the hospital", At, Author.Lead("desk-1")),
        ["family-informed.v1"] = new FamilyInformed("inq-7", "p-0123456789abcdef", InformedHow.Phone, "brother called, will travel to Damascus", At,
            new Author("familydesk:desk-1")),
        ["case-claimed.v1"] = new CaseClaimed("inq-7", At.AddHours(4), At, new Author("familydesk:desk-1")),
        ["case-released.v1"] = new CaseReleased("inq-7", At, new Author("familydesk:desk-1")),
        ["person-records-read.v1"] = new PersonRecordsRead("2024-12-09", "familydesk:desk-1", "candidates of inq-7",
            ["p-0123456789abcdef"], ["inq-7"], At),
        ["inquiry-snapshot.v1"] = Inquiry.Empty("inq-7").Evolve(new InquiryRegistered("inq-7", Wanted, At, Author.Lead("desk-1")))
            .Evolve(new MatchDecided("inq-7", "p-0123456789abcdef", MatchDecision.Rejected, null, At, Author.Lead("desk-1"))),
        ["team-registered.v1"] = new TeamRegistered("K9-1", "Kilo Nine One", 4, [Capability.K9, Capability.Search], At, Lead),
        ["assignment-requested.v1"] = new AssignmentRequested("K9-1", Cell, At, Lead),
        ["assignment-confirmed.v1"] = new AssignmentConfirmed("K9-1", Cell, At, Author.System),
        ["assignment-refused.v1"] = new AssignmentRefused("K9-1", Cell,
            new Refusal(RefusalCode.TeamLacksCapability, "lacks DoorOpening"), At, Author.System),
        ["recall-requested.v1"] = new RecallRequested("K9-1", Cell, At, Lead),
        ["team-on-site.v1"] = new TeamOnSite("K9-1", Cell, At, Author.System),
        ["team-left-sector.v1"] = new TeamLeftSector("K9-1", Cell, SectorStatus.Cleared, At, Author.System),
        ["team-status-set.v1"] = new TeamStatusSet("K9-1", TeamStatus.Resting, At, Lead),
        ["token-issued.v1"] = new TokenIssued("tk-1", Role.Field, "K9-1", At.AddHours(12), At, Lead),
        ["token-revoked.v1"] = new TokenRevoked("tk-1", At, Lead),
        ["enrolment-opened.v1"] = new EnrolmentOpened("5f3a9c", "K9-1", At.AddMinutes(15), TimeSpan.FromHours(12), At, Lead),
        ["enrolment-redeemed.v1"] = new EnrolmentRedeemed("5f3a9c", "tk-2", "0b6f2d1e-phone", At.AddMinutes(3), new Author("anonymous@10.0.0.7")),
        ["token-registry-snapshot.v1"] = TokenRegistry.Empty
            .Evolve(new TokenIssued("tk-1", Role.Lead, null, At.AddHours(12), At, Lead))
            .Evolve(new EnrolmentOpened("5f3a9c", "K9-1", At.AddMinutes(15), TimeSpan.FromHours(12), At, Lead))
            .Evolve(new EnrolmentRedeemed("5f3a9c", "tk-2", "0b6f2d1e-phone", At.AddMinutes(3), new Author("anonymous@10.0.0.7")))
            .Evolve(new TokenIssued("tk-2", Role.Field, "K9-1", At.AddHours(12), At.AddMinutes(3), new Author("enrolment:lead:amal"))),
        ["tokens-snapshot.v1"] = Tokens.Empty.Evolve(new TokenIssued("tk-1", Role.Field, "K9-1", At.AddHours(12), At, Lead))
            .Evolve(new TokenRevoked("tk-1", At, Lead)),
        ["facility-snapshot.v1"] = Facility.Empty("saydnaya")
            .Evolve(new FacilityRegistered("saydnaya", "Saydnaya", ["Sednaya"], null, At, Lead))
            .Evolve(new SectorsDefined("saydnaya", [Definition with { Parent = null }], At, Lead))
            .Evolve(new SectorProgressRecorded("saydnaya", "B2-C-14", new SectorProgress(SectorStatus.Cleared, null, 0, 0, 4), At, Author.System)),
        ["sector-snapshot.v1"] = Sector.Empty(Cell)
            .Evolve(new SectorDefined(Cell, Definition, At, Author.System))
            .Evolve(new TeamAssigned(Cell, "K9-1", At, Lead))
            .Evolve(new SectorEntered(Cell, "K9-1", Report, At, Author.Team("K9-1"))),
        ["team-snapshot.v1"] = Team.Empty("K9-1")
            .Evolve(new TeamRegistered("K9-1", "Kilo Nine One", 4, [Capability.K9], At, Lead))
            .Evolve(new AssignmentRequested("K9-1", Cell, At, Lead)),
    };

    private static IReadOnlyDictionary<string, string> ReadFixture() =>
        File.Exists(FixturePath)
            ? File.ReadLines(FixturePath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)
                .ToDictionary(n => (string)n["manifest"]!, n => n["payload"]!.ToJsonString())
            : new Dictionary<string, string>();

    [Fact]
    public void Every_stored_type_has_a_sample_and_a_line_in_the_golden_journal()
    {
        if (Environment.GetEnvironmentVariable("COORD_GOLDEN_APPEND") == "1") AppendMissing();
        Assert.Equal(Manifests.Types.Keys.Order(), Samples.Keys.Order());
        var missing = Manifests.Types.Keys.Except(ReadFixture().Keys).ToList();
        Assert.True(missing.Count == 0, $"no golden line for {string.Join(", ", missing)}: run with COORD_GOLDEN_APPEND=1 and commit the fixture");
    }

    [Fact]
    public void Events_stored_in_the_golden_journal_still_read_as_they_were_written()
    {
        foreach (var (manifest, payload) in ReadFixture())
        {
            var read = _serializer.FromBinary(Encoding.UTF8.GetBytes(payload), manifest);
            Assert.IsType(Manifests.Types[manifest], read);
            // Written back, it must be the same text: a renamed, retyped or dropped field would not survive.
            Assert.True(SameJson(payload, _serializer.ToBinary(read)), $"{manifest} does not read back as it was written");
            // And today's code still writes this type the same way.
            Assert.True(SameJson(payload, _serializer.ToBinary(Samples[manifest])), $"{manifest} is written differently today");
            Assert.Equal(manifest, _serializer.Manifest(read));
        }
    }

    private static bool SameJson(string stored, byte[] written) => JsonNode.DeepEquals(JsonNode.Parse(stored), JsonNode.Parse(written));

    /// <summary>What is left out while empty is written as soon as it holds something.</summary>
    [Fact]
    public void A_snapshot_keeps_its_persons_and_acknowledged_alerts()
    {
        var sector = ((Sector)Samples["sector-snapshot.v1"])
            .Evolve(new PersonsFound(Cell, "K9-1", 1, 0, false, null, Report, At, Author.Team("K9-1"))
            {
                Persons = [new FoundPerson("p-0123456789abcdef", Person)],
            })
            .Evolve(new AlertAcknowledged(Cell, 42, At, Lead));
        var read = (Sector)_serializer.FromBinary(_serializer.ToBinary(sector), _serializer.Manifest(sector));
        Assert.Equal([42L], read.AcknowledgedAlerts);
        Assert.Equal(["p-0123456789abcdef"], read.Persons.Keys);
        Assert.True(read.Persons["p-0123456789abcdef"].SameAs(Person));
    }

    [Fact]
    public void A_type_without_a_manifest_is_refused_rather_than_stored_under_a_type_name()
    {
        Assert.Throws<ArgumentException>(() => _serializer.Manifest(new CommandAccepted(1, new EntityStatus.ReadLogged())));
        Assert.ThrowsAny<Exception>(() => _serializer.FromBinary("{}"u8.ToArray(), "no-such-event.v1"));
    }

    private void AppendMissing()
    {
        var known = ReadFixture();
        var lines = Samples.Where(s => !known.ContainsKey(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new JsonObject { ["manifest"] = s.Key, ["payload"] = JsonNode.Parse(_serializer.ToBinary(s.Value)) }
                .ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        foreach (var path in new[] { SourceFixturePath, FixturePath })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllLines(path, lines);
        }
    }
}
