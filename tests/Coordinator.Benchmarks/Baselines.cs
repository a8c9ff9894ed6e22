using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Coordinator.Cluster.Hosting;
using Coordinator.Domain.Access;
using Coordinator.Node.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Benchmarks;

/// <summary>
/// What Coordinator is measured against, in the same run on the same machine: the storage alone, and the
/// service a team would write without actors. Both use SQLite files made as the node makes its journal
/// (WAL, synchronous as SQLite's default, SQLite's own busy wait), so durability is equal.
/// </summary>
public static class Baselines
{
    /// <summary>Rows the size of a stored persons-found event, inserted in batches of the journal's batch size: no HTTP, no actors.</summary>
    public static (double RowsPerSecond, string Synchronous) StorageCeiling(int rows, int rowBytes, int batch)
    {
        var folder = Directory.CreateTempSubdirectory("coord-ceiling-").FullName;
        try
        {
            using var connection = Open(Path.Combine(folder, "ceiling.db"));
            Execute(connection, """
                CREATE TABLE journal (ordering INTEGER PRIMARY KEY AUTOINCREMENT, persistence_id TEXT NOT NULL, sequence_number INTEGER NOT NULL,
                  created INTEGER NOT NULL, manifest TEXT NOT NULL, payload BLOB NOT NULL, tags TEXT);
                CREATE UNIQUE INDEX journal_pid_seq ON journal (persistence_id, sequence_number);
                """);
            var payload = new byte[rowBytes];
            Random.Shared.NextBytes(payload);
            var watch = Stopwatch.StartNew();
            for (var done = 0; done < rows; done += batch)
            {
                using var tx = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.Transaction = tx;
                insert.CommandText = "INSERT INTO journal (persistence_id, sequence_number, created, manifest, payload, tags) " +
                    "VALUES ($p, $s, $c, 'persons-found.v1', $b, ';coordinator;')";
                var (p, s, c, b) = (insert.Parameters.Add("$p", SqliteType.Text), insert.Parameters.Add("$s", SqliteType.Integer),
                    insert.Parameters.Add("$c", SqliteType.Integer), insert.Parameters.Add("$b", SqliteType.Blob));
                for (var i = done; i < Math.Min(rows, done + batch); i++)
                {
                    (p.Value, s.Value, c.Value, b.Value) = ($"sector-bench/C-{i % 400}", i / 400 + 1, DateTime.UtcNow.Ticks, payload);
                    insert.ExecuteNonQuery();
                }
                tx.Commit();
            }
            return (rows / watch.Elapsed.TotalSeconds, Scalar(connection, "PRAGMA synchronous"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A plain service on the same HTTP stack and the same database: each report, in one transaction, is
    /// recorded under its id (a retry is answered, not applied) and updates its sector's row. Like the node, it
    /// takes a team's field token, validated as the node validates it, for that team's reports only.
    /// </summary>
    public static async Task<Load.Offered> CrudAsync(Load.Options o)
    {
        var auth = new AuthSettings();
        var issuer = new TokenIssuer(new Secrets(RandomNumberGenerator.GetBytes(32), "", null), auth);
        var teamTokens = Enumerable.Range(0, o.Sectors)
            .Select(i => issuer.Issue(TokenIssuer.NewId(), Role.Field, $"T-{i}", DateTimeOffset.UtcNow.AddHours(1))).ToList();
        var folder = Directory.CreateTempSubdirectory("coord-crud-").FullName;
        var file = Path.Combine(folder, "crud.db");
        using (var setup = Open(file))
        {
            Execute(setup, """
                CREATE TABLE sectors (id TEXT PRIMARY KEY, alive INTEGER NOT NULL, version INTEGER NOT NULL);
                CREATE TABLE reports (id TEXT PRIMARY KEY, sector TEXT NOT NULL, version INTEGER NOT NULL);
                """);
            using var tx = setup.BeginTransaction();
            for (var i = 0; i < o.Sectors; i++) Execute(setup, "INSERT INTO sectors VALUES ($id, 0, 3)", tx, ("$id", $"C-{i}"));
            tx.Commit();
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(j =>
        {
            j.MapInboundClaims = false;
            j.TokenValidationParameters = AccessSetup.Validation(auth, issuer.Key);
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString();
        app.MapPost("/api/reports", async (HttpRequest request) =>
        {
            var r = (await request.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!;
            var (id, sector) = ((string)r["reportId"]!, (string)r["sectorId"]!);
            if (Roles.TeamOf(request.HttpContext.User) != (string?)r["teamId"]) return Results.Forbid();
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            SqlitePersistence.WaitWhenBusy(connection); // as the node's journal: wait in SQLite, not 150 ms sleeps
            // BEGIN IMMEDIATE: take the write lock first, as any correct read-modify-write on SQLite must.
            using var tx = connection.BeginTransaction(deferred: false);
            var seen = Scalar(connection, "SELECT version FROM reports WHERE id = $id", tx, ("$id", id));
            if (seen.Length > 0) return Results.Ok(new { reportId = id, version = long.Parse(seen) });
            var version = long.Parse(Scalar(connection,
                "UPDATE sectors SET alive = alive + 1, version = version + 1 WHERE id = $sector RETURNING version", tx, ("$sector", sector)));
            Execute(connection, "INSERT INTO reports VALUES ($id, $sector, $version)", tx, ("$id", id), ("$sector", sector), ("$version", version));
            tx.Commit();
            return Results.Ok(new { reportId = id, version });
        }).RequireAuthorization(p => p.RequireRole(Roles.Lead, Roles.Field));
        await app.StartAsync();
        try
        {
            var server = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency })
            {
                BaseAddress = server,
                Timeout = TimeSpan.FromSeconds(30)
            };
            return await Load.OfferAsync(http, o, teamTokens);
        }
        finally
        {
            await app.StopAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 30 }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null,
        params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, tx, parameters);
        command.ExecuteNonQuery();
    }

    private static string Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null,
        params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, tx, parameters);
        return command.ExecuteScalar()?.ToString() ?? "";
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? tx, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}
