using System.Text.Json.Nodes;

namespace Coordinator.Node.Tests.Support;

/// <summary>One server-sent event as the wire carries it.</summary>
public sealed record Sse(string? Id, string Event, JsonNode? Data);

/// <summary>A live-stream client over a real HTTP connection: reads events and comments until told to stop.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    public List<string> Comments { get; } = [];

    private SseClient(HttpClient http, HttpResponseMessage response, StreamReader reader) => (_http, _response, _reader) = (http, response, reader);

    /// <summary>token: null for a browser's way in, a ticket in the path.</summary>
    public static async Task<SseClient> ConnectAsync(Uri server, string path, string? token, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var client = new SseClient(http, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        await client.ReadCommentAsync(TimeSpan.FromSeconds(10)); // ": connected": the subscription is in place
        return client;
    }

    /// <summary>The next event, or null when none comes within the wait (comments are collected on the way).</summary>
    public async Task<Sse?> NextAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        string? id = null, kind = "message", data = null;
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cts.Token);
                if (line is null) return null;
                if (line.StartsWith(':')) { Comments.Add(line); continue; }
                if (line.Length == 0)
                {
                    if (data is not null) return new Sse(id, kind, JsonNode.Parse(data));
                    continue;
                }
                var (field, value) = line.IndexOf(':') is var i and >= 0 ? (line[..i], line[(i + 1)..].TrimStart()) : (line, "");
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": kind = value; break;
                    case "data": data = value; break;
                }
            }
        }
        catch (OperationCanceledException) { return null; }
    }

    private async Task ReadCommentAsync(TimeSpan wait)
    {
        using var cts = new CancellationTokenSource(wait);
        var line = await _reader.ReadLineAsync(cts.Token);
        if (line is not null && line.StartsWith(':')) Comments.Add(line);
    }

    /// <summary>Reads until an event with the given id has arrived; returns everything read.</summary>
    public Task<List<Sse>> UntilAsync(string id, TimeSpan wait) => UntilAsync(e => e.Id == id, wait);

    /// <summary>Reads until an event satisfies the condition; returns everything read, that event last.</summary>
    public async Task<List<Sse>> UntilAsync(Func<Sse, bool> last, TimeSpan wait)
    {
        var events = new List<Sse>();
        var until = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < until)
        {
            var e = await NextAsync(until - DateTime.UtcNow);
            if (e is null) break;
            events.Add(e);
            if (last(e)) return events;
        }
        throw new TimeoutException($"the awaited event did not arrive; got {string.Join(", ", events.Select(e => $"{e.Id}:{e.Event}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _http.Dispose();
        await Task.CompletedTask;
    }
}
