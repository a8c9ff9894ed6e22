using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;
using Npgsql;

namespace Coordinator.Faults.Tests;

/// <summary>
/// Two node processes on one PostgreSQL database: a person and an inquiry read on both (so both nodes hold
/// their keys), then erased through the first, read through every route of the second: the details are gone
/// there too, the counts and the history remain, and the database holds neither the key nor the text.
/// </summary>
public sealed class ErasureAcrossNodesTests(PostgresServer postgres)
{
    private const string Name = "Youssef Khalil Haddad", Contact = "+90 555 0100";

    [Fact]
    public async Task A_person_and_an_inquiry_erased_on_one_node_read_as_erased_on_the_other()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterUnderTest.StartAsync(postgres, size: 2);
        using var first = cluster.Nodes[0].Client(TimeSpan.FromSeconds(15));
        using var second = cluster.Nodes[1].Client(TimeSpan.FromSeconds(15));

        async Task<JsonNode?> Post(string path, object body)
        {
            using var response = await first.PostAsJsonAsync(path, body, ct);
            Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            return await response.Content.ReadFromJsonAsync<JsonNode>(ct);
        }
        async Task<string> Until(string path, Func<string, bool> done)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using var response = await second.GetAsync(path, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode && done(text)) return text;
                Assert.True(DateTime.UtcNow < deadline, $"GET {path} on the second node never satisfied the test: {(int)response.StatusCode} {text}");
                await Task.Delay(100, ct);
            }
        }

        await Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" });
        using (var layout = await first.PutAsJsonAsync("/api/facilities/saydnaya/layout",
            new { sectors = new object[] { new { id = "B1", kind = "Level" }, new { id = "B1-1", parent = "B1", kind = "Cell" } } }, ct))
            layout.EnsureSuccessStatusCode();
        await Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } });
        await Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1" });
        await Post("/api/reports", new { reportId = "r-in", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1", kind = "Entered" });
        var person = (string)(await Post("/api/reports", new
        {
            reportId = "r-persons",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 2,
            persons = new object[] { new { name = Name, fatherName = "Khalil", birthYear = 1979 } },
        }))!["persons"]![0]!;
        await Post("/api/inquiries", new { id = "inq-1", name = Name, fatherName = "Khalil", birthYear = 1979, contact = Contact });
        await Until($"/api/inquiries/inq-1/candidates", t => t.Contains(person)); // the second node has read (and cached the keys of) both

        await Post($"/api/persons/{person}/erase", new { reason = "asked by the family, request 17" });
        await Post("/api/inquiries/inq-1/erase", new { reason = "asked by the family, request 17" });

        bool Clean(string text) => !text.Contains("Haddad") && !text.Contains(Contact);
        Assert.True(Clean(await Until($"/api/persons/{person}", t => t.Contains("\"erased\":true"))));
        Assert.True(Clean(await Until("/api/inquiries/inq-1", t => t.Contains("\"erased\":true"))));
        Assert.DoesNotContain(person, await Until("/api/persons?query=Haddad", _ => true));
        Assert.Equal("[]", await Until($"/api/persons/{person}/candidates", _ => true));
        Assert.Equal("[]", await Until("/api/inquiries/inq-1/candidates", _ => true));
        Assert.True(Clean(await Until("/api/inquiries?status=all", t => t.Contains("inq-1"))));
        var csv = await Until("/api/family/export/inquiries.csv", t => t.Contains("inq-1"));
        Assert.Contains("inq-1,[erased]", csv);
        Assert.True(Clean(csv));
        Assert.True(Clean(await Until("/api/facilities/saydnaya/sectors/B1-1/history", t => t.Contains("PersonDetailsErased"))));
        Assert.True(Clean(await Until("/api/audit?limit=1000", t => t.Contains("InquiryDetailsErased"))));
        Assert.Contains("\"personsAlive\":2", await Until("/api/facilities/saydnaya/sectors/B1-1", _ => true));

        // The database: no key for either record, and no row of any table with the name or the contact.
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync(ct);
        await using (var keys = new NpgsqlCommand("SELECT COUNT(*) FROM personal_data_keys WHERE record_id = ANY(@ids)", db))
        {
            keys.Parameters.AddWithValue("ids", new[] { "person:" + person, "inquiry:inq-1" });
            Assert.Equal(0L, (long)(await keys.ExecuteScalarAsync(ct))!);
        }
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'personal_data_keys'", db))
        await using (var reader = await list.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) tables.Add(reader.GetString(0));
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM \"{table}\"", db);
            await using var rows = await select.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
                for (var i = 0; i < rows.FieldCount; i++)
                    Assert.True(Clean(rows.GetValue(i) switch { byte[] b => Encoding.UTF8.GetString(b), var v => v?.ToString() ?? "" }),
                        $"{table} holds the details");
        }
    }
}
