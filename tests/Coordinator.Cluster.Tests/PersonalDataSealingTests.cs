using System.Collections.Immutable;
using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The serializer with a key store on a real SQLite file: details are sealed in the bytes, read back whole
/// while the key exists, and as the erased marker once it is deleted — snapshots written before the erasure too.
/// </summary>
public class PersonalDataSealingTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2024, 12, 9, 6, 30, 0, TimeSpan.Zero);
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-14");
    private static readonly PersonDetails Youssef = new("Youssef Haddad", ["Yusuf"], "Khalil", null, 1979, null, "Homs",
        "weak", "Al-Mujtahid hospital");
    private static readonly PersonDetails Mohamed = new("Mohamed Halabi", [], null, null, null, 38, null, null, null);
    private static readonly InquiryDetails Wanted = new("Youssef Khalil Haddad", [], "Khalil", "Fatima", 1979, "Homs",
        "checkpoint, 2012", "+90 555 0100");

    private readonly string _folder = Directory.CreateTempSubdirectory("coord-seal-").FullName;
    private readonly List<ActorSystem> _systems = [];

    private string ConnectionString => SqlitePersistence.Prepare($"Data Source={Path.Combine(_folder, "keys.db")}");

    public void Dispose()
    {
        foreach (var s in _systems) s.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A node's serializer: its own actor system and key store (its own cache) on the shared database.</summary>
    private (EventSerializer Serializer, PersonalDataKeys Keys) Node()
    {
        var keys = new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite);
        var system = ActorSystem.Create("seal", ActorSystemSetup.Create(new PersonalDataKeysSetup(keys)));
        _systems.Add(system);
        return (new EventSerializer((ExtendedActorSystem)system), keys);
    }

    private static PersonsFound Found() => new(Cell, "K9-1", 2, 0, true, null, new ReportRef("r-1", "f"), At, Author.Team("K9-1"))
    {
        Persons = [new FoundPerson("p-1", Youssef), new FoundPerson("p-2", Mohamed)],
    };

    private static object RoundTrip(EventSerializer s, object o) => s.FromBinary(s.ToBinary(o), s.Manifest(o));

    [Fact]
    public void Details_are_sealed_in_the_bytes_and_read_back_whole_while_the_key_exists()
    {
        var (serializer, _) = Node();
        var bytes = Encoding.UTF8.GetString(serializer.ToBinary(Found()));
        Assert.DoesNotContain("Haddad", bytes);
        Assert.DoesNotContain("Halabi", bytes);
        Assert.Contains("\"Alive\":2", bytes); // the counts stay readable
        var read = (PersonsFound)serializer.FromBinary(Encoding.UTF8.GetBytes(bytes), "persons-found.v1");
        Assert.True(read.Persons[0].Details.SameAs(Youssef));
        Assert.True(read.Persons[1].Details.SameAs(Mohamed));

        // Another node (its own cache) opens them with the same key from the database.
        var (other, _) = Node();
        Assert.True(((PersonsFound)other.FromBinary(Encoding.UTF8.GetBytes(bytes), "persons-found.v1")).Persons[0].Details.SameAs(Youssef));
    }

    [Fact]
    public void Events_without_details_are_written_exactly_as_before()
    {
        var (serializer, _) = Node();
        var entered = new SectorEntered(Cell, "K9-1", new ReportRef("r-0", "f"), At, Author.Team("K9-1"));
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entered, EventSerializer.Options), serializer.ToBinary(entered));
        var counted = new PersonsFound(Cell, "K9-1", 3, 1, false, null, new ReportRef("r-2", "f"), At, Author.Team("K9-1"));
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(counted, EventSerializer.Options), serializer.ToBinary(counted));
    }

    [Fact]
    public void Once_the_key_is_deleted_events_and_snapshots_written_before_read_as_erased_on_every_node()
    {
        var (serializer, keys) = Node();
        var sector = Sector.Empty(Cell)
            .Evolve(new SectorDefined(Cell, new SectorDefinition("B2-C-14", null, SectorKind.Cell, "Cell 14", []), At, Author.System))
            .Evolve(Found());
        var inquiry = Inquiry.Empty("inq-7").Evolve(new InquiryRegistered("inq-7", Wanted, At, Author.System));
        var stored = new object[] { Found(),
            new PersonRecordCorrected(Cell, "p-1", Youssef with { FatherName = "Khaled" }, "misheard", At, Author.System),
            new InquiryRegistered("inq-7", Wanted, At, Author.System), sector, inquiry }
            .Select(o => (Bytes: serializer.ToBinary(o), Manifest: serializer.Manifest(o))).ToList();
        var (other, _) = Node();
        // cached there before the erasure
        Assert.True(((Sector)other.FromBinary(stored[3].Bytes, stored[3].Manifest)).Persons["p-1"].SameAs(Youssef));

        keys.Erase(PersonalDataKeys.PersonRecord("p-1"));
        keys.Erase(PersonalDataKeys.InquiryRecord("inq-7"));
        var (fresh, _) = Node();
        foreach (var reader in new[] { serializer, fresh })
        {
            var found = (PersonsFound)reader.FromBinary(stored[0].Bytes, stored[0].Manifest);
            Assert.True(found.Persons[0].Details.IsErased);
            Assert.True(found.Persons[1].Details.SameAs(Mohamed)); // another record's key is untouched
            Assert.Equal(2, found.Alive);
            Assert.True(((PersonRecordCorrected)reader.FromBinary(stored[1].Bytes, stored[1].Manifest)).Details.IsErased);
            Assert.True(((InquiryRegistered)reader.FromBinary(stored[2].Bytes, stored[2].Manifest)).Details.IsErased);
            var snapshot = (Sector)reader.FromBinary(stored[3].Bytes, stored[3].Manifest);
            Assert.True(snapshot.Persons["p-1"].IsErased);
            Assert.Equal((2, 0), (snapshot.Alive, snapshot.Deceased));
            var inquirySnapshot = (Inquiry)reader.FromBinary(stored[4].Bytes, stored[4].Manifest);
            Assert.True(inquirySnapshot.Erased && inquirySnapshot.Registered);
            Assert.Null(inquirySnapshot.Details!.Contact);
        }
        // A snapshot taken after the erasure holds the marker as it is, and makes no new key for the record.
        var after = sector.Evolve(new PersonDetailsErased(Cell, "p-1", "asked by the family", At, Author.System));
        Assert.True(((Sector)RoundTrip(serializer, after)).Persons["p-1"].IsErased);
        Assert.Null(new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite).KeyOf(PersonalDataKeys.PersonRecord("p-1")));
    }

    [Fact]
    public async Task Two_nodes_creating_the_same_records_key_at_once_get_the_same_key()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite)).ToList();
        var keys = await Task.WhenAll(stores.Select(s => Task.Run(() => s.KeysFor(["person:p-9"])["person:p-9"])));
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }
}
